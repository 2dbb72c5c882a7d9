package io.lightbroker.broker.core;

/**
 * Who receives a message published on one subject: an immutable snapshot computed by
 * {@link SubscriptionIndex} and cached per subject until the next subscription change.
 *
 * <p>The groups are kept apart because each group shares one encoded frame: every exact RESP
 * channel subscriber gets the same {@code message} frame, every member of a pattern group
 * the same {@code pmessage} frame, while each NATS subscription needs its own {@code sid}.
 */
public final class MatchResult {
    static final Subscription[] NO_SUBS = new Subscription[0];
    static final PatternGroup[] NO_PATTERNS = new PatternGroup[0];
    static final Subscription[][] NO_QUEUES = new Subscription[0][];

    public static final MatchResult EMPTY = new MatchResult(NO_SUBS, NO_PATTERNS, NO_SUBS, NO_QUEUES);

    /** RESP SUBSCRIBE on exactly this channel. */
    public final Subscription[] channel;
    /** RESP PSUBSCRIBE patterns that match, in pattern insertion order. */
    public final PatternGroup[] patterns;
    /** NATS subscriptions without a queue group. */
    public final Subscription[] nats;
    /** NATS queue groups: each message goes to one member of each. */
    public final Subscription[][] natsQueues;
    private final boolean empty;

    MatchResult(Subscription[] channel, PatternGroup[] patterns, Subscription[] nats, Subscription[][] natsQueues) {
        this.channel = channel;
        this.patterns = patterns;
        this.nats = nats;
        this.natsQueues = natsQueues;
        this.empty = channel.length == 0 && patterns.length == 0 && nats.length == 0 && natsQueues.length == 0;
    }

    public boolean isEmpty() {
        return empty;
    }
}
