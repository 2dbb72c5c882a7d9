package io.lightbroker.broker.core;

import io.netty.buffer.ByteBuf;

/**
 * The leaf links one publish goes to, each with the queue groups it was picked for. Allocated
 * only when a publish matches hub interest, so publishes that stay local pay nothing for it.
 */
final class LeafTargets {
    private LeafSubscriber[] links = new LeafSubscriber[1];
    private byte[][][] queues = new byte[1][][];
    private int[] queueCounts = new int[1];
    private int size;

    static LeafTargets add(LeafTargets t, LeafSubscriber link, byte[] queue) {
        if (t == null) {
            t = new LeafTargets();
        }
        int i = 0;
        while (i < t.size && t.links[i] != link) {
            i++;
        }
        if (i == t.size) {
            if (i == t.links.length) {
                t.links = java.util.Arrays.copyOf(t.links, i * 2);
                t.queues = java.util.Arrays.copyOf(t.queues, i * 2);
                t.queueCounts = java.util.Arrays.copyOf(t.queueCounts, i * 2);
            }
            t.links[i] = link;
            t.size++;
        }
        if (queue != null) {
            byte[][] q = t.queues[i];
            if (q == null) {
                q = t.queues[i] = new byte[2][];
            } else if (t.queueCounts[i] == q.length) {
                q = t.queues[i] = java.util.Arrays.copyOf(q, q.length * 2);
            }
            q[t.queueCounts[i]++] = queue;
        }
        return t;
    }

    /** @return how many links took the message */
    int send(ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl, ByteBuf msg, int mo, int hdr, int total, LoopContext from) {
        int sent = 0;
        for (int i = 0; i < size; i++) {
            if (links[i].deliverLeaf(subject, so, sl, reply, ro, rl, queues[i], queueCounts[i], msg, mo, hdr, total, from) > 0) {
                sent++;
            }
        }
        return sent;
    }
}
