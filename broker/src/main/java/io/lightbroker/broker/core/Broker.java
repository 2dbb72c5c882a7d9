package io.lightbroker.broker.core;

import io.lightbroker.nats.NatsEncoder;
import io.lightbroker.resp.RespPubSubFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
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
        return loops.computeIfAbsent(loop, LoopContext::new);
    }

    /**
     * Publishes a payload on a subject (RESP PUBLISH).
     *
     * @param cache the publisher loop's match cache, or null off-loop
     * @return the number of receivers, counted as Redis's PUBLISH reply counts them
     */
    public int publish(ByteBuf subject, int so, int sl, ByteBuf payload, int po, int pl, Subscriber origin, MatchCache cache) {
        return publish(subject, so, sl, null, 0, 0, payload, po, 0, pl, origin, cache);
    }

    /**
     * Publishes a message from any protocol. The message bytes are {@code msg[mo, mo + total)}: the
     * first {@code hdr} of them are NATS headers ({@code NATS/1.0 ...}), the rest the payload.
     * RESP receivers get the payload only; NATS receivers get HMSG with the reply subject, or MSG
     * when the message has no headers or the receiver does not accept them.
     *
     * @param reply the NATS reply subject, or null
     * @return the number of receivers: RESP subscriptions, NATS plain subscriptions, and one per
     *         NATS queue group that received the message
     */
    public int publish(ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
                       ByteBuf msg, int mo, int hdr, int total, Subscriber origin, MatchCache cache) {
        int po = mo + hdr;
        int pl = total - hdr;
        stats.msgsIn.increment();
        stats.bytesIn.add(total);
        MatchResult r = index.match(subject, so, sl, cache);
        if (r.isEmpty()) {
            stats.publishesWithoutReceivers.increment();
            return 0;
        }
        int receivers = 0;
        if (r.channel.length > 0) {
            receivers += fanOut(r.channel, MESSAGE, null, subject, so, sl, msg, po, pl);
        }
        for (PatternGroup g : r.patterns) {
            receivers += fanOut(g.subs, PMESSAGE, g.pattern, subject, so, sl, msg, po, pl);
        }
        if (r.nats.length > 0 || r.natsQueues.length > 0) {
            receivers += fanOutNats(r, subject, so, sl, reply, ro, rl, msg, mo, hdr, total, origin);
        }
        return receivers;
    }

    /**
     * NATS frames carry each subscription's sid, so each is encoded separately, into one scratch
     * buffer per publish that receivers copy from (same loop) or slice (other loops). Frames
     * large enough to be written as shared slices get a scratch buffer each, so that no scratch
     * buffer grows with the fan-out.
     */
    private int fanOutNats(MatchResult r, ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
                           ByteBuf msg, int mo, int hdr, int total, Subscriber origin) {
        int frameMax = 64 + sl + rl + total;
        ByteBuf scratch = alloc.directBuffer(Math.min(frameMax * (r.nats.length + r.natsQueues.length), SCRATCH_LIMIT));
        int receivers = 0;
        int delivered = 0;
        long bytes = 0;
        try {
            for (Subscription s : r.nats) {
                int n = deliverNats(s, scratch, subject, so, sl, reply, ro, rl, msg, mo, hdr, total, origin);
                if (n >= 0) {
                    receivers++;
                    if (n > 0) {
                        delivered++;
                        bytes += n;
                    }
                }
                if (scratch.writerIndex() > SCRATCH_LIMIT) {
                    scratch.release();
                    scratch = alloc.directBuffer(Math.min(frameMax, SCRATCH_LIMIT));
                }
            }
            for (Subscription[] group : r.natsQueues) {
                int start = ThreadLocalRandom.current().nextInt(group.length);
                for (int k = 0; k < group.length; k++) {
                    Subscription s = group[(start + k) % group.length];
                    int n = deliverNats(s, scratch, subject, so, sl, reply, ro, rl, msg, mo, hdr, total, origin);
                    if (n >= 0) {
                        receivers++;
                        if (n > 0) {
                            delivered++;
                            bytes += n;
                        }
                        break;
                    }
                }
                if (scratch.writerIndex() > SCRATCH_LIMIT) {
                    scratch.release();
                    scratch = alloc.directBuffer(Math.min(frameMax, SCRATCH_LIMIT));
                }
            }
        } finally {
            scratch.release();
        }
        stats.msgsOut.add(delivered);
        stats.bytesOut.add(bytes);
        return receivers;
    }

    private static final int SCRATCH_LIMIT = 64 * 1024;

    /**
     * @return -1 when the subscription does not take this message (own message without echo,
     *         auto-unsubscribe limit reached), else the frame size handed over (0 if dropped)
     */
    private int deliverNats(Subscription s, ByteBuf scratch, ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
                            ByteBuf msg, int mo, int hdr, int total, Subscriber origin) {
        Subscriber owner = s.owner;
        if (owner == origin && !owner.echo()) {
            return -1;
        }
        long n = s.claimDelivery();
        if (n < 0) {
            return -1;
        }
        if (n == s.maxMessages()) {
            index.remove(s);
            owner.subscriptionExhausted(s);
        }
        int start = scratch.writerIndex();
        if (hdr > 0 && owner.headers()) {
            NatsEncoder.hmsg(scratch, subject, so, sl, s.sid, reply, ro, rl, msg, mo, hdr, total);
        } else {
            NatsEncoder.msg(scratch, subject, so, sl, s.sid, reply, ro, rl, msg, mo + hdr, total - hdr);
        }
        int len = scratch.writerIndex() - start;
        return owner.outbound().deliver(scratch, start, len) ? len : 0;
    }

    /** SPUBLISH: shard channels only. */
    public int publishShard(ByteBuf channel, int so, int sl, ByteBuf payload, int po, int pl) {
        stats.msgsIn.increment();
        stats.bytesIn.add(pl);
        Subscription[] subs = index.shardSubscribers(channel, so, sl);
        if (subs.length == 0) {
            stats.publishesWithoutReceivers.increment();
            return 0;
        }
        return fanOut(subs, SMESSAGE, null, channel, so, sl, payload, po, pl);
    }

    private static final int MESSAGE = 0;
    private static final int PMESSAGE = 1;
    private static final int SMESSAGE = 2;

    /** Delivers one frame shape to a group, encoding each flavour (RESP2, RESP3) at most once. */
    private int fanOut(Subscription[] subs, int shape, byte[] pattern, ByteBuf ch, int so, int sl, ByteBuf payload, int po, int pl) {
        ByteBuf f2 = null;
        ByteBuf f3 = null;
        int delivered = 0;
        long bytes = 0;
        try {
            for (Subscription s : subs) {
                boolean resp3 = s.owner.resp3();
                ByteBuf f = resp3 ? f3 : f2;
                if (f == null) {
                    f = alloc.directBuffer(frameSize(sl, pl, pattern == null ? 0 : pattern.length));
                    switch (shape) {
                        case MESSAGE -> RespPubSubFrames.message(f, resp3, ch, so, sl, payload, po, pl);
                        case PMESSAGE -> RespPubSubFrames.pmessage(f, resp3, pattern, ch, so, sl, payload, po, pl);
                        default -> RespPubSubFrames.smessage(f, resp3, ch, so, sl, payload, po, pl);
                    }
                    if (resp3) {
                        f3 = f;
                    } else {
                        f2 = f;
                    }
                }
                if (s.owner.outbound().deliver(f)) {
                    delivered++;
                    bytes += f.readableBytes();
                }
            }
        } finally {
            release(f2, f3);
        }
        stats.msgsOut.add(delivered);
        stats.bytesOut.add(bytes);
        return subs.length;
    }

    private static int frameSize(int channelLen, int payloadLen, int patternLen) {
        return 64 + channelLen + payloadLen + (patternLen == 0 ? 0 : patternLen + 16);
    }

    private static void release(ByteBuf a, ByteBuf b) {
        if (a != null) {
            a.release();
        }
        if (b != null) {
            b.release();
        }
    }
}
