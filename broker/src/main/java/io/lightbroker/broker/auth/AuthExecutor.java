package io.lightbroker.broker.auth;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where slow credential checks (bcrypt) run, so that they never stall an event loop: a small pool
 * of daemon threads shared by every broker in the JVM (half the processors, at least one). The
 * queue is unbounded, but each connection has at most one check outstanding (its parser is paused
 * behind the CONNECT), so it is bounded by the connection limits.
 */
public final class AuthExecutor {
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), r -> {
                Thread t = new Thread(r, "lightbroker-auth-" + THREADS.incrementAndGet());
                t.setDaemon(true);
                return t;
            });

    private static final AtomicLong CHECKS = new AtomicLong();

    private AuthExecutor() {}

    /** Runs {@code check} on the pool, then hands its result to {@code then} (on the pool thread). */
    public static <T> void run(Supplier<T> check, Consumer<T> then) {
        POOL.execute(() -> {
            T result = check.get();
            CHECKS.incrementAndGet();
            then.accept(result);
        });
    }

    /** Checks run on the pool since start (tests use it to see that a check did leave the event loop). */
    public static long checksRun() {
        return CHECKS.get();
    }
}
