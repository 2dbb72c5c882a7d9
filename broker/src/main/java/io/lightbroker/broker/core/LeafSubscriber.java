package io.lightbroker.broker.core;

import io.netty.buffer.ByteBuf;

/**
 * A leaf-node link to a NATS hub, as a holder of the hub's interest ({@link SubscriptionKind#LEAF}
 * subscriptions). The fan-out sends it at most one message per publish, naming the queue groups
 * for which it was picked (only when no local member of the group could take the message), as
 * nats-server sends one LMSG per leaf connection.
 *
 * <p>{@link #deliverLeaf} runs on the publisher's thread and must not block; buffer arguments
 * are reused after the call.
 */
public interface LeafSubscriber extends Subscriber {

    /**
     * @param plain whether hub plain interest matched (the hub then delivers to its plain subscribers)
     * @param queues queue group names the hub is asked to deliver to, or null
     * @return the bytes handed to the link, or 0 when dropped (link down, over its budget)
     */
    int deliverLeaf(ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl, byte[][] queues, int queueCount,
                    ByteBuf msg, int mo, int hdr, int total, LoopContext from);

    /** Leaf links never get back what came from them (nats-server leaf connections are no-echo). */
    @Override
    default boolean echo() {
        return false;
    }
}
