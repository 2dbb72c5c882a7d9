package io.lightbroker.bench.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The end-to-end scenarios. Each one sets up subscribers (and waits for the server to confirm
 * every subscription), releases the publishers, waits for them to be acknowledged, lets the
 * subscribers drain, and reports. Every wait is bounded by the run's hard deadline, and a drain
 * ends after {@code --drain} without progress, so a run always ends by itself.
 *
 * <ul>
 *   <li>fanout: P publishers, S subscribers on one subject; every subscriber must get every
 *       message, in order per publisher.
 *   <li>zero-subs: publish rate with nobody listening.
 *   <li>latency: one publisher at a fixed rate, S subscribers, latency from the intended send time.
 *   <li>wildcards: N pattern subscriptions (N-1 of the form {@code prefix.i.*} spread over a few
 *       connections, plus one catch-all on its own connection); publishes cycle over the N-1
 *       subjects {@code prefix.i.x}, so each message is delivered exactly twice.
 *   <li>connections: N idle subscribed connections; the server's RSS (and, for a JVM, its live heap
 *       after a full GC) before and after; then one
 *       fan-out to all of them.
 *   <li>cross: fanout with publishers on one protocol and subscribers on the other.
 * </ul>
 */
final class Scenarios {
    private Scenarios() {
    }

    static Result run(Options o) throws IOException {
        switch (o.scenario) {
            case FANOUT:
            case CROSS:
                return fanout(o, o.subscribersOr(1));
            case ZERO_SUBS:
                return fanout(o, 0);
            case LATENCY:
                return latency(o);
            case WILDCARDS:
                return wildcards(o);
            case CONNECTIONS:
                return connections(o);
            default:
                throw new IllegalStateException(o.scenario.toString());
        }
    }

    static Result fanout(Options o, int subs) throws IOException {
        long deadline = System.nanoTime() + o.hardTimeoutNanos();
        try (SubscriberGroup g = new SubscriberGroup(threads(o, subs), false)) {
            for (int i = 0; i < subs; i++) {
                g.open(o.subProto(), o.subAddress(), List.of(o.subject), false, true);
            }
            g.start();
            g.awaitSubscribed(o.setupDeadline(deadline, subs));
            settle(o);
            long total = o.count > 0 ? o.count : Long.MAX_VALUE;
            try (PublisherGroup p = new PublisherGroup(o, o.publishers, single(o), total,
                    o.count > 0 ? 0 : o.durationNanos, 0, deadline, o.setupDeadline(deadline, o.publishers))) {
                if (subs > 0 && o.backlogBytes > 0) {
                    long limit = backlogMessages(o);
                    for (Publisher pub : p.publishers()) {
                        pub.limitBacklog(() -> p.sentProgress() - g.receivedMin(), limit);
                    }
                }
                CpuMeter cpu = CpuMeter.start(o.serverPid);
                p.start();
                p.await(deadline);
                long published = p.sent();
                long expected = published * subs;
                g.awaitDelivered(expected, o.drainNanos, deadline);
                g.stop();
                Result r = header(o, o.scenario == Scenario.ZERO_SUBS ? Scenario.ZERO_SUBS : o.scenario)
                        .put("pubs", o.publishers).put("subs", subs).put("payload", o.payload);
                double pubSecs = secs(p.lastAckNanos() - p.startNanos());
                r.put("pub_rate", published / pubSecs);
                if (subs > 0) {
                    deliveryFields(r, g, expected, p.startNanos(), o.payload);
                }
                r.put("published", published).put("secs", pubSecs);
                cpu.stopInto(r);
                return tail(r, o, g);
            }
        }
    }

    /**
     * A subscription confirmed by one server of a cluster (a leaf node) reaches the publisher's
     * server a moment later through the hub; messages published before that have no receiver.
     */
    private static void settle(Options o) {
        if (o.settleNanos > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(o.settleNanos);
        }
    }

    static Result latency(Options o) throws IOException {
        int subs = o.subscribersOr(10);
        long deadline = System.nanoTime() + o.hardTimeoutNanos();
        try (SubscriberGroup g = new SubscriberGroup(threads(o, subs), true)) {
            for (int i = 0; i < subs; i++) {
                g.open(o.subProto(), o.subAddress(), List.of(o.subject), false, true);
            }
            g.start();
            g.awaitSubscribed(o.setupDeadline(deadline, subs));
            settle(o);
            long interval = Math.max(1, TimeUnit.SECONDS.toNanos(1) / o.rate);
            long warmup = o.warmupNanos / interval;
            long total = warmup + (o.count > 0 ? o.count : Math.max(1, o.durationNanos / interval));
            for (SubConn c : g.connections()) {
                c.recordFrom = warmup;
            }
            try (PublisherGroup p = new PublisherGroup(o, 1, single(o), total, 0, interval, deadline,
                    o.setupDeadline(deadline, 1))) {
                // One generator thread publishes and reads every subscriber, polling and never
                // sleeping. With a paced publisher thread and a selector thread sharing the
                // generator's pinned core, a reader woken by data waited for the publisher's
                // time slice: p99 at 10k msgs/s was 3-4 ms on every server alike and p50 100-150
                // us; on one thread every p50 is 65-85 us. What remains is time the generator
                // loses its core, kept in Stalls: counted in gen_stalls and gen_stall_ms, and
                // left out of the p99_unstalled percentiles.
                g.stop();
                Stalls stalls = new Stalls();
                g.trackStalls(stalls);
                p.publishers().get(0).whileWaiting(g::pollNow, stalls, warmup);
                CpuMeter cpu = CpuMeter.start(o.serverPid);
                p.start();
                p.await(deadline);
                g.start();
                long published = p.sent();
                long expected = published * subs;
                g.awaitDelivered(expected, o.drainNanos, deadline);
                g.stop();
                Histogram h = g.latency();
                Histogram clean = g.unstalledLatency();
                Result r = header(o, Scenario.LATENCY).put("subs", subs).put("payload", o.payload)
                        .put("rate", o.rate)
                        .put("pub_rate", published / secs(p.lastAckNanos() - p.startNanos()))
                        .put("p50_us", us(h.getValueAtPercentile(50)))
                        .put("p90_us", us(h.getValueAtPercentile(90)))
                        .put("p99_us", us(h.getValueAtPercentile(99)))
                        .put("p999_us", us(h.getValueAtPercentile(99.9)))
                        .put("max_us", us(h.getMaxValue()))
                        .put("samples", h.getTotalCount()).put("warmup_msgs", warmup)
                        .put("gen_stalls", stalls.count())
                        .put("gen_stall_ms", stalls.totalNanos() / 1e6)
                        .put("p99_unstalled_us", us(clean.getValueAtPercentile(99)))
                        .put("p999_unstalled_us", us(clean.getValueAtPercentile(99.9)))
                        .put("unstalled_share", h.getTotalCount() == 0 ? 0.0
                                : (double) clean.getTotalCount() / h.getTotalCount());
                countFields(r, g, expected);
                r.put("published", published);
                cpu.stopInto(r);
                return tail(r, o, g);
            }
        }
    }

    static Result wildcards(Options o) throws IOException {
        long deadline = System.nanoTime() + o.hardTimeoutNanos();
        Wire sw = o.subProto().wire();
        int specific = o.patterns - 1;
        int conns = Math.min(o.patternConns, specific);
        try (SubscriberGroup g = new SubscriberGroup(threads(o, conns + 1), false)) {
            for (int c = 0; c < conns; c++) {
                List<String> pats = new ArrayList<>();
                for (int i = c; i < specific; i += conns) {
                    pats.add(sw.tokenPattern(o.subject, i));
                }
                g.open(o.subProto(), o.subAddress(), pats, true, false);
            }
            g.open(o.subProto(), o.subAddress(), List.of(sw.catchAllPattern(o.subject)), true, true);
            g.start();
            g.awaitSubscribed(o.setupDeadline(deadline, o.patterns / 100));
            Wire pw = o.pubProto().wire();
            byte[][] headers = new byte[specific][];
            for (int i = 0; i < specific; i++) {
                headers[i] = pw.publishHeader(o.subject + "." + i + ".x", o.payload);
            }
            long total = o.count > 0 ? o.count : Long.MAX_VALUE;
            try (PublisherGroup p = new PublisherGroup(o, o.publishers, headers, total,
                    o.count > 0 ? 0 : o.durationNanos, 0, deadline, o.setupDeadline(deadline, o.publishers))) {
                if (o.backlogBytes > 0) {
                    SubConn catchAll = g.connections().get(conns);
                    long limit = backlogMessages(o);
                    for (Publisher pub : p.publishers()) {
                        pub.limitBacklog(() -> p.sentProgress() - catchAll.receivedProgress, limit);
                    }
                }
                CpuMeter cpu = CpuMeter.start(o.serverPid);
                p.start();
                p.await(deadline);
                long published = p.sent();
                long expected = published * 2;
                g.awaitDelivered(expected, o.drainNanos, deadline);
                g.stop();
                double pubSecs = secs(p.lastAckNanos() - p.startNanos());
                Result r = header(o, Scenario.WILDCARDS).put("patterns", o.patterns).put("pattern_conns", conns)
                        .put("subjects", specific).put("pubs", o.publishers).put("payload", o.payload)
                        .put("pub_rate", published / pubSecs);
                deliveryFields(r, g, expected, p.startNanos(), o.payload);
                r.put("published", published).put("secs", pubSecs);
                cpu.stopInto(r);
                return tail(r, o, g);
            }
        }
    }

    static Result connections(Options o) throws IOException {
        long deadline = System.nanoTime() + o.hardTimeoutNanos();
        int n = o.connections;
        long rssBefore = ProcStatus.rssKb(o.serverPid);
        boolean jvm = JvmHeap.isJvm(o.serverPid);
        long heapBefore = jvm ? JvmHeap.settledLiveKb(o.serverPid) : -1;
        int threads = o.subThreads > 0 ? o.subThreads : Math.min(2, Runtime.getRuntime().availableProcessors());
        try (SubscriberGroup g = new SubscriberGroup(threads, false)) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                g.open(o.subProto(), o.subAddress(), List.of(o.subject), false, true);
            }
            g.start();
            g.awaitSubscribed(o.setupDeadline(deadline, n));
            double connectSecs = secs(System.nanoTime() - t0);
            // Let the server settle (buffers freed after the subscribe burst) before reading RSS.
            sleep(200);
            long rssAfter = ProcStatus.rssKb(o.serverPid);
            long heapAfter = jvm ? JvmHeap.liveKb(o.serverPid) : -1;
            Double rssPerConn = rssBefore > 0 && rssAfter > 0 ? (rssAfter - rssBefore) * 1024.0 / n : null;
            Double heapPerConn = heapBefore > 0 && heapAfter > 0 ? (heapAfter - heapBefore) * 1024.0 / n : null;
            long total = o.count > 0 ? o.count : 1;
            try (PublisherGroup p = new PublisherGroup(o, 1, single(o), total, 0, 0, deadline,
                    o.setupDeadline(deadline, 1))) {
                p.start();
                p.await(deadline);
                long published = p.sent();
                long expected = published * n;
                g.awaitDelivered(expected, o.drainNanos, deadline);
                g.stop();
                long last = 0;
                for (SubConn c : g.connections()) {
                    last = Math.max(last, c.lastReceiveNanos);
                }
                Result r = header(o, Scenario.CONNECTIONS).put("connections", n)
                        .put("connect_secs", connectSecs)
                        .put("rss_before_kb", rssBefore).put("rss_after_kb", rssAfter)
                        .put("rss_per_conn_b", rssPerConn)
                        .put("heap_before_kb", jvm ? heapBefore : null).put("heap_after_kb", jvm ? heapAfter : null)
                        .put("heap_per_conn_b", heapPerConn)
                        // What a connection costs: a native server's resident memory; a JVM's
                        // live heap (its RSS is reserved up front, see JvmHeap).
                        .put("mem_per_conn_b", jvm ? heapPerConn : rssPerConn)
                        .put("fanout_ms", last > 0 ? (last - p.startNanos()) / 1e6 : null);
                countFields(r, g, expected);
                r.put("published", published);
                return tail(r, o, g);
            }
        }
    }

    private static Result header(Options o, Scenario sc) {
        Result r = new Result().put("scenario", sc.label());
        if (o.pubProto() == o.subProto()) {
            r.put("proto", o.pubProto().label());
        } else {
            r.put("pub_proto", o.pubProto().label()).put("sub_proto", o.subProto().label());
        }
        return r;
    }

    private static void deliveryFields(Result r, SubscriberGroup g, long expected, long startNanos, int payload) {
        long delivered = 0;
        long last = startNanos;
        for (SubConn c : g.connections()) {
            delivered += c.received;
            last = Math.max(last, c.lastReceiveNanos);
        }
        double s = secs(last - startNanos);
        r.put("delivered_rate", delivered / s).put("mb_s", delivered * (double) payload / s / 1e6);
        countFields(r, g, expected);
    }

    private static void countFields(Result r, SubscriberGroup g, long expected) {
        long delivered = 0;
        long ooo = 0;
        long gaps = 0;
        for (SubConn c : g.connections()) {
            delivered += c.received;
            ooo += c.outOfOrder;
            gaps += c.gapMessages;
        }
        r.put("loss", Math.max(0, expected - delivered)).put("ooo", ooo).put("gaps", gaps)
                .put("dup", Math.max(0, delivered - expected))
                .put("delivered", delivered).put("expected", expected);
    }

    private static Result tail(Result r, Options o, SubscriberGroup g) {
        r.put("target", o.target).put("case", o.caseName).put("loadavg", ProcStatus.loadAverage());
        String err = g.firstError();
        if (err != null) {
            r.put("error", err);
        }
        return r;
    }

    private static byte[][] single(Options o) {
        return new byte[][] {o.pubProto().wire().publishHeader(o.subject, o.payload)};
    }

    private static long backlogMessages(Options o) {
        return Math.max(1000, o.backlogBytes / (o.payload + 48));
    }

    private static int threads(Options o, int conns) {
        if (o.subThreads > 0) {
            return o.subThreads;
        }
        return Math.max(1, Math.min(conns, Runtime.getRuntime().availableProcessors()));
    }

    private static double secs(long nanos) {
        return Math.max(1, nanos) / 1e9;
    }

    private static double us(long nanos) {
        return nanos / 1e3;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
