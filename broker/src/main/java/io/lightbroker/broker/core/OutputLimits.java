package io.lightbroker.broker.core;

import java.util.concurrent.TimeUnit;

/**
 * A subscriber's byte budget, in the shape of Redis's {@code client-output-buffer-limit}:
 * over {@code hardBytes} the subscriber is disconnected at once; over {@code softBytes}
 * continuously for longer than {@code softSeconds} it is disconnected too. Zero disables a limit.
 */
public record OutputLimits(long hardBytes, long softBytes, long softSeconds) {
    /** Redis's default for the pubsub class: {@code 32mb 8mb 60}. */
    public static final OutputLimits REDIS_PUBSUB = new OutputLimits(32L << 20, 8L << 20, 60);

    long softNanos() {
        return TimeUnit.SECONDS.toNanos(softSeconds);
    }
}
