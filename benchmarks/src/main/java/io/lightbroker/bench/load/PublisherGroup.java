package io.lightbroker.bench.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The publishers of one run: connected (and checked with a ping round trip) on the caller's
 * thread, released together by one latch, then awaited with a deadline.
 */
final class PublisherGroup implements AutoCloseable {
    private final List<Publisher> pubs = new ArrayList<>();
    private final CountDownLatch go = new CountDownLatch(1);
    private long startNanos;

    /**
     * @param total messages in all (split over publishers), or {@code Long.MAX_VALUE} to publish
     *              for {@code durationNanos}
     */
    PublisherGroup(Options o, int count, byte[][] headers, long total, long durationNanos, long intervalNanos,
            long deadlineNanos, long setupDeadlineNanos) throws IOException {
        Proto proto = o.pubProto();
        long window = proto.wire().repliesToEachPublish() ? o.pipeline : (long) o.pingEvery * o.pingWindow;
        for (int i = 0; i < count; i++) {
            long quota = total == Long.MAX_VALUE ? Long.MAX_VALUE : total / count + (i < total % count ? 1 : 0);
            Publisher p = new Publisher(i, proto, o.pubAddress(), headers, o.payload, quota, durationNanos,
                    intervalNanos, o.pingEvery, window, go);
            pubs.add(p);
            p.connect(setupDeadlineNanos, deadlineNanos);
        }
    }

    /** Sum of messages published so far (as last published by each publisher's thread). */
    long sentProgress() {
        long t = 0;
        for (Publisher p : pubs) {
            t += p.sentProgress;
        }
        return t;
    }

    void start() {
        startNanos = System.nanoTime();
        for (Publisher p : pubs) {
            p.setStart(startNanos);
            Thread t = new Thread(p, "pub-" + pubs.indexOf(p));
            t.setDaemon(true);
            t.start();
        }
        go.countDown();
    }

    long startNanos() {
        return startNanos;
    }

    void await(long deadlineNanos) throws IOException {
        for (Publisher p : pubs) {
            try {
                long left = deadlineNanos - System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                if (!p.done.await(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                    throw new IOException("hard timeout waiting for publishers");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            if (p.error != null) {
                throw new IOException("publisher failed: " + p.error.getMessage(), p.error);
            }
        }
    }

    long sent() {
        long t = 0;
        for (Publisher p : pubs) {
            t += p.sent();
        }
        return t;
    }

    /** When the last publisher had its last message acknowledged by the server. */
    long lastAckNanos() {
        long m = startNanos;
        for (Publisher p : pubs) {
            m = Math.max(m, p.lastAckNanos);
        }
        return m;
    }

    List<Publisher> publishers() {
        return pubs;
    }

    @Override
    public void close() {
        for (Publisher p : pubs) {
            p.close();
        }
    }
}
