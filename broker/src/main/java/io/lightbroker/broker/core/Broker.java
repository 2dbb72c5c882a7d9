package io.lightbroker.broker.core;

import io.lightbroker.nats.NatsEncoder;
import io.lightbroker.resp.RespPubSubFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The fan-out core: one subject space for every protocol.
 *
 * <p>A publish runs entirely on the publisher's thread: look up the receivers
 * ({@link SubscriptionIndex#match}, cached per event loop), encode each distinct frame once
 * (one {@code message} frame for all exact RESP subscribers of a flavour, one {@code pmessage}
 * frame per matching pattern), and hand it to every receiver's {@link Outbound}, which copies
 * it on the same loop or retains it across loops. Nothing here blocks or waits for a receiver;
 * a receiver over its budget is disconnected by its outbound, and the others are untouched.
 *
 * <p>Publishing to a subject nobody listens to costs one volatile read (no subscriptions at
 * all) or one cache probe, and allocates nothing.
 */
public final class Broker {
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final BrokerStats stats = new BrokerStats();
    private final ClientRegistry clients = new ClientRegistry();
    private final ByteBufAllocator alloc;
    private final ConcurrentHashMap<EventLoop, LoopContext> loops = new ConcurrentHashMap<>();

    public Broker(ByteBufAllocator alloc) {
        this.alloc = alloc;
    }

    public SubscriptionIndex index() {
        return index;
    }

    public BrokerStats stats() {
        return stats;
    }

    public ClientRegistry clients() {
        return clients;
    }

    public LoopContext loopContext(EventLoop loop) {
        return loops.computeIfAbsent(loop, l -> new LoopContext(l, alloc));
    }

    /** Every event loop that has delivered or published so far (for metrics). */
    public Collection<LoopContext> loopContexts() {
        return loops.values();
    }

    /**
     * Publishes a payload on a subject (RESP PUBLISH).
     *
     * @param here the publisher's event loop context, or null off-loop
     * @return the number of receivers, counted as Redis's PUBLISH reply counts them
     */
    public int publish(ByteBuf subject, int so, int sl, ByteBuf payload, int po, int pl, Subscriber origin, LoopContext here) {
        return publish(subject, so, sl, null, 0, 0, payload, po, 0, pl, origin, here);
    }

    /**
     * Publishes a message from any protocol. The message bytes are {@code msg[mo, mo + total)}: the
     * first {@code hdr} of them are NATS headers ({@code NATS/1.0 ...}), the rest the payload.
     * RESP receivers get the payload only; NATS receivers get HMSG with the reply subject, or MSG
     * when the message has no headers or the receiver does not accept them.
     *
     * @param reply the NATS reply subject, or null
     * @param here the publisher's event loop context, or null off-loop
     * @return the number of receivers: RESP subscriptions, NATS plain subscriptions, and one per
     *         NATS queue group that received the message
     */
    public int publish(ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
                       ByteBuf msg, int mo, int hdr, int total, Subscriber origin, LoopContext here) {
        int po = mo + hdr;
        int pl = total - hdr;
        stats.msgsIn.increment();
        stats.bytesIn.add(total);
        MatchResult r = index.match(subject, so, sl, here == null ? null : here.cache);
        if (r.isEmpty()) {
            stats.publishesWithoutReceivers.increment();
            return 0;
        }
        FrameScratch f = here == null ? new FrameScratch(alloc, null) : here.frames;
        int receivers = 0;
        if (r.channel.length > 0) {
            receivers += fanOut(f, r.channel, MESSAGE, null, subject, so, sl, msg, po, pl);
        }
        for (PatternGroup g : r.patterns) {
            receivers += fanOut(f, g.subs, PMESSAGE, g.pattern, subject, so, sl, msg, po, pl);
        }
        if (r.nats.length > 0 || r.natsQueues.length > 0) {
            receivers += fanOutNats(f, r, subject, so, sl, reply, ro, rl, msg, mo, hdr, total, origin);
        }
        return receivers;
    }

    /** SPUBLISH: shard channels only. */
    public int publishShard(ByteBuf channel, int so, int sl, ByteBuf payload, int po, int pl, LoopContext here) {
        stats.msgsIn.increment();
        stats.bytesIn.add(pl);
        Subscription[] subs = index.shardSubscribers(channel, so, sl);
        if (subs.length == 0) {
            stats.publishesWithoutReceivers.increment();
            return 0;
        }
        return fanOut(here == null ? new FrameScratch(alloc, null) : here.frames, subs, SMESSAGE, null, channel, so, sl, payload, po, pl);
    }

    private static final int MESSAGE = 0;
    private static final int PMESSAGE = 1;
    private static final int SMESSAGE = 2;

    /** Delivers one frame shape to a group, encoding each flavour (RESP2, RESP3) at most once. */
    private int fanOut(FrameScratch f, Subscription[] subs, int shape, byte[] pattern, ByteBuf ch, int so, int sl, ByteBuf payload, int po, int pl) {
        int max = frameSize(sl, pl, pattern == null ? 0 : pattern.length);
        boolean scratch = f.fits(2 * max);
        int delivered = 0;
        long bytes = 0;
        try {
            for (Subscription s : subs) {
                boolean resp3 = s.owner.resp3();
                Outbound out = s.owner.outbound();
                boolean ok;
                int n;
                if (scratch) {
                    int index = resp3 ? f.index3 : f.index2;
                    if (index < 0) {
                        index = f.scratch.writerIndex();
                        encode(f.scratch, shape, resp3, pattern, ch, so, sl, payload, po, pl);
                        if (resp3) {
                            f.index3 = index;
                            f.len3 = f.scratch.writerIndex() - index;
                        } else {
                            f.index2 = index;
                            f.len2 = f.scratch.writerIndex() - index;
                        }
                    }
                    n = resp3 ? f.len3 : f.len2;
                    if (out.onCurrentLoop()) {
                        ok = out.deliver(f.scratch, index, n);
                    } else {
                        ByteBuf shared = resp3 ? f.shared3 : f.shared2;
                        if (shared == null) {
                            shared = f.copy(index, n);
                            if (resp3) {
                                f.shared3 = shared;
                            } else {
                                f.shared2 = shared;
                            }
                        }
                        ok = out.deliver(shared);
                    }
                } else {
                    ByteBuf own = resp3 ? f.own3 : f.own2;
                    if (own == null) {
                        own = alloc.directBuffer(max);
                        encode(own, shape, resp3, pattern, ch, so, sl, payload, po, pl);
                        if (resp3) {
                            f.own3 = own;
                        } else {
                            f.own2 = own;
                        }
                    }
                    n = own.readableBytes();
                    ok = out.deliver(own);
                }
                if (ok) {
                    delivered++;
                    bytes += n;
                }
            }
        } finally {
            f.reset();
        }
        stats.msgsOut.add(delivered);
        stats.bytesOut.add(bytes);
        return subs.length;
    }

    private static void encode(ByteBuf out, int shape, boolean resp3, byte[] pattern, ByteBuf ch, int so, int sl, ByteBuf payload, int po, int pl) {
        switch (shape) {
            case MESSAGE -> RespPubSubFrames.message(out, resp3, ch, so, sl, payload, po, pl);
            case PMESSAGE -> RespPubSubFrames.pmessage(out, resp3, pattern, ch, so, sl, payload, po, pl);
            default -> RespPubSubFrames.smessage(out, resp3, ch, so, sl, payload, po, pl);
        }
    }

    /**
     * NATS frames carry each subscription's sid, so each is encoded separately: into the loop's
     * scratch buffer (copied by a same-loop receiver, copied out for another loop), or into a
     * pooled buffer of its own when there is no scratch or the frame is too large for it.
     */
    private int fanOutNats(FrameScratch f, MatchResult r, ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
                           ByteBuf msg, int mo, int hdr, int total, Subscriber origin) {
        int frameMax = 64 + sl + rl + total;
        int receivers = 0;
        int delivered = 0;
        long bytes = 0;
        try {
            for (Subscription s : r.nats) {
                int n = deliverNats(f, frameMax, s, subject, so, sl, reply, ro, rl, msg, mo, hdr, total, origin);
                if (n >= 0) {
                    receivers++;
                    if (n > 0) {
                        delivered++;
                        bytes += n;
                    }
                }
            }
            for (Subscription[] group : r.natsQueues) {
                int start = ThreadLocalRandom.current().nextInt(group.length);
                for (int k = 0; k < group.length; k++) {
                    Subscription s = group[(start + k) % group.length];
                    int n = deliverNats(f, frameMax, s, subject, so, sl, reply, ro, rl, msg, mo, hdr, total, origin);
                    if (n >= 0) {
                        receivers++;
                        if (n > 0) {
                            delivered++;
                            bytes += n;
                        }
                        break;
                    }
                }
            }
        } finally {
            f.reset();
        }
        stats.msgsOut.add(delivered);
        stats.bytesOut.add(bytes);
        return receivers;
    }

    /**
     * @return -1 when the subscription does not take this message (own message without echo,
     *         auto-unsubscribe limit reached), else the frame size handed over (0 if dropped)
     */
    private int deliverNats(FrameScratch f, int frameMax, Subscription s, ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
                            ByteBuf msg, int mo, int hdr, int total, Subscriber origin) {
        Subscriber owner = s.owner;
        if (owner == origin && !owner.echo() || !owner.accepts(subject, so, sl)) {
            return -1;
        }
        long d = s.claimDelivery();
        if (d < 0) {
            return -1;
        }
        if (d == s.maxMessages()) {
            index.remove(s);
            owner.subscriptionExhausted(s);
        }
        if (s.kind == SubscriptionKind.LOCAL) {
            // Embedded API: an in-process subscriber copies the bytes into its own bounded queue
            // and returns at once; its handler runs on the embedded executor, never here (this
            // may be an event loop). Same echo, auto-unsubscribe and queue-group rules as above.
            return ((LocalSubscriber) owner).deliverLocal(s, subject, so, sl, reply, ro, rl, msg, mo, hdr, total);
        }
        if (rl > 0) {
            owner.deliveredWithReply(reply, ro, rl);
        }
        Outbound out = owner.outbound();
        boolean headers = hdr > 0 && owner.headers();
        if (f.fits(frameMax)) {
            ByteBuf b = f.scratch.clear();
            encodeNats(b, headers, s, subject, so, sl, reply, ro, rl, msg, mo, hdr, total);
            int len = b.writerIndex();
            if (out.onCurrentLoop()) {
                return out.deliver(b, 0, len) ? len : 0;
            }
            ByteBuf copy = f.copy(0, len);
            try {
                return out.deliver(copy) ? len : 0;
            } finally {
                copy.release();
            }
        }
        ByteBuf own = alloc.directBuffer(frameMax);
        try {
            encodeNats(own, headers, s, subject, so, sl, reply, ro, rl, msg, mo, hdr, total);
            int len = own.readableBytes();
            return out.deliver(own) ? len : 0;
        } finally {
            own.release();
        }
    }

    private static void encodeNats(ByteBuf out, boolean headers, Subscription s, ByteBuf subject, int so, int sl,
                                   ByteBuf reply, int ro, int rl, ByteBuf msg, int mo, int hdr, int total) {
        if (headers) {
            NatsEncoder.hmsg(out, subject, so, sl, s.sid, reply, ro, rl, msg, mo, hdr, total);
        } else {
            NatsEncoder.msg(out, subject, so, sl, s.sid, reply, ro, rl, msg, mo + hdr, total - hdr);
        }
    }

    private static int frameSize(int channelLen, int payloadLen, int patternLen) {
        return 64 + channelLen + payloadLen + (patternLen == 0 ? 0 : patternLen + 16);
    }

    static void release(ByteBuf a, ByteBuf b) {
        if (a != null) {
            a.release();
        }
        if (b != null) {
            b.release();
        }
    }
}
