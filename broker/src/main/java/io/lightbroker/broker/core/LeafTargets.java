package io.lightbroker.broker.core;

import io.lightbroker.nats.leaf.LeafEncoder;
import io.netty.buffer.ByteBuf;

/**
 * The leaf links one publish goes to, each with the queue groups it was picked for. One per
 * {@link FrameScratch}, reused from publish to publish, so forwarding to a hub allocates nothing
 * on the publisher's loop apart from the frame a link on another loop needs.
 */
final class LeafTargets {
    private LeafSubscriber[] links = new LeafSubscriber[2];
    private byte[][][] queues = new byte[2][][];
    private int[] queueCounts = new int[2];
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    void add(LeafSubscriber link, byte[] queue) {
        int i = 0;
        while (i < size && links[i] != link) {
            i++;
        }
        if (i == size) {
            if (i == links.length) {
                links = java.util.Arrays.copyOf(links, i * 2);
                queues = java.util.Arrays.copyOf(queues, i * 2);
                queueCounts = java.util.Arrays.copyOf(queueCounts, i * 2);
            }
            links[i] = link;
            queueCounts[i] = 0;
            size++;
        }
        if (queue != null) {
            byte[][] q = queues[i];
            if (q == null) {
                q = queues[i] = new byte[2][];
            } else if (queueCounts[i] == q.length) {
                q = queues[i] = java.util.Arrays.copyOf(q, q.length * 2);
            }
            q[queueCounts[i]++] = queue;
        }
    }

    /** Encodes and hands over one frame per link; @return how many links took the message. */
    int send(FrameScratch f, ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl, ByteBuf msg, int mo, int hdr, int total) {
        int sent = 0;
        for (int i = 0; i < size; i++) {
            LeafSubscriber link = links[i];
            if (!link.leafReady()) {
                link.leafDropped();
                continue;
            }
            int m = mo;
            int h = hdr;
            int t = total;
            if (h > 0 && !link.hubTakesHeaders()) {
                m += h;
                t -= h;
                h = 0;
            }
            if (t - h > link.hubMaxPayload()) {
                link.leafDropped();
                continue;
            }
            int n = LeafEncoder.size(sl, rl, queues[i], queueCounts[i], h, t);
            Outbound out = link.outbound();
            boolean ok;
            if (f.fits(n) && out.onCurrentLoop()) {
                int index = f.scratch.writerIndex();
                LeafEncoder.message(f.scratch, subject, so, sl, reply, ro, rl, queues[i], queueCounts[i], msg, m, h, t);
                ok = out.deliver(f.scratch, index, n, f.loop);
            } else {
                ByteBuf frame = f.own(n);
                try {
                    LeafEncoder.message(frame, subject, so, sl, reply, ro, rl, queues[i], queueCounts[i], msg, m, h, t);
                    ok = out.deliver(frame, f.loop);
                } finally {
                    frame.release();
                }
            }
            if (ok) {
                link.leafSent(t);
                sent++;
            } else {
                link.leafDropped();
            }
        }
        return sent;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            links[i] = null;
        }
        size = 0;
    }
}
