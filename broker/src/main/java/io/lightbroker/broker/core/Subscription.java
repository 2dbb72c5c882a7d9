package io.lightbroker.broker.core;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One subscription of one subscriber. Immutable apart from the NATS auto-unsubscribe
 * counter, which any publisher thread may bump.
 */
public final class Subscription {
    public final Subscriber owner;
    public final SubscriptionKind kind;
    /** Channel, glob pattern or NATS subject, as raw bytes. */
    public final byte[] subject;
    /** NATS queue group name, or null. */
    public final byte[] queue;
    /** NATS subscription id as sent by the client, or null. */
    public final byte[] sid;
    /** NATS {@code UNSUB sid max}: deliveries after which the subscription ends; 0 = unlimited. */
    private volatile long maxMessages;
    private final AtomicLong delivered = new AtomicLong();

    public Subscription(Subscriber owner, SubscriptionKind kind, byte[] subject, byte[] queue, byte[] sid) {
        this.owner = owner;
        this.kind = kind;
        this.subject = subject;
        this.queue = queue;
        this.sid = sid;
    }

    public static Subscription resp(Subscriber owner, SubscriptionKind kind, byte[] subject) {
        return new Subscription(owner, kind, subject, null, null);
    }

    public long maxMessages() {
        return maxMessages;
    }

    public void maxMessages(long max) {
        this.maxMessages = max;
    }

    public long delivered() {
        return delivered.get();
    }

    /**
     * Claims one delivery against the auto-unsubscribe limit.
     *
     * @return the delivery number (1-based), or -1 when the limit is already reached
     */
    public long claimDelivery() {
        long max = maxMessages;
        if (max == 0) {
            return delivered.incrementAndGet();
        }
        while (true) {
            long d = delivered.get();
            if (d >= max) {
                return -1;
            }
            if (delivered.compareAndSet(d, d + 1)) {
                return d + 1;
            }
        }
    }
}
