package io.lightbroker.broker.embed;

import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.BrokerStats;
import io.lightbroker.broker.core.Faults;
import io.lightbroker.nats.NatsSubjects;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The in-process side of an embedded broker: publish and subscribe from the JVM that runs it,
 * in the same subject space the RESP and NATS clients use (what {@code LightBroker.publish},
 * {@code subscribe}, {@code request} and {@code captured} delegate to).
 *
 * <p><b>Publishing</b> runs {@link Broker#publish} on the caller's thread with no event loop
 * context, the path the core already supports off-loop: no match cache, a pooled frame per
 * receiver shape, hand-off to each connection's loop through its MPSC inbox. It never blocks.
 *
 * <p><b>Subscribing</b> adds a {@link LocalSubscription} to the subject space with NATS
 * semantics; handlers run on one executor per broker, created on the first subscription: a
 * cached pool of daemon threads named {@code lightbroker-local-N}, one per subscription that
 * has work, idle threads ending after two seconds. A cached pool rather than a fixed one
 * because test handlers block (on latches, on assertions, on the code under test), and one
 * blocked handler must not starve the others.
 *
 * <p>{@link #close()} unsubscribes everything and stops the executor, so a closed broker
 * leaves no thread behind.
 */
public final class LocalBus implements AutoCloseable {
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Broker broker;
    private final Faults faults;
    private final int queueLimit;
    private final Set<LocalSubscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Map<String, Capture> fromStart = new ConcurrentHashMap<>();
    private volatile ThreadPoolExecutor executor;
    /** Every handler thread started, joined by {@link #close()} (an executor terminates just before its last thread exits). */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param queueLimit messages an in-process subscriber may have waiting before further ones
     *                   are dropped
     */
    public LocalBus(Broker broker, Faults faults, int queueLimit) {
        this.broker = broker;
        this.faults = faults;
        this.queueLimit = queueLimit;
    }

    /**
     * Publishes from this JVM; RESP subscribers get the payload only, NATS subscribers get
     * the reply subject and headers too.
     *
     * @param reply NATS reply subject, or null
     * @param headers NATS headers, or null
     * @return the receivers, counted as the broker counts them (one per queue group)
     */
    public int publish(String subject, String reply, Map<String, List<String>> headers, byte[] payload) {
        checkOpen();
        byte[] s = subject(subject, "subject");
        byte[] r = reply == null ? Message.NO_BYTES : subject(reply, "reply subject");
        byte[] h = NatsHeaders.encode(headers);
        byte[] msg = h.length == 0 ? payload : concat(h, payload);
        ByteBuf sb = Unpooled.wrappedBuffer(s);
        if (faults.active() && faults.dropPublish(sb, 0, s.length)) {
            return 0;
        }
        return broker.publish(sb, 0, s.length, r.length == 0 ? null : Unpooled.wrappedBuffer(r), 0, r.length,
                Unpooled.wrappedBuffer(msg), 0, h.length, msg.length, null, null);
    }

    /**
     * Subscribes in-process with NATS subject semantics ({@code *} one token, {@code >} the
     * rest); with a queue group, each message goes to one member of the group, network clients'
     * members included.
     */
    public LocalSubscription subscribe(String subject, String queueGroup, Consumer<Message> handler) {
        return subscribe(subject, queueGroup, queueLimit, handler);
    }

    LocalSubscription subscribe(String subject, String queueGroup, int limit, Consumer<Message> handler) {
        checkOpen();
        if (handler == null) {
            throw new IllegalArgumentException("handler must not be null");
        }
        byte[] s = subject(subject, "subject");
        if (!NatsSubjects.isValidSubscriptionSubject(s)) {
            throw new IllegalArgumentException("not a valid NATS subscription subject: '" + subject + "'");
        }
        if (queueGroup != null && !NatsSubjects.isValidQueueName(queueGroup.getBytes(StandardCharsets.UTF_8))) {
            throw new IllegalArgumentException("not a valid NATS queue group name: '" + queueGroup + "'");
        }
        LocalSubscription sub = new LocalSubscription(this, broker.clients().nextId(), subject, queueGroup, limit, handler);
        subscriptions.add(sub);
        broker.index().add(sub.subscription);
        if (closed) {
            sub.close();
            checkOpen();
        }
        return sub;
    }

    /**
     * Sends a request and waits for the first reply, as a NATS client's {@code request} does:
     * a unique inbox subscription limited to one message, then a publish with that inbox as the
     * reply subject.
     *
     * @throws TimeoutException when nobody answered in time (also when nobody listens)
     */
    public Message request(String subject, Map<String, List<String>> headers, byte[] payload, Duration timeout)
            throws TimeoutException, InterruptedException {
        CompletableFuture<Message> answer = new CompletableFuture<>();
        String inbox = "_INBOX." + UUID.randomUUID().toString().replace("-", "");
        LocalSubscription sub = subscribe(inbox, null, 2, answer::complete);
        sub.subscription.maxMessages(1);
        try {
            publish(subject, inbox, headers, payload);
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException impossible) {
            throw new IllegalStateException(impossible.getCause());
        } catch (TimeoutException e) {
            throw new TimeoutException("no reply on '" + subject + "' within " + timeout.toMillis() + " ms");
        } finally {
            sub.close();
        }
    }

    /**
     * A recorder of everything published on subjects matching {@code pattern}: the one set up
     * at start for this exact pattern if there is one, otherwise a new one recording from now.
     */
    public Capture capture(String pattern) {
        Capture c = fromStart.get(pattern);
        return c != null && !c.isClosed() ? c : new Capture(this, pattern);
    }

    /** A capture that the broker starts before its listeners, so it misses nothing. */
    public void captureFromStart(String pattern) {
        fromStart.computeIfAbsent(pattern, p -> new Capture(this, p));
    }

    /** In-process subscriptions currently open (captures included). */
    public int subscriptionCount() {
        return subscriptions.size();
    }

    void unsubscribe(LocalSubscription s) {
        subscriptions.remove(s);
        broker.index().remove(s.subscription);
    }

    void forget(LocalSubscription s) {
        subscriptions.remove(s);
    }

    BrokerStats stats() {
        return broker.stats();
    }

    int captureQueueLimit() {
        return Math.max(queueLimit, 1 << 20);
    }

    Executor executor() {
        ThreadPoolExecutor e = executor;
        if (e == null) {
            synchronized (this) {
                e = executor;
                if (e == null) {
                    ThreadFactory tf = r -> {
                        Thread t = new Thread(r, "lightbroker-local-" + THREADS.incrementAndGet());
                        t.setDaemon(true);
                        threads.removeIf(old -> !old.isAlive());
                        threads.add(t);
                        return t;
                    };
                    e = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS, new SynchronousQueue<>(), tf);
                    executor = e;
                    if (closed) {
                        e.shutdown();
                    }
                }
            }
        }
        return e;
    }

    /**
     * Unsubscribes everything and stops the handler threads: waits up to two seconds for running
     * handlers, then interrupts them. Called from a handler, it does not wait for itself.
     */
    @Override
    public void close() {
        ThreadPoolExecutor e;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            e = executor;
        }
        for (LocalSubscription s : subscriptions) {
            s.close();
        }
        if (e == null) {
            return;
        }
        e.shutdown();
        if (Thread.currentThread().getName().startsWith("lightbroker-local-")) {
            return;
        }
        try {
            if (!e.awaitTermination(2, TimeUnit.SECONDS)) {
                e.shutdownNow();
                e.awaitTermination(2, TimeUnit.SECONDS);
            }
            for (Thread t : threads) {
                t.join(1_000);
            }
        } catch (InterruptedException ie) {
            e.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
    }

    private static byte[] subject(String s, String what) {
        if (s == null || s.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
