package io.lightbroker.broker.core;

import io.netty.buffer.ByteBuf;

/**
 * An in-process subscriber (the embedded API's {@link SubscriptionKind#LOCAL} subscriptions):
 * it has no connection and no {@link Outbound}; the NATS fan-out hands it the message bytes
 * instead of an encoded frame.
 *
 * <p>{@link #deliverLocal} runs on the publisher's thread, which may be an event loop: the
 * implementation must copy what it keeps (every buffer argument is reused after the call),
 * must not block and must not run user code. The embedded API copies into a bounded queue that
 * its own executor drains, and drops (counted) when the queue is full.
 */
public interface LocalSubscriber extends Subscriber {

    /**
     * Takes one message for {@code s}, arguments as in {@link Broker#publish(ByteBuf, int, int,
     * ByteBuf, int, int, ByteBuf, int, int, int, Subscriber, LoopContext)}.
     *
     * @return the bytes accepted (positive), or 0 when the message was dropped
     */
    int deliverLocal(Subscription s, ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
                     ByteBuf msg, int mo, int hdr, int total);

    /** Local subscribers have no connection, hence no outbound buffer. */
    @Override
    default Outbound outbound() {
        return null;
    }
}
