package io.lightbroker.broker.embed;

import io.lightbroker.broker.core.BrokerStats;
import io.lightbroker.broker.core.LocalSubscriber;
import io.lightbroker.broker.core.RateLimitedLog;
import io.lightbroker.broker.core.Subscription;
import io.lightbroker.broker.core.SubscriptionKind;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jctools.queues.MpscChunkedArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-process subscription ({@link SubscriptionKind#LOCAL}), as returned by
 * {@code LightBroker.subscribe}; {@link #close()} unsubscribes.
 *
 * <p><b>Path of a message.</b> The broker's NATS fan-out calls {@link Receiver#deliverLocal} on
 * the publisher's thread (an event loop, or the thread that called {@code publish}); it copies
 * the message into a {@link Message} and offers it to a bounded MPSC queue. The first offer
 * after the queue went idle submits one drain task to the embedded executor; the drain runs the
 * handler for up to {@link #BATCH} messages, then yields the thread and resubmits itself if more
 * arrived. So the handler of one subscription is never run concurrently with itself and sees
 * messages in the order each publisher published them, and no user code ever runs on an event
 * loop or a publisher's thread.
 *
 * <p><b>Over the bound.</b> When the queue is full the message is dropped, never waited for:
 * counted in {@link #dropped()} and {@code droppedMessages}; each episode (from the first drop
 * until the handler has caught up with an empty queue) counts once in {@code slowConsumers} and
 * logs one rate-limited warning.
 *
 * <p><b>Handler failures</b> are logged (rate-limited) and do not end the subscription.
 */
public final class LocalSubscription implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalSubscription.class);
    private static final RateLimitedLog SLOW_LOG = new RateLimitedLog(LOG, 10);
    private static final RateLimitedLog HANDLER_LOG = new RateLimitedLog(LOG, 10);
    static final int BATCH = 256;

    private final LocalBus bus;
    private final String subject;
    private final String queueGroup;
    private final Consumer<Message> handler;
    private final Receiver receiver;
    final Subscription subscription;
    private final MpscChunkedArrayQueue<Message> queue;
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean overflowing;
    private volatile boolean closed;
    private final Runnable drainTask = this::drain;

    LocalSubscription(LocalBus bus, long clientId, String subject, String queueGroup, int queueLimit, Consumer<Message> handler) {
        this.bus = bus;
        this.subject = subject;
        this.queueGroup = queueGroup;
        this.handler = handler;
        // Chunked: grows by chunks up to the bound, so an idle subscription costs little memory.
        // JCTools rounds the bound up to a power of two (at least 4).
        int max = Math.max(4, queueLimit);
        int chunk = Math.max(2, Math.min(64, Integer.highestOneBit(max - 1)));
        this.queue = new MpscChunkedArrayQueue<>(chunk, max);
        this.receiver = new Receiver(clientId);
        this.subscription = new Subscription(receiver, SubscriptionKind.LOCAL, subject.getBytes(StandardCharsets.UTF_8),
                queueGroup == null ? null : queueGroup.getBytes(StandardCharsets.UTF_8), null);
    }

    public String subject() {
        return subject;
    }

    /** The queue group, or null. */
    public String queueGroup() {
        return queueGroup;
    }

    /** Messages handed to the handler so far. */
    public long received() {
        return received.get();
    }

    /** Messages dropped because the handler fell behind by more than the queue bound. */
    public long dropped() {
        return dropped.get();
    }

    /** Messages accepted but not yet handed to the handler. */
    public int pending() {
        return queue.size();
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Unsubscribes: no message published after this returns is delivered, and messages still
     * queued are discarded. Idempotent; safe from the handler itself.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        bus.unsubscribe(this);
        queue.clear();
    }

    /** Broker side, publisher's thread: copy, offer, schedule. */
    private int offer(ByteBuf subj, int so, int sl, ByteBuf reply, int ro, int rl, ByteBuf msg, int mo, int hdr, int total) {
        if (closed) {
            return 0;
        }
        byte[] headers = Message.NO_BYTES;
        if (hdr > 0) {
            headers = new byte[hdr];
            msg.getBytes(mo, headers);
        }
        byte[] payload = new byte[total - hdr];
        msg.getBytes(mo + hdr, payload);
        Message m = new Message(subj.toString(so, sl, StandardCharsets.UTF_8),
                rl > 0 ? reply.toString(ro, rl, StandardCharsets.UTF_8) : null, headers, payload);
        BrokerStats stats = bus.stats();
        if (!queue.offer(m)) {
            dropped.incrementAndGet();
            stats.droppedMessages.increment();
            if (!overflowing) {
                overflowing = true;
                stats.slowConsumers.increment();
                SLOW_LOG.warn("in-process subscriber on '{}' is {} messages behind: dropping until it catches up", subject, queue.size());
            }
            return 0;
        }
        schedule();
        return sl + rl + total;
    }

    private void schedule() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            Executor e = bus.executor();
            try {
                e.execute(drainTask);
            } catch (RejectedExecutionException shuttingDown) {
                scheduled.set(false);
                queue.clear();
            }
        }
    }

    private void drain() {
        try {
            Message m;
            int n = 0;
            while (n < BATCH && !closed && (m = queue.relaxedPoll()) != null) {
                n++;
                received.incrementAndGet();
                try {
                    handler.accept(m);
                } catch (VirtualMachineError fatal) {
                    throw fatal;
                } catch (Throwable e) {
                    HANDLER_LOG.warn("in-process subscriber on '{}' threw: {}", subject, e.toString());
                }
            }
        } finally {
            scheduled.set(false);
        }
        if (overflowing && queue.isEmpty()) {
            overflowing = false; // caught up: the next drop starts a new slow-consumer episode
        }
        if (!closed && !queue.isEmpty()) {
            schedule();
        }
    }

    @Override
    public String toString() {
        return "LocalSubscription[" + subject + (queueGroup == null ? "" : " queue=" + queueGroup) + "]";
    }

    /** The core's view of this subscription; a nested class so that its methods stay off the public API. */
    private final class Receiver implements LocalSubscriber {
        private final long clientId;

        Receiver(long clientId) {
            this.clientId = clientId;
        }

        @Override
        public long clientId() {
            return clientId;
        }

        @Override
        public int deliverLocal(Subscription s, ByteBuf subj, int so, int sl, ByteBuf reply, int ro, int rl,
                                ByteBuf msg, int mo, int hdr, int total) {
            return offer(subj, so, sl, reply, ro, rl, msg, mo, hdr, total);
        }

        /** Auto-unsubscribe limit reached; the message that reached it is still delivered. */
        @Override
        public void subscriptionExhausted(Subscription s) {
            bus.forget(LocalSubscription.this);
        }
    }
}
