package io.lightbroker.broker.core;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.jctools.queues.MpscUnboundedXaddArrayQueue;

/**
 * Per-event-loop delivery state: the loop's {@link MatchCache}, the outbounds written since
 * the last flush, and the hand-off queue through which other threads deliver to this loop.
 *
 * <p><b>Flushing.</b> Anything written on this loop marks its outbound dirty; the dirty list
 * is flushed once per batch — at the end of a read batch ({@link #endOfBatch()} from
 * {@code channelReadComplete}) or by one task scheduled on the first mark — never per message.
 *
 * <p><b>Hand-off.</b> A publisher on another thread appends the frame to the receiving
 * outbound's own MPSC inbox and, on the inbox's first item, registers the outbound in
 * {@link #ready}. Only the first registration after a drain wakes the loop (one
 * {@code execute} per batch, guarded by {@link #wakeup}). The drain clears {@code wakeup}
 * before polling, so a registration racing with the end of a drain always schedules another.
 * A publisher that is itself an event loop does not wake the receiving loop there and then: it
 * wakes it once at the end of its own batch, with {@link #flushDirty()}. Otherwise the receiving
 * loop, idle on another core, woke for the first message, drained and flushed it alone, and
 * went back to sleep before the next: one wake-up and one write syscall per message (NATS
 * 1-to-1 across two loops: 0.39 M msgs/s, against 2.9 M on one loop).
 *
 * <p><b>Coalescing.</b> A flush round costs about one {@code write} per dirty outbound, and
 * under load that is where the loop's time goes: at 100k msgs/s to 10 subscribers each round
 * carried about 7 messages per socket and the loop was 92 % busy, mostly in the kernel. So
 * when a read batch brought more than one publish (messages queued up while the loop was
 * busy), and the last round ended less than {@code writeCoalescing} % of a round's (smoothed)
 * duration ago, {@link #endOfBatch()} holds the writes back for one flush at that moment, never
 * more than {@link #MAX_HOLD_NANOS}; the reads in between add to it. A loop fanning out
 * continuously then spends at most half its time (at 100 %) in flush rounds: at 100k msgs/s to
 * 10 subscribers its CPU fell from 0.91 to 0.80 of a core and the p99 latency to a third. A
 * batch of one publish, or a loop that has been idle, flushes at once, so a lone request, its
 * reply, and traffic at 10k msgs/s are not delayed. Anything that must go out at once (before
 * a close, a PING, a lame-duck INFO) calls {@link #flushDirty()}.
 *
 * <p>Threading: everything but {@link #ready} and {@link #wakeup} is confined to the loop.
 */
public final class LoopContext {
    final EventLoop loop;
    final MatchCache cache = new MatchCache();
    /**
     * Where a publish on this loop encodes its frames. Receivers on this loop copy from it at
     * once; receivers on other loops get a copy of their own. Wraps plain direct memory (no pool,
     * no reference count) because it lives as long as the loop and is never handed to Netty.
     */
    final ByteBuf scratch = Unpooled.wrappedBuffer(ByteBuffer.allocateDirect(SCRATCH_BYTES)).clear();
    static final int SCRATCH_BYTES = 64 * 1024;
    final FrameScratch frames;
    private ArrayList<Outbound> dirty = new ArrayList<>();
    private ArrayList<Outbound> spare = new ArrayList<>();
    /** Other loops to wake at the end of this loop's batch: messages were queued for them. */
    private final ArrayList<LoopContext> wakeLater = new ArrayList<>();
    private boolean flushScheduled;
    private final MpscUnboundedXaddArrayQueue<Outbound> ready = new MpscUnboundedXaddArrayQueue<>(256);
    private final AtomicBoolean wakeup = new AtomicBoolean();
    private final Runnable flushTask = this::endOfBatch;
    private final Runnable heldFlushTask = this::flushHeld;
    private final Runnable flushNowTask = this::flushDirty;
    /** Percentage of a flush round's duration to wait before the next; 0 never waits. */
    private final int writeCoalescing;
    /** End-of-batch flushes before this clock time wait for {@link #heldFlushTask}. */
    private long holdUntil;
    private boolean holding;
    /** End-of-batch flushes held back so far (loop thread writes, others may read). */
    private volatile long heldFlushes;
    /** Publishes on this loop up to the last flush round. */
    private long msgsInAtFlush;
    /** Flush rounds' duration, smoothed (1/8 of each new round). */
    private long roundNanos;
    private final LongSupplier clock;
    /** The longest a flush is held back, whatever the rounds cost. */
    static final long MAX_HOLD_NANOS = 100_000;
    private final Runnable drainTask = this::drain;

    /** Message counters of publishes on this loop (this loop is their only writer). */
    final Traffic traffic;
    /**
     * Leaf links the last publish on this loop was forwarded to: a NATS request that reached
     * none locally but went to a hub gets no 503, as with nats-server's leaf nodes.
     */
    int leafForwards;

    public LoopContext(EventLoop loop, ByteBufAllocator alloc, Traffic traffic) {
        this(loop, alloc, traffic, 0);
    }

    public LoopContext(EventLoop loop, ByteBufAllocator alloc, Traffic traffic, int writeCoalescing) {
        this(loop, alloc, traffic, writeCoalescing, System::nanoTime);
    }

    /** With the clock the coalescing reads (tests). */
    LoopContext(EventLoop loop, ByteBufAllocator alloc, Traffic traffic, int writeCoalescing, LongSupplier clock) {
        this.loop = loop;
        this.clock = clock;
        this.traffic = traffic;
        this.writeCoalescing = writeCoalescing;
        this.frames = new FrameScratch(alloc, scratch, traffic, this);
    }

    /** Flushes this loop held back for coalescing so far. */
    public long heldFlushes() {
        return heldFlushes;
    }

    /** Leaf links the last {@link Broker#publish} made on this loop forwarded to. */
    public int leafForwards() {
        return leafForwards;
    }

    public EventLoop loop() {
        return loop;
    }

    public MatchCache cache() {
        return cache;
    }

    void markDirty(Outbound o) {
        if (!o.dirty) {
            o.dirty = true;
            dirty.add(o);
            if (!flushScheduled) {
                flushScheduled = true;
                loop.execute(flushTask);
            }
        }
    }

    /**
     * The end of a read batch (or of the tasks that wrote): flushes now, or, if the last flush
     * round ended too recently (see Coalescing above), once at the end of the hold. Cross-loop
     * wake-ups are not held back. Loop thread only.
     */
    public void endOfBatch() {
        if (holding) {
            wakeOthers();
            return;
        }
        if (writeCoalescing > 0 && !dirty.isEmpty() && traffic.msgsIn() - msgsInAtFlush > 1) {
            long wait = holdUntil - clock.getAsLong();
            if (wait > 0) {
                heldFlushes++;
                holding = true;
                flushScheduled = true;
                loop.schedule(heldFlushTask, wait, TimeUnit.NANOSECONDS);
                wakeOthers();
                return;
            }
        }
        flushDirty();
    }

    private void flushHeld() {
        holding = false;
        flushDirty();
    }

    /** Any thread: flush this loop's held-back writes on the loop, without waiting for the hold. */
    void flushSoon() {
        try {
            loop.execute(flushNowTask);
        } catch (RejectedExecutionException shuttingDown) {
            // the loop is gone, and its channels with it
        }
    }

    /** Flushes every outbound written on this loop since the last flush, at once. Loop thread only. */
    public void flushDirty() {
        flushScheduled = holding;
        int n = dirty.size();
        if (n > 0) {
            long start = writeCoalescing > 0 ? clock.getAsLong() : 0;
            // Swapped out first: whatever a flush sets off on this loop (a task Netty runs, an
            // outbound written meanwhile) finds a fresh list, not this round's.
            ArrayList<Outbound> round = dirty;
            dirty = spare;
            spare = round;
            for (int i = 0; i < n; i++) {
                round.get(i).flush();
            }
            round.clear();
            if (writeCoalescing > 0) {
                msgsInAtFlush = traffic.msgsIn();
                long end = clock.getAsLong();
                // A smoothed round time, so that one round the OS interrupted does not hold the next.
                roundNanos += ((end - start) - roundNanos) >> 3;
                holdUntil = end + Math.min(roundNanos * writeCoalescing / 100, MAX_HOLD_NANOS);
            }
        }
        wakeOthers();
    }

    private void wakeOthers() {
        if (!wakeLater.isEmpty()) {
            for (int i = 0; i < wakeLater.size(); i++) {
                wakeLater.get(i).wake();
            }
            wakeLater.clear();
        }
    }

    /**
     * Another thread registers an outbound of this loop whose inbox got its first item. When
     * that thread is an event loop ({@code from}), the wake-up is left to the end of its batch
     * ({@link #flushDirty()}); off-loop publishers wake this loop at once.
     */
    void ready(Outbound o, LoopContext from) {
        ready.offer(o);
        if (!wakeup.get() && wakeup.compareAndSet(false, true)) {
            if (from != null && from != this && from.loop.inEventLoop()) {
                from.wakeLater(this);
            } else {
                wake();
            }
        }
    }

    private void wake() {
        try {
            loop.execute(drainTask);
        } catch (RejectedExecutionException shuttingDown) {
            drainRejected();
        }
    }

    /** Loop thread: wake {@code other} when this loop's current batch ends. */
    private void wakeLater(LoopContext other) {
        wakeLater.add(other);
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private void drain() {
        wakeup.set(false);
        Outbound o;
        while ((o = ready.poll()) != null) {
            o.drainInbox();
        }
        endOfBatch();
    }

    /** The loop is gone: release what is queued for it so no buffer leaks at shutdown. */
    private void drainRejected() {
        Outbound o;
        while ((o = ready.poll()) != null) {
            o.discardInbox();
        }
    }
}
