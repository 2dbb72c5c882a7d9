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
}
