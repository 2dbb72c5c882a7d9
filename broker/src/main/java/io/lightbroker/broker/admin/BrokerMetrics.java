package io.lightbroker.broker.admin;

import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.BrokerStats;
import io.lightbroker.broker.core.LimitHits;
import io.lightbroker.broker.core.LoopContext;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocatorMetric;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

/**
 * The broker's Prometheus metrics. One registry per broker, so several brokers in one JVM
 * (tests, embedding) do not share or fight over meters.
 *
 * <p>Nothing here is touched on the message path: every meter is a {@link FunctionCounter} or
 * {@link Gauge} that reads, at scrape time, the {@link BrokerStats} {@link LongAdder}s, the
 * client registry, the subscription index or the per-loop match caches the broker keeps
 * anyway. A scrape runs on the admin thread and costs a sum over the adders and one walk of
 * the client registry per protocol.
 *
 * <p>Match cache counters are plain longs owned by each event loop; read from the admin
 * thread they may lag by a few lookups, which a rate over a scrape interval does not notice.
 */
public final class BrokerMetrics implements AutoCloseable {
    /** Protocols that get a connections and subscriptions series even before their first client. */
    static final String[] PROTOCOLS = {"resp", "nats"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /**
     * Per leaf link (tag {@code url}, credentials redacted): whether it is connected, messages
     * and bytes in from and out to the hub, messages dropped for hub interest while the link was
     * down or over budget, and reconnects.
     */
    void leafLinks(java.util.List<io.lightbroker.broker.leaf.LeafLink> links) {
        for (io.lightbroker.broker.leaf.LeafLink l : links) {
            String url = l.url();
            Gauge.builder("lightbroker.leaf.connected", l, x -> x.state() == io.lightbroker.broker.leaf.LeafLink.State.CONNECTED ? 1 : 0)
                    .description("1 while the leaf link to its hub is connected").tag("url", url).register(registry);
            FunctionCounter.builder("lightbroker.leaf.messages.in", l, io.lightbroker.broker.leaf.LeafLink::msgsIn)
                    .description("Messages received from the hub").tag("url", url).register(registry);
            FunctionCounter.builder("lightbroker.leaf.messages.out", l, io.lightbroker.broker.leaf.LeafLink::msgsOut)
                    .description("Messages forwarded to the hub").tag("url", url).register(registry);
            FunctionCounter.builder("lightbroker.leaf.bytes.in", l, io.lightbroker.broker.leaf.LeafLink::bytesIn)
                    .description("Message bytes received from the hub").tag("url", url).register(registry);
            FunctionCounter.builder("lightbroker.leaf.bytes.out", l, io.lightbroker.broker.leaf.LeafLink::bytesOut)
                    .description("Message bytes forwarded to the hub").tag("url", url).register(registry);
            FunctionCounter.builder("lightbroker.leaf.messages.dropped", l, io.lightbroker.broker.leaf.LeafLink::drops)
                    .description("Messages for hub interest not forwarded (link down or over leaf-max-pending)").tag("url", url).register(registry);
            FunctionCounter.builder("lightbroker.leaf.reconnects", l, io.lightbroker.broker.leaf.LeafLink::reconnects)
                    .description("Times the leaf link connected again after losing its hub").tag("url", url).register(registry);
        }
    }

    public BrokerMetrics(Broker broker) {
        BrokerStats s = broker.stats();
        counter("lightbroker.connections.accepted", "Client connections accepted since start, all protocols", s.connectionsTotal);
        counter("lightbroker.messages.in", "Messages published by clients", s, BrokerStats::msgsIn);
        counter("lightbroker.messages.in.bytes", "Payload bytes published by clients", s, BrokerStats::bytesIn);
        counter("lightbroker.messages.out", "Messages delivered to subscribers", s, BrokerStats::msgsOut);
        counter("lightbroker.messages.out.bytes", "Frame bytes delivered to subscribers", s, BrokerStats::bytesOut);
        counter("lightbroker.publishes.no.receivers", "Publishes that matched no subscription", s, BrokerStats::publishesWithoutReceivers);
        counter("lightbroker.slow.consumers", "Subscribers disconnected for exceeding their output budget", s.slowConsumers);
        counter("lightbroker.messages.dropped", "Messages not delivered because the receiver was over budget or gone", s.droppedMessages);
        counter("lightbroker.protocol.errors", "Connections closed for a protocol error", s.protocolErrors);
        for (LimitHits.Limit l : LimitHits.Limit.values()) {
            FunctionCounter.builder("lightbroker.limit.hits", s.limitHits, h -> h.count(l))
                    .description("Times a configured limit was hit (connection refused or closed, command refused)")
                    .tag("limit", l.label).register(registry);
        }

        for (String p : PROTOCOLS) {
            Gauge.builder("lightbroker.connections.current", broker, b -> b.clients().count(p))
                    .description("Open client connections").tag("protocol", p).register(registry);
        }
        Gauge.builder("lightbroker.subscriptions", broker, b -> b.index().totalSubscriptions() - b.index().natsSubscriptionCount())
                .description("Active subscriptions").tag("protocol", "resp").register(registry);
        Gauge.builder("lightbroker.subscriptions", broker, b -> b.index().natsSubscriptionCount())
                .description("Active subscriptions").tag("protocol", "nats").register(registry);

        FunctionCounter.builder("lightbroker.match.cache.hits", broker, b -> cache(b, true))
                .description("Publishes whose receivers came from the match cache").register(registry);
        FunctionCounter.builder("lightbroker.match.cache.misses", broker, b -> cache(b, false))
                .description("Publishes whose receivers were computed from the index").register(registry);
        Gauge.builder("lightbroker.match.cache.hit.ratio", broker, BrokerMetrics::hitRatio)
                .description("Match cache hits over lookups since start (0 before the first lookup)").register(registry);

        PooledByteBufAllocatorMetric pool = PooledByteBufAllocator.DEFAULT.metric();
        allocator("direct", pool, PooledByteBufAllocatorMetric::usedDirectMemory);
        allocator("heap", pool, PooledByteBufAllocatorMetric::usedHeapMemory);

        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    private void counter(String name, String description, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::sum).description(description).register(registry);
    }

    private void counter(String name, String description, BrokerStats stats, ToLongFunction<BrokerStats> value) {
        FunctionCounter.builder(name, stats, s -> value.applyAsLong(s)).description(description).register(registry);
    }

    private void allocator(String memory, PooledByteBufAllocatorMetric pool, ToDoubleFunction<PooledByteBufAllocatorMetric> used) {
        Gauge.builder("lightbroker.netty.allocator.used", pool, used)
                .description("Memory held by Netty's pooled buffer allocator").baseUnit("bytes")
                .tag("memory", memory).register(registry);
    }

    static double cache(Broker b, boolean hits) {
        long n = 0;
        for (LoopContext l : b.loopContexts()) {
            n += hits ? l.cache().hits() : l.cache().misses();
        }
        return n;
    }

    static double hitRatio(Broker b) {
        double hits = cache(b, true);
        double lookups = hits + cache(b, false);
        return lookups == 0 ? 0 : hits / lookups;
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition format. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
