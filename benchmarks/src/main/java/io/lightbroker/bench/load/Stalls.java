package io.lightbroker.bench.load;

import java.util.Arrays;

/**
 * The intervals in which the latency scenario's one generator thread was kept from running, so
 * that the samples they delayed can be told apart from the server's own latency.
 *
 * <p>That thread publishes and reads every subscriber in a loop that never sleeps (see
 * {@link Scenarios#latency}), so a gap of over {@link #THRESHOLD_NANOS} between two turns, or
 * between the start of a turn and a read in it, is time the generator lost its core. A sample
 * whose span from intended send to read overlaps such an interval was delayed by the generator
 * and may also have been delayed by the server; it counts in the plain percentiles and is left
 * out of the "unstalled" ones.
 *
 * <p>Single-threaded: written and read by the generator thread while it publishes; read by the
 * subscriber threads only after {@link #stop()}, which happens before those threads start.
 */
final class Stalls {
    static final long THRESHOLD_NANOS = 1_000_000;

    private long[] starts = new long[256];
    private long[] ends = new long[256];
    private int n;
    private long turnStart;
    private boolean active = true;
    /** Stalls from this point in time on are counted in {@link #count()} and {@link #totalNanos()}. */
    private long countFrom = Long.MAX_VALUE;
    private long counted;
    private long countedNanos;

    /** A new turn of the generator's loop begins at {@code t}; the gap since the last one may be a stall. */
    void turn(long t) {
        if (turnStart != 0 && t - turnStart > THRESHOLD_NANOS) {
            add(turnStart, t);
        }
        turnStart = t;
    }

    /** A read in the current turn returned at {@code t}; a late one means the turn was stalled before it. */
    void read(long t) {
        if (active && turnStart != 0 && t - turnStart > THRESHOLD_NANOS) {
            add(turnStart, t);
        }
    }

    void countFrom(long t) {
        countFrom = t;
    }

    /** Publishing is over: reads from now on belong to other threads and no turns are taken. */
    void stop() {
        active = false;
    }

    /** True if the generator lost its core somewhere in {@code [from, to]}. */
    boolean overlaps(long from, long to) {
        // Intervals are in time order and do not overlap: find the first that ends after from.
        int lo = 0;
        int hi = n;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (ends[mid] - from <= 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo < n && starts[lo] - to < 0;
    }

    long count() {
        return counted;
    }

    long totalNanos() {
        return countedNanos;
    }

    private void add(long start, long end) {
        if (n > 0 && starts[n - 1] == start) {
            if (end - ends[n - 1] > 0) {
                if (start - countFrom >= 0) {
                    countedNanos += end - ends[n - 1];
                }
                ends[n - 1] = end;
            }
            return;
        }
        if (n == starts.length) {
            starts = Arrays.copyOf(starts, n * 2);
            ends = Arrays.copyOf(ends, n * 2);
        }
        starts[n] = start;
        ends[n] = end;
        n++;
        if (start - countFrom >= 0) {
            counted++;
            countedNanos += end - start;
        }
    }
}
