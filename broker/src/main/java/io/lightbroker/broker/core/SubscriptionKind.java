package io.lightbroker.broker.core;

/** The kinds of interest the subject space routes to. */
public enum SubscriptionKind {
    /** RESP SUBSCRIBE: one exact channel. */
    RESP_CHANNEL,
    /** RESP PSUBSCRIBE: a Redis glob pattern. */
    RESP_PATTERN,
    /** RESP SSUBSCRIBE: an exact shard channel, a namespace of its own that only SPUBLISH reaches. */
    RESP_SHARD,
    /** NATS SUB: a subject with optional {@code *} and {@code >} tokens and optional queue group. */
    NATS,
    /**
     * An in-process subscriber of the embedded API ({@link LocalSubscriber}): NATS subject
     * semantics and queue groups, stored with the NATS subscriptions and matched by the same
     * lookup, but handed a copy of each message instead of a frame.
     */
    LOCAL,
    /**
     * Interest a NATS hub announced over a leaf-node link ({@code LS+}): NATS subject semantics,
     * stored and matched with the NATS subscriptions; the fan-out sends the link one LMSG per
     * message however many of its subscriptions match, and prefers local queue members to it.
     */
    LEAF
}
