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

    /** Percentage of a flush round's duration a loop waits before the next; see {@link LoopContext}. */
    private final int writeCoalescing;

    public Broker(ByteBufAllocator alloc) {
        this(alloc, 0);
    }

    public Broker(ByteBufAllocator alloc, int writeCoalescing) {
        this.alloc = alloc;
        this.writeCoalescing = writeCoalescing;
    }

    /** The write-coalescing in effect (0 where the transport's timers are too coarse for it). */
    public int writeCoalescing() {
        return writeCoalescing;
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
        return loops.computeIfAbsent(loop, l -> new LoopContext(l, alloc, stats.newLoopTraffic(), writeCoalescing));
    }

    /**
     * Flushes what every loop holds back for its next flush ({@link LoopContext#endOfBatch()}),
     * each on its own thread; writes queued on a loop after this call go out after that flush.
     */
    public void flushAll() {
        for (LoopContext c : loops.values()) {
            c.flushSoon();
        }
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
        return publish(subject, so, sl, reply, ro, rl, msg, mo, hdr, total, origin, here, null);
    }

    /**
     * As above, for a message that arrived from a NATS hub over a leaf link: the hub already
     * picked the queue members elsewhere, so only the groups it names in {@code onlyQueues} get
     * the message here (an empty array: no queue group), one member each.
     *
     * @param onlyQueues null to deliver to every matching queue group (a local publish)
     */
    public int publish(ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
                       ByteBuf msg, int mo, int hdr, int total, Subscriber origin, LoopContext here, byte[][] onlyQueues) {
        if (here != null) {
            here.leafForwards = 0;
        }
        int po = mo + hdr;
        int pl = total - hdr;
        Traffic t = here == null ? stats.offLoopTraffic() : here.traffic;
        t.published(total);
        MatchResult r = index.match(subject, so, sl, here == null ? null : here.cache);
        if (r.isEmpty()) {
            t.noReceivers();
            return 0;
        }
        FrameScratch f = here == null ? new FrameScratch(alloc, null, t, null) : here.frames;
        int receivers = 0;
        if (r.channel.length > 0) {
            receivers += fanOut(f, r.channel, MESSAGE, null, subject, so, sl, msg, po, pl);
        }
        for (PatternGroup g : r.patterns) {
            receivers += fanOut(f, g.subs, PMESSAGE, g.pattern, subject, so, sl, msg, po, pl);
        }
        if (r.nats.length > 0 || r.natsQueues.length > 0) {
            receivers += fanOutNats(f, r, subject, so, sl, reply, ro, rl, msg, mo, hdr, total, origin, onlyQueues, here);
        }
        return receivers;
    }

    /** SPUBLISH: shard channels only. */
    public int publishShard(ByteBuf channel, int so, int sl, ByteBuf payload, int po, int pl, LoopContext here) {
        Traffic t = here == null ? stats.offLoopTraffic() : here.traffic;
        t.published(pl);
        Subscription[] subs = index.shardSubscribers(channel, so, sl);
        if (subs.length == 0) {
            t.noReceivers();
            return 0;
        }
        return fanOut(here == null ? new FrameScratch(alloc, null, t, null) : here.frames, subs, SMESSAGE, null, channel, so, sl, payload, po, pl);
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
                        ok = out.deliver(f.scratch, index, n, f.loop);
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
                        ok = out.deliver(shared, f.loop);
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
                    ok = out.deliver(own, f.loop);
                }
                if (ok) {
                    delivered++;
                    bytes += n;
                }
            }
        } finally {
            f.reset();
        }
        f.traffic.delivered(delivered, bytes);
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
     * NATS frames carry each subscription's sid, and only the sid differs: a frame is a
     * {@link SplitFrame}, {@code head + sid + tail}. Head and tail are encoded once per publish
     * (per flavour: MSG, or HMSG for receivers that take headers) into the loop's scratch buffer,
     * or a pooled buffer when they do not fit, and each receiver's outbound copies the pieces
     * into its buffer (a large payload straight from the publisher's).
     */
    private int fanOutNats(FrameScratch f, MatchResult r, ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
                           ByteBuf msg, int mo, int hdr, int total, Subscriber origin, byte[][] onlyQueues, LoopContext here) {
        int receivers = 0;
        int delivered = 0;
        long bytes = 0;
        LeafTargets leaves = f.leaves;
        try {
            for (Subscription s : r.nats) {
                if (s.kind == SubscriptionKind.LEAF) {
                    // One message per link however many of its hub's subscriptions match.
                    if (s.owner != origin) {
                        leaves.add((LeafSubscriber) s.owner, null);
                    }
                    continue;
                }
                int n = deliverNats(f, s, subject, so, sl, reply, ro, rl, msg, mo, hdr, total, origin);
                if (n >= 0) {
                    receivers++;
                    if (n > 0) {
                        delivered++;
                        bytes += n;
                    }
                }
            }
            for (Subscription[] group : r.natsQueues) {
                if (onlyQueues != null && !named(onlyQueues, group[0].queue)) {
                    continue;
                }
                // Local members first, as nats-server prefers them; a hub's member (a leaf link)
                // only when no local member took the message.
                int start = ThreadLocalRandom.current().nextInt(group.length);
                boolean taken = false;
                Subscription hub = null;
                for (int k = 0; k < group.length; k++) {
                    Subscription s = group[(start + k) % group.length];
                    if (s.kind == SubscriptionKind.LEAF) {
                        if (hub == null && s.owner != origin) {
                            hub = s;
                        }
                        continue;
                    }
                    int n = deliverNats(f, s, subject, so, sl, reply, ro, rl, msg, mo, hdr, total, origin);
                    if (n >= 0) {
                        receivers++;
                        if (n > 0) {
                            delivered++;
                            bytes += n;
                        }
                        taken = true;
                        break;
                    }
                }
                if (!taken && hub != null) {
                    leaves.add((LeafSubscriber) hub.owner, hub.queue);
                }
            }
            if (!leaves.isEmpty()) {
                int forwarded = leaves.send(f, subject, so, sl, reply, ro, rl, msg, mo, hdr, total);
                if (here != null) {
                    here.leafForwards = forwarded;
                }
            }
        } finally {
            f.reset();
        }
        f.traffic.delivered(delivered, bytes);
        return receivers;
    }

    private static boolean named(byte[][] queues, byte[] q) {
        for (byte[] n : queues) {
            if (java.util.Arrays.equals(n, q)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @return -1 when the subscription does not take this message (own message without echo,
     *         auto-unsubscribe limit reached), else the frame size handed over (0 if dropped)
     */
    private int deliverNats(FrameScratch f, Subscription s, ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
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
        boolean headers = hdr > 0 && owner.headers();
        SplitFrame frame = headers ? f.natsHmsg : f.natsMsg;
        if (!frame.encoded()) {
            encodeNats(f, frame, headers, subject, so, sl, reply, ro, rl, msg, mo, hdr, total);
        }
        return owner.outbound().deliver(frame, s.sid, f.loop) ? frame.length(s.sid) : 0;
    }

    /**
     * Payloads up to this size are copied into the frame's encoded tail once per publish; larger
     * ones are copied per receiver straight from the publisher's buffer (see {@link SplitFrame}).
     */
    static final int NATS_INLINE_PAYLOAD = 256;

    /** The shared pieces of a MSG or HMSG frame: head and tail encoded, a large payload referenced. */
    private static void encodeNats(FrameScratch f, SplitFrame frame, boolean headers, ByteBuf subject, int so, int sl,
                                   ByteBuf reply, int ro, int rl, ByteBuf msg, int mo, int hdr, int total) {
        int po = headers ? mo : mo + hdr;
        int pl = headers ? total : total - hdr;
        boolean inline = pl <= NATS_INLINE_PAYLOAD;
        ByteBuf b = f.natsBuffer(64 + sl + rl + NATS_INLINE_PAYLOAD);
        int head = b.writerIndex();
        NatsEncoder.frameHead(b, headers, subject, so, sl);
        int tail = b.writerIndex();
        if (headers) {
            NatsEncoder.hmsgControl(b, reply, ro, rl, hdr, total);
        } else {
            NatsEncoder.msgControl(b, reply, ro, rl, pl);
        }
        if (inline) {
            b.writeBytes(msg, po, pl);
            NatsEncoder.crlf(b);
            frame.payload = null;
        } else {
            frame.payload = msg;
            frame.payloadIndex = po;
            frame.payloadLength = pl;
        }
        frame.pieces = b;
        frame.headIndex = head;
        frame.headLength = tail - head;
        frame.tailIndex = tail;
        frame.tailLength = b.writerIndex() - tail;
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
