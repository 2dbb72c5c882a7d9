package io.lightbroker.broker.core;

import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * At most {@code perSecond} log lines per second for one kind of event, so that a misbehaving
 * client cannot flood the log; the number of suppressed lines is reported with the next line
 * that gets through.
 */
public final class RateLimitedLog {
    private final Logger log;
    private final int perSecond;
    private final AtomicLong windowStart = new AtomicLong();
    private final AtomicLong inWindow = new AtomicLong();
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, int perSecond) {
        this.log = log;
        this.perSecond = perSecond;
    }

    public void warn(String format, Object... args) {
        if (admit()) {
            long s = suppressed.getAndSet(0);
            log.warn(s == 0 ? format : format + " (" + s + " similar lines suppressed)", args);
        }
    }

    public void info(String format, Object... args) {
        if (admit()) {
            long s = suppressed.getAndSet(0);
            log.info(s == 0 ? format : format + " (" + s + " similar lines suppressed)", args);
        }
    }

    private boolean admit() {
        long now = System.nanoTime() / 1_000_000_000L;
        long w = windowStart.get();
        if (w != now && windowStart.compareAndSet(w, now)) {
            inWindow.set(0);
        }
        if (inWindow.incrementAndGet() <= perSecond) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }
}
