package io.lightbroker.broker.core;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * One connection's outbound side: a bounded, batching, never-blocking path from any publisher
 * thread to the socket.
 *
 * <p><b>Same loop.</b> A frame delivered on the connection's own event loop is copied into
 * {@link #out}, the connection's aggregation buffer (small frames) or written as a shared
 * duplicate (frames of {@link #SHARE_THRESHOLD} bytes and more), and the outbound is marked
 * dirty; the loop flushes it once per batch. Command replies use the same buffer, so replies
 * and messages leave in the order they were produced.
 *
 * <p><b>Other threads.</b> The frame is retained (not copied) and appended to {@link #inbox},
 * a JCTools MPSC queue; the outbound registers once with its {@link LoopContext} until the
 * loop drains it. Frames are shared by reference count: a fan-out to N receivers encodes
 * once and retains N times.
 *
 * <p><b>Budget.</b> {@link #queued} counts message bytes accepted but not yet handed to Netty;
 * Netty's own pending count covers the rest. Over the hard limit, or over the soft limit for
 * longer than its window, the connection is closed as a slow consumer: counted, logged at a
 * bounded rate, and every later frame is dropped (and counted) instead of queued. The
 * publisher never waits.
 *
 * <p><b>Order.</b> For one publisher and one receiver every frame takes the same path (same
 * loop or inbox), each FIFO, so messages arrive in publish order.
 *
 * <p><b>Fault injection.</b> {@link #delayEachMessage} (the embedded API's
 * {@code faults().slowDown}) makes every message wait before it is written: it is copied,
 * queued on the loop and released by a scheduled task, one per message, at strictly growing
 * release times, so order is kept; the bytes stay counted in the budget while they wait, so a
 * long enough delay ends in a slow-consumer disconnect, as a really slow reader would. When
 * no delay is set, the cost on {@link #deliver} is one volatile read ({@link #delaying}).
 *
 * <p>Threading: {@link #deliver} and {@link #delayEachMessage} from any thread; {@link #out},
 * {@link #dirty}, the delayed queue and the per-connection counters only on the connection's loop.
 */
public final class Outbound {
    static final int SHARE_THRESHOLD = 8 * 1024;
    private static final int INITIAL_OUT = 1024;
    /**
     * Largest aggregation buffer: past it the buffer is handed to Netty (written, not yet
     * flushed) and a new one started. Without the cap a burst grew one buffer by doubling to
     * megabytes, which the pooled allocator serves from chunks it creates and frees again: the
     * 1-to-10 fan-out of 1 KB messages spent half its time in page faults (56k/s, perf stat).
     */
    private static final int MAX_OUT = 64 * 1024;

    private static final VarHandle QUEUED;
    private static final VarHandle SCHEDULED;
    private static final VarHandle INBOX;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            QUEUED = l.findVarHandle(Outbound.class, "queued", long.class);
            SCHEDULED = l.findVarHandle(Outbound.class, "scheduled", int.class);
            INBOX = l.findVarHandle(Outbound.class, "inbox", MpscUnboundedXaddArrayQueue.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Channel channel;
    private final LoopContext ctx;
    private final OutputLimits limits;
    private final BrokerStats stats;
    private final SlowConsumerHandler slowHandler;

    @SuppressWarnings("unused") // via QUEUED
    private volatile long queued;
    @SuppressWarnings("unused") // via SCHEDULED
    private volatile int scheduled;
    private volatile MpscUnboundedXaddArrayQueue<ByteBuf> inbox;
    private volatile boolean closed;
    private volatile long softSince;
    /** True from {@link #delayEachMessage} with a delay until the delayed queue drained after it is lifted. */
    private volatile boolean delaying;
    private volatile long delayNanos;
    private ArrayDeque<ByteBuf> delayed;
    private long nextReleaseNanos;

    private ByteBuf out;
    /**
     * Bytes in the last aggregation buffer handed to Netty: the next one starts that large, so a
     * connection that receives bursts does not regrow its buffer by doubling from
     * {@link #INITIAL_OUT} after every flush (each step a reallocation and a copy).
     */
    private int lastOut;
    private long outCounted;
    boolean dirty;
    private long msgsOut;
    private long bytesOut;

    /** What happens when the budget is exceeded; runs on the publisher's thread, once. */
    public interface SlowConsumerHandler {
        void onSlowConsumer(Outbound outbound, long pendingBytes);
    }

    public Outbound(Channel channel, LoopContext ctx, OutputLimits limits, BrokerStats stats, SlowConsumerHandler slowHandler) {
        this.channel = channel;
        this.ctx = ctx;
        this.limits = limits;
        this.stats = stats;
        this.slowHandler = slowHandler;
    }

    public Channel channel() {
        return channel;
    }

    public LoopContext loopContext() {
        return ctx;
    }

    /** True on this connection's own event loop, where {@link #deliver} copies at once. */
    boolean onCurrentLoop() {
        return ctx.loop.inEventLoop();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Hands a message frame to this connection. Never blocks; does not consume the caller's
     * reference to {@code frame}, and never changes its indices.
     *
     * @param from the publisher's event loop context, or null when not publishing on an event loop
     * @return false when the frame was dropped (connection closed or over budget)
     */
    public boolean deliver(ByteBuf frame, LoopContext from) {
        return deliver(frame, frame.readerIndex(), frame.readableBytes(), from);
    }

    // Note: the cross-loop path always slices, never retains the whole buffer, even when the
    // range covers it: a caller may go on writing past the range (the NATS fan-out once did,
    // and the receiver then got every later receiver's frames too).

    /**
     * Hands the bytes {@code [index, index + n)} of {@code buf} to this connection: copied on
     * this connection's loop, a retained slice otherwise. Does not consume the caller's reference.
     */
    public boolean deliver(ByteBuf buf, int index, int n, LoopContext from) {
        if (!admit(n)) {
            return false;
        }
        if (delaying) {
            deliverDelayed(buf, index, n);
            return true;
        }
        if (ctx.loop.inEventLoop()) {
            drainBeforeReplies();
            append(buf, index, n);
            ctx.markDirty(this);
        } else {
            enqueue(buf.retainedSlice(index, n), from);
        }
        return true;
    }

    /**
     * Hands over a frame given in pieces around {@code middle} (see {@link SplitFrame}: a NATS
     * fan-out, where only the sid differs per subscription). On this connection's loop the pieces
     * are copied straight into the aggregation buffer, so the frame is never assembled elsewhere
     * first; from another thread they are assembled into a buffer of their own and queued. Does
     * not keep any reference to the frame's buffers.
     *
     * @param from the publisher's event loop context, or null when not publishing on an event loop
     * @return false when the frame was dropped (connection closed or over budget)
     */
    public boolean deliver(SplitFrame f, byte[] middle, LoopContext from) {
        int n = f.length(middle);
        if (!admit(n)) {
            return false;
        }
        boolean here = ctx.loop.inEventLoop();
        if (here) {
            drainBeforeReplies();
        }
        if (here && !delaying && n < SHARE_THRESHOLD) {
            f.writeTo(buffer(n), middle);
            outCounted += n;
            msgsOut++;
            bytesOut += n;
            ctx.markDirty(this);
            return true;
        }
        ByteBuf frame = channel.alloc().directBuffer(n);
        f.writeTo(frame, middle);
        try {
            if (delaying) {
                deliverDelayed(frame, 0, n);
            } else if (here) {
                append(frame, 0, n);
                ctx.markDirty(this);
            } else {
                enqueue(frame.retain(), from);
            }
        } finally {
            frame.release();
        }
        return true;
    }

    /** Counts {@code n} bytes against the budget; false (and the frame dropped) when closed or over it. */
    private boolean admit(int n) {
        if (closed) {
            stats.droppedMessages.increment();
            return false;
        }
        long pending = (long) QUEUED.getAndAdd(this, (long) n) + n + nettyPending();
        if (limits != null && overBudget(pending)) {
            QUEUED.getAndAdd(this, (long) -n);
            slowConsumer(pending);
            return false;
        }
        return true;
    }

    /**
     * Another thread: queues a frame whose reference passes to this outbound. {@code from} is
     * the publisher's loop (null off-loop), which wakes this connection's loop when its batch ends.
     */
    private void enqueue(ByteBuf frame, LoopContext from) {
        inbox().offer(frame);
        if ((int) SCHEDULED.getAndSet(this, 1) == 0) {
            ctx.ready(this, from);
        }
    }

    /**
     * Fault injection, any thread: from now on every message waits {@code nanos} longer than the
     * one before it (0 lifts the fault; messages already waiting still leave in order).
     */
    public void delayEachMessage(long nanos) {
        delayNanos = Math.max(0, nanos);
        if (nanos > 0) {
            delaying = true;
        } else {
            try {
                ctx.loop.execute(this::maybeStopDelaying);
            } catch (RejectedExecutionException shuttingDown) {
                delaying = false;
            }
        }
    }

    private void deliverDelayed(ByteBuf buf, int index, int n) {
        // A copy, not a slice: the publisher reuses its scratch buffer as soon as we return.
        ByteBuf copy = channel.alloc().directBuffer(n).writeBytes(buf, index, n);
        if (ctx.loop.inEventLoop()) {
            enqueueDelayed(copy);
            return;
        }
        try {
            ctx.loop.execute(() -> enqueueDelayed(copy));
        } catch (RejectedExecutionException shuttingDown) {
            dropQueued(copy);
        }
    }

    /** Loop thread. Release times only grow, and Netty runs equal deadlines in submission order. */
    private void enqueueDelayed(ByteBuf frame) {
        if (closed) {
            dropQueued(frame);
            return;
        }
        if (delayed == null) {
            delayed = new ArrayDeque<>();
        }
        long delay = delayNanos;
        if (delay == 0 && delayed.isEmpty()) {
            appendReleased(frame);
            maybeStopDelaying();
            return;
        }
        long now = System.nanoTime();
        long at = Math.max(now, nextReleaseNanos) + delay;
        nextReleaseNanos = at;
        delayed.addLast(frame);
        ctx.loop.schedule(this::releaseDelayed, at - now, TimeUnit.NANOSECONDS);
    }

    private void releaseDelayed() {
        ByteBuf f = delayed == null ? null : delayed.pollFirst();
        if (f == null) {
            return;
        }
        if (closed) {
            dropQueued(f);
        } else {
            appendReleased(f);
        }
        maybeStopDelaying();
    }

    private void appendReleased(ByteBuf f) {
        append(f, f.readerIndex(), f.readableBytes());
        f.release();
        ctx.markDirty(this);
    }

    private void maybeStopDelaying() {
        if (delayNanos == 0 && (delayed == null || delayed.isEmpty())) {
            delaying = false;
        }
    }

    private void dropQueued(ByteBuf f) {
        QUEUED.getAndAdd(this, (long) -f.readableBytes());
        stats.droppedMessages.increment();
        f.release();
    }

    private long nettyPending() {
        ChannelOutboundBuffer b = channel.unsafe().outboundBuffer();
        return b == null ? 0 : b.totalPendingWriteBytes();
    }

    private boolean overBudget(long pending) {
        if (limits.hardBytes() > 0 && pending > limits.hardBytes()) {
            return true;
        }
        if (limits.softBytes() > 0 && pending > limits.softBytes()) {
            long now = System.nanoTime();
            long since = softSince;
            if (since == 0) {
                softSince = now;
            } else if (now - since > limits.softNanos()) {
                return true;
            }
        } else if (softSince != 0) {
            softSince = 0;
        }
        return false;
    }

    private void slowConsumer(long pending) {
        if (closed) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stats.slowConsumers.increment();
        stats.droppedMessages.increment();
        slowHandler.onSlowConsumer(this, pending);
    }

    @SuppressWarnings("unchecked")
    private MpscUnboundedXaddArrayQueue<ByteBuf> inbox() {
        MpscUnboundedXaddArrayQueue<ByteBuf> q = inbox;
        if (q == null) {
            q = new MpscUnboundedXaddArrayQueue<>(64);
            MpscUnboundedXaddArrayQueue<ByteBuf> won = (MpscUnboundedXaddArrayQueue<ByteBuf>) INBOX.compareAndExchange(this, null, q);
            if (won != null) {
                q = won;
            }
        }
        return q;
    }

    /** Loop thread: moves what other threads delivered into the aggregation buffer. */
    void drainInbox() {
        SCHEDULED.setVolatile(this, 0);
        MpscUnboundedXaddArrayQueue<ByteBuf> q = inbox;
        if (q == null) {
            return;
        }
        ByteBuf f;
        boolean appended = false;
        while ((f = q.relaxedPoll()) != null) {
            int n = f.readableBytes();
            if (closed) {
                QUEUED.getAndAdd(this, (long) -n);
                stats.droppedMessages.increment();
            } else {
                append(f, f.readerIndex(), n);
                appended = true;
            }
            f.release();
        }
        if (appended) {
            ctx.markDirty(this);
        }
    }

    /**
     * Loop thread: moves what other loops queued for this connection into its buffer, so that
     * what is written here next goes behind it. Sessions call it before handling a read batch
     * (replies then follow every message delivered before the commands arrived), and a delivery
     * made on this loop calls it first: a message queued by another loop can be older than one
     * published here, since its publisher may already have had its reply and published the next
     * message through a connection on this loop while this loop's wake-up task still waits
     * behind that read (Redis and nats-server keep that order; CrossLoopOrderTest).
     */
    public void drainBeforeReplies() {
        if (inbox != null && !inbox.isEmpty()) {
            drainInbox();
        }
    }

    void discardInbox() {
        MpscUnboundedXaddArrayQueue<ByteBuf> q = inbox;
        if (q == null) {
            return;
        }
        ByteBuf f;
        while ((f = q.relaxedPoll()) != null) {
            QUEUED.getAndAdd(this, (long) -f.readableBytes());
            f.release();
        }
    }

    private void append(ByteBuf buf, int index, int n) {
        msgsOut++;
        bytesOut += n;
        if (n >= SHARE_THRESHOLD) {
            writeOut();
            channel.write(buf.retainedSlice(index, n), channel.voidPromise());
            QUEUED.getAndAdd(this, (long) -n);
        } else {
            buffer(n).writeBytes(buf, index, n);
            outCounted += n;
        }
    }

    /**
     * Loop thread: the aggregation buffer, for writing a reply of about {@code hint} bytes.
     * The caller must call {@link #replyWritten()} afterwards so the reply gets flushed.
     */
    public ByteBuf buffer(int hint) {
        ByteBuf b = out;
        if (b != null && b.readableBytes() + hint > MAX_OUT) {
            writeOut();
            b = null;
        }
        if (b == null) {
            b = channel.alloc().directBuffer(Math.max(Math.max(INITIAL_OUT, hint), lastOut));
            out = b;
        } else {
            b.ensureWritable(hint);
        }
        return b;
    }

    /**
     * Writes and flushes what is buffered at once, outside the loop's batched flush, for bytes
     * that must reach the socket before the pipeline changes (a NATS INFO in plain text before
     * TLS begins). Loop thread only.
     */
    public void flushNow() {
        writeOut();
        channel.flush();
    }

    public void replyWritten() {
        ctx.markDirty(this);
    }

    private void writeOut() {
        ByteBuf b = out;
        if (b != null && b.isReadable()) {
            out = null;
            lastOut = Math.min(b.readableBytes(), MAX_OUT);
            channel.write(b, channel.voidPromise());
            QUEUED.getAndAdd(this, -outCounted);
            outCounted = 0;
        }
    }

    void flush() {
        dirty = false;
        writeOut();
        channel.flush();
    }

    /** Loop thread, when the channel became inactive: drops and releases everything queued. */
    public void close() {
        closed = true;
        if (out != null) {
            out.release();
            out = null;
            QUEUED.getAndAdd(this, -outCounted);
            outCounted = 0;
        }
        discardInbox();
        if (delayed != null) {
            ByteBuf f;
            while ((f = delayed.pollFirst()) != null) {
                dropQueued(f);
            }
        }
    }

    /** Messages and bytes handed to this connection's socket path (loop thread view). */
    public long msgsOut() {
        return msgsOut;
    }

    public long bytesOut() {
        return bytesOut;
    }

    public long pendingBytes() {
        return (long) QUEUED.getVolatile(this) + nettyPending();
    }
}
