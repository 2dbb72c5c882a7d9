package io.lightbroker.broker.core;

import io.lightbroker.nats.NatsSubjects;
import io.netty.buffer.ByteBuf;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publish-side fault injection for tests of the code under test (the embedded API's
 * {@code faults()}): "lose the next N messages published on subjects matching F".
 * Per-connection faults (delayed delivery) live on the connection's {@link Outbound}.
 *
 * <p><b>Cost when unused.</b> A session's publish path calls {@link #dropPublish} only after
 * reading {@link #active}, one volatile boolean that is false unless a drop rule is armed; the
 * rules themselves are only walked while one is.
 *
 * <p><b>Semantics.</b> A dropped publish reaches nobody, on any protocol; the publisher is
 * told it had no receivers (RESP {@code PUBLISH} answers 0), but a NATS request is not answered
 * with no-responders, so the requester sees what a lost message looks like: a timeout. Each
 * rule counts down atomically, so exactly N publishes are lost however many threads publish.
 *
 * <p>Threading: any thread. Rules are a copy-on-write list; a rule that has dropped its N is
 * removed by whichever thread exhausted it.
 */
public final class Faults {
    private final CopyOnWriteArrayList<DropRule> drops = new CopyOnWriteArrayList<>();
    private final AtomicLong droppedTotal = new AtomicLong();
    private volatile boolean active;

    /** True while a drop rule is armed: the one read the publish path pays otherwise. */
    public boolean active() {
        return active;
    }

    /** Arms a rule: the next {@code n} publishes on subjects matching {@code filter} (NATS wildcards) are lost. */
    public void dropNext(byte[] filter, long n) {
        if (n <= 0) {
            return;
        }
        drops.add(new DropRule(filter, n));
        active = true;
    }

    /** Disarms every drop rule. */
    public void clearDrops() {
        drops.clear();
        active = false;
    }

    /** Publishes lost so far because of a drop rule. */
    public long dropped() {
        return droppedTotal.get();
    }

    /**
     * Whether this publish must be lost; consumes one from the first matching rule. Call only
     * when {@link #active()} is true.
     */
    public boolean dropPublish(ByteBuf subject, int off, int len) {
        for (DropRule r : drops) {
            if (NatsSubjects.matches(r.filter, subject, off, len) && r.claim()) {
                if (r.remaining.get() == 0) {
                    drops.remove(r);
                    if (drops.isEmpty()) {
                        active = false;
                        // A rule armed between the two lines above must not be forgotten.
                        if (!drops.isEmpty()) {
                            active = true;
                        }
                    }
                }
                droppedTotal.incrementAndGet();
                return true;
            }
        }
        return false;
    }

    private static final class DropRule {
        final byte[] filter;
        final AtomicLong remaining;

        DropRule(byte[] filter, long n) {
            this.filter = filter;
            this.remaining = new AtomicLong(n);
        }

        boolean claim() {
            while (true) {
                long r = remaining.get();
                if (r <= 0) {
                    return false;
                }
                if (remaining.compareAndSet(r, r - 1)) {
                    return true;
                }
            }
        }
    }
}
