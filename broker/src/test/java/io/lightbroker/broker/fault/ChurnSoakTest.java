package io.lightbroker.broker.fault;

import static io.lightbroker.broker.fault.HealthyTraffic.SUBJECT;
import static io.lightbroker.broker.fault.HealthyTraffic.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.internal.PlatformDependent;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/**
 * Connection churn and subscription churn on both protocols for a minute (longer with
 * {@code -Dsoak.seconds=N}), under the steady traffic of {@link HealthyTraffic}, whose subscribers
 * must get every message in order throughout. Afterwards, once the churn has stopped and things
 * settled, the broker must hold what it held before the churn: live heap, Netty's direct memory,
 * threads, file descriptors, sessions, subscriptions.
 *
 * <p>The baseline is taken after a warm-up churn, so that classes, the allocator's arenas and
 * thread caches, and every thread the broker starts lazily exist in both measurements. The
 * churning clients subscribe to the healthy subject too, so messages are in flight to them when
 * they vanish, and their frames must be released, not leaked (the leak detector runs at paranoid
 * for the whole soak; {@code FailOnNettyLeaks} fails the class on any leak).
 *
 * <p>Each measurement after the churn is awaited, not sampled once: a resource that is still
 * being released (a closing socket, a thread ending its quiet period) passes once it has been
 * released; one that leaked stays above its bound until the wait gives up and the test fails with
 * the numbers.
 */
class ChurnSoakTest {
    private static final long SOAK_SECONDS = Long.getLong("soak.seconds", 60);
    private static final Duration WARM_UP = Duration.ofSeconds(Math.min(10, Math.max(3, SOAK_SECONDS / 6)));
    private static final Duration SETTLE = Duration.ofSeconds(30);
    /**
     * Live heap may differ by what the healthy traffic has in flight (a few KB; 50 KB apart in a
     * 20 s trial). A minute of churn is some 30,000 connections, so a leak of 150 bytes per
     * connection already exceeds this.
     */
    private static final long HEAP_SLACK = 4L * 1024 * 1024;
    /**
     * The pooled allocator never frees the chunk an arena keeps in its first list, so each direct
     * arena may hold one chunk more than before (none did in trials). Single leaked buffers are
     * the leak detector's job, not this bound's.
     */
    private static final long DIRECT_SLACK =
            (long) PooledByteBufAllocator.DEFAULT.metric().numDirectArenas() * PooledByteBufAllocator.DEFAULT.metric().chunkSize();

    private final AtomicLong connectionsChurned = new AtomicLong();
    private final AtomicLong subscriptionsChurned = new AtomicLong();
    private volatile boolean churning;

    @Test
    void churnLeavesNoTraceAndHealthySubscribersMissNothing() throws Exception {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).ioThreads(2).start();
             HealthyTraffic healthy = HealthyTraffic.start(b, 0, 5);
             Wire respSubChurner = Wire.connect(b.respPort());
             Wire natsSubChurner = Wire.connect(b.natsPort())) {
            natsSubChurner.line();
            natsSubChurner.send("CONNECT {\"verbose\":false,\"pedantic\":false}\r\n");
            int longLived = HealthyTraffic.connections() + 2;

            churn(b, respSubChurner, natsSubChurner, WARM_UP);
            Snapshot before = Snapshot.settled(b, longLived, null);
            long warmUpConnections = connectionsChurned.get();

            churn(b, respSubChurner, natsSubChurner, Duration.ofSeconds(SOAK_SECONDS));
            Snapshot after = Snapshot.settled(b, longLived, before);
            healthy.finish(500);

            System.out.printf("soak: %d s, %d connections and %d subscribe/unsubscribe rounds churned, "
                            + "%d messages per healthy publisher%n  before: %s%n  after:  %s%n",
                    SOAK_SECONDS, connectionsChurned.get() - warmUpConnections, subscriptionsChurned.get(),
                    healthy.published(), before, after);
            assertThat(b.broker().index().totalSubscriptions()).isEqualTo(2);
            HealthyTraffic.assertAcceptsNewConnections(b);
        }
    }

    /** Runs the four churners for {@code d}, then stops and joins them. */
    private void churn(LightBroker b, Wire respSubChurner, Wire natsSubChurner, Duration d) throws Exception {
        churning = true;
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        Runnable[] loops = {
            () -> respConnectionChurn(b.respPort(), new Random(1)),
            () -> natsConnectionChurn(b.natsPort(), new Random(2)),
            () -> respSubscriptionChurn(respSubChurner),
            () -> natsSubscriptionChurn(natsSubChurner),
        };
        for (Runnable loop : loops) {
            Thread t = new Thread(() -> {
                try {
                    loop.run();
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "soak-churn");
            t.start();
            workers.add(t);
        }
        Thread.sleep(d.toMillis());
        churning = false;
        for (Thread t : workers) {
            t.join(20_000);
            assertThat(t.isAlive()).as("churn worker still running").isFalse();
        }
        if (!failures.isEmpty()) {
            AssertionError e = new AssertionError("churn worker failed");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /**
     * New connections that subscribe (to the healthy subject among others) and go away: some
     * before the broker confirmed, some after; by FIN or by RST.
     */
    private void respConnectionChurn(int port, Random rnd) {
        while (churning) {
            try {
                Wire w = Wire.connect(port);
                w.send("*3\r\n$9\r\nSUBSCRIBE\r\n$" + SUBJECT.length() + "\r\n" + SUBJECT + "\r\n$7\r\nchurn.r\r\n"
                        + "*2\r\n$10\r\nPSUBSCRIBE\r\n$7\r\nfault.*\r\n");
                if (rnd.nextBoolean()) {
                    while (!w.respArray().get(0).equals("psubscribe")) {
                        // messages on the healthy subject may come before the last confirmation
                    }
                }
                end(w, rnd);
                connectionsChurned.incrementAndGet();
                pause();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private void natsConnectionChurn(int port, Random rnd) {
        while (churning) {
            try {
                Wire w = Wire.connect(port);
                w.line();
                w.send("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB " + SUBJECT + " 1\r\nSUB fault.> 2\r\n"
                        + "SUB " + SUBJECT + " workers 3\r\nPUB churn.n 5\r\nhello\r\nPING\r\n");
                if (rnd.nextBoolean()) {
                    awaitPongSkippingMessages(w);
                }
                end(w, rnd);
                connectionsChurned.incrementAndGet();
                pause();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** One long-lived connection that subscribes and unsubscribes, over and over, ending each round with nothing. */
    private void respSubscriptionChurn(Wire w) {
        try {
            while (churning) {
                w.send("*3\r\n$9\r\nSUBSCRIBE\r\n$" + SUBJECT.length() + "\r\n" + SUBJECT + "\r\n$7\r\nchurn.s\r\n"
                        + "*2\r\n$10\r\nPSUBSCRIBE\r\n$7\r\nfault.*\r\n"
                        + "*3\r\n$11\r\nUNSUBSCRIBE\r\n$" + SUBJECT.length() + "\r\n" + SUBJECT + "\r\n$7\r\nchurn.s\r\n"
                        + "*2\r\n$12\r\nPUNSUBSCRIBE\r\n$7\r\nfault.*\r\n");
                List<String> frame;
                do {
                    frame = w.respArray();
                } while (!frame.get(0).equals("punsubscribe"));
                assertThat(frame.get(2)).as("subscriptions left after a round").isEqualTo("0");
                subscriptionsChurned.incrementAndGet();
                pause();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void natsSubscriptionChurn(Wire w) {
        try {
            long sid = 0;
            while (churning) {
                long a = ++sid;
                long q = ++sid;
                long g = ++sid;
                w.send("SUB " + SUBJECT + " " + a + "\r\nSUB " + SUBJECT + " workers " + q + "\r\nSUB fault.* " + g + "\r\n"
                        + "UNSUB " + a + "\r\nUNSUB " + q + "\r\nUNSUB " + g + "\r\nPING\r\n");
                awaitPongSkippingMessages(w);
                subscriptionsChurned.incrementAndGet();
                pause();
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void awaitPongSkippingMessages(Wire w) throws IOException {
        while (true) {
            String l = w.line();
            if (l.equals("PONG")) {
                return;
            }
            if (l.startsWith("MSG ")) {
                String[] t = l.split(" ");
                w.counted(Integer.parseInt(t[t.length - 1]));
            } else if (l.equals("PING")) {
                w.send("PONG\r\n");
            } else if (l.startsWith("-ERR")) {
                throw new AssertionError("churning NATS client got <" + l + ">");
            }
        }
    }

    private static void end(Wire w, Random rnd) {
        if (rnd.nextBoolean()) {
            w.reset();
        } else {
            w.close();
        }
    }

    /** A steady churn rather than a flood: the soak is about what is left behind, not about throughput. */
    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the process holds, measured once the churn has stopped and settled. */
    private record Snapshot(long heap, long pooledDirect, long nettyDirect, int threads, int fds, Set<String> threadNames) {

        /**
         * With {@code baseline} null: waits until the broker has only the long-lived clients, then
         * measures. Otherwise waits (up to {@link #SETTLE}) until every measure is back within its
         * bound of the baseline, and fails naming the ones that are not.
         */
        static Snapshot settled(LightBroker b, int longLivedClients, Snapshot baseline) {
            awaitTrue(() -> b.broker().clients().size() == longLivedClients, "only the long-lived clients to remain");
            if (baseline == null) {
                return take();
            }
            long deadline = System.nanoTime() + SETTLE.toNanos();
            Snapshot now = take();
            while (!now.within(baseline) && System.nanoTime() < deadline) {
                sleep(500);
                now = take();
            }
            Snapshot last = now;
            assertThat(last.heap).as("live heap after the churn (baseline %,d)", baseline.heap).isLessThanOrEqualTo(baseline.heap + HEAP_SLACK);
            assertThat(last.pooledDirect).as("pooled direct memory after the churn (baseline %,d)", baseline.pooledDirect)
                    .isLessThanOrEqualTo(baseline.pooledDirect + DIRECT_SLACK);
            assertThat(last.nettyDirect).as("Netty direct memory after the churn (baseline %,d)", baseline.nettyDirect)
                    .isLessThanOrEqualTo(baseline.nettyDirect + DIRECT_SLACK);
            Set<String> newThreads = new TreeSet<>(last.threadNames);
            newThreads.removeAll(baseline.threadNames);
            assertThat(last.threads).as("threads after the churn; new ones: %s", newThreads).isLessThanOrEqualTo(baseline.threads);
            assertThat(last.fds).as("open file descriptors after the churn").isLessThanOrEqualTo(baseline.fds);
            return last;
        }

        boolean within(Snapshot base) {
            return heap <= base.heap + HEAP_SLACK && pooledDirect <= base.pooledDirect + DIRECT_SLACK
                    && nettyDirect <= base.nettyDirect + DIRECT_SLACK && threads <= base.threads && fds <= base.fds;
        }

        static Snapshot take() {
            long heap = liveHeap();
            Set<String> names = new TreeSet<>();
            Thread.getAllStackTraces().keySet().forEach(t -> names.add(t.getName()));
            return new Snapshot(heap, PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory(),
                    PlatformDependent.usedDirectMemory(), ManagementFactory.getThreadMXBean().getThreadCount(), openFds(), names);
        }

        /** Heap in use right after full collections: what is reachable. */
        private static long liveHeap() {
            LongSupplier used = () -> ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            return used.getAsLong();
        }

        private static int openFds() {
            String[] fds = new File("/proc/self/fd").list();
            return fds == null ? -1 : fds.length;
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String toString() {
            return String.format("live heap %,d B, pooled direct %,d B, Netty direct %,d B, %d threads, %d fds",
                    heap, pooledDirect, nettyDirect, threads, fds);
        }
    }
}
