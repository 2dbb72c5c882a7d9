package io.lightbroker.broker.core;

import io.lightbroker.resp.RespPubSubFrames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

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

    /** Every event loop that has delivered or published so far (for metrics). */
    public Collection<LoopContext> loopContexts() {
        return loops.values();
    }

    /**
     * Publishes a payload on a subject (RESP PUBLISH; NATS PUB without reply or headers).
     *
     * @param cache the publisher loop's match cache, or null off-loop
     * @return the number of receivers, counted as Redis's PUBLISH reply counts them
     */
    public int publish(ByteBuf subject, int so, int sl, ByteBuf payload, int po, int pl, Subscriber origin, MatchCache cache) {
        stats.msgsIn.increment();
        stats.bytesIn.add(pl);
        MatchResult r = index.match(subject, so, sl, cache);
        if (r.isEmpty()) {
            stats.publishesWithoutReceivers.increment();
            return 0;
        }
        int receivers = 0;
        if (r.channel.length > 0) {
            receivers += fanOut(r.channel, MESSAGE, null, subject, so, sl, payload, po, pl);
        }
        for (PatternGroup g : r.patterns) {
            receivers += fanOut(g.subs, PMESSAGE, g.pattern, subject, so, sl, payload, po, pl);
        }
        return receivers;
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
