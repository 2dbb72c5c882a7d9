package io.lightbroker.broker.core;

/**
 * Something that holds subscriptions and receives frames: a RESP or NATS connection, or an
 * in-process subscriber. The core only needs its outbound buffer, its identity, and the
 * few protocol facts that pick a frame flavour.
 */
public interface Subscriber {

    Outbound outbound();

    long clientId();

    /** RESP subscribers: true after HELLO 3, when pub/sub frames are RESP3 pushes ({@code >}). */
    default boolean resp3() {
        return false;
    }

    /** NATS subscribers with {@code echo: false} do not receive what they published themselves. */
    default boolean echo() {
        return true;
    }

    /** NATS subscribers that did not announce {@code headers: true} get HMSG as MSG, headers stripped. */
    default boolean headers() {
        return true;
    }

    /**
     * NATS subscribers whose user has subscribe deny filters: false for a message on a denied
     * subject, which nats-server drops at delivery even when a wildcard subscription matched it.
     */
    default boolean accepts(io.netty.buffer.ByteBuf subject, int index, int length) {
        return true;
    }

    /**
     * A NATS message with a reply subject was just handed to this subscriber (publisher's thread).
     * Sessions whose user may answer it ({@code allow_responses}) remember the reply subject.
     */
    default void deliveredWithReply(io.netty.buffer.ByteBuf reply, int index, int length) {
    }

    /**
     * A NATS auto-unsubscribe limit ({@code UNSUB sid max}) was reached by the delivery just made;
     * called on the publisher's thread, after the broker removed it from the index.
     */
    default void subscriptionExhausted(Subscription s) {
    }
}
