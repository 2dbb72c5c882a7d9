package io.lightbroker.broker.embed;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Records every message published on subjects matching a NATS-style pattern, by any protocol
 * or in-process, so a test can assert on what the code under test sent:
 *
 * <pre>{@code
 * Capture orders = broker.captured("orders.>");
 * service.placeOrder(...);
 * orders.awaitCount(1, Duration.ofSeconds(5));
 * assertThat(orders.strings()).containsExactly("{\"id\":1}");
 * }</pre>
 *
 * <p>An in-process ({@link LocalSubscription}) subscription underneath, with a large bound
 * (at least a million messages); messages arrive here on the embedded executor, in publish
 * order per publisher. Waiting methods fail with an {@link AssertionError} that lists what was
 * captured, which is what a test wants to read when it fails. Thread-safe.
 */
public final class Capture implements AutoCloseable {
    private final String pattern;
    private final List<Message> messages = new ArrayList<>();
    private final LocalSubscription subscription;

    Capture(LocalBus bus, String pattern) {
        this.pattern = pattern;
        this.subscription = bus.subscribe(pattern, null, bus.captureQueueLimit(), this::add);
    }

    private synchronized void add(Message m) {
        messages.add(m);
        notifyAll();
    }

    public String pattern() {
        return pattern;
    }

    /** Everything captured so far, oldest first (a snapshot). */
    public synchronized List<Message> messages() {
        return List.copyOf(messages);
    }

    /** The payloads captured so far as UTF-8 strings, oldest first. */
    public synchronized List<String> strings() {
        List<String> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            out.add(new String(m.payload(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The payloads captured so far, oldest first. */
    public synchronized List<byte[]> payloads() {
        List<byte[]> out = new ArrayList<>(messages.size());
        for (Message m : messages) {
            out.add(m.payload());
        }
        return out;
    }

    public synchronized int count() {
        return messages.size();
    }

    /** Forgets what was captured so far (recording goes on). */
    public synchronized void clear() {
        messages.clear();
    }

    /** Messages lost because more than the bound were waiting to be recorded. */
    public long dropped() {
        return subscription.dropped();
    }

    /**
     * Waits until at least {@code n} messages were captured.
     *
     * @return everything captured by then, oldest first
     * @throws AssertionError when the timeout passes first
     */
    public List<Message> awaitCount(int n, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (messages.size() < n) {
                waitUntil(deadline, () -> "expected at least " + n + " messages on '" + pattern + "' within "
                        + timeout.toMillis() + " ms, got " + messages.size() + ": " + messages);
            }
            return List.copyOf(messages);
        }
    }

    /**
     * Waits for a captured message (already captured ones included) matching {@code p}.
     *
     * @return the first such message
     * @throws AssertionError when the timeout passes first
     */
    public Message awaitMessage(Predicate<Message> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        synchronized (this) {
            while (true) {
                for (; checked < messages.size(); checked++) {
                    Message m = messages.get(checked);
                    if (p.test(m)) {
                        return m;
                    }
                }
                waitUntil(deadline, () -> "no matching message on '" + pattern + "' within " + timeout.toMillis()
                        + " ms; captured " + messages.size() + ": " + messages);
            }
        }
    }

    private interface Text {
        String get();
    }

    /** Caller holds the monitor. */
    private void waitUntil(long deadline, Text failure) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new AssertionError(failure.get());
        }
        try {
            long ms = Math.max(1, left / 1_000_000);
            wait(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for messages on '" + pattern + "'", e);
        }
    }

    public boolean isClosed() {
        return subscription.isClosed();
    }

    /** Stops recording; what was captured stays readable. */
    @Override
    public void close() {
        subscription.close();
    }

    @Override
    public String toString() {
        return "Capture[" + pattern + ", " + count() + " messages]";
    }
}
