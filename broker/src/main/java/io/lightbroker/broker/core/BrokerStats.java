package io.lightbroker.broker.core;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/**
 * Broker-wide counters. Message traffic, bumped on every publish, is kept per publishing thread
 * ({@link Traffic}: one per event loop, written without atomics, plus one shared by off-loop
 * publishers) and summed here when read. The rarer events are {@link LongAdder}s, so that
 * threads on different event loops never contend on one cache line. Metrics read both as
 * function counters.
 */
public final class BrokerStats {
    private final Traffic offLoop = new Traffic(true);
    private final CopyOnWriteArrayList<Traffic> traffic = new CopyOnWriteArrayList<>(new Traffic[] {offLoop});

    public final LongAdder slowConsumers = new LongAdder();
    public final LongAdder droppedMessages = new LongAdder();
    public final LongAdder connectionsTotal = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LimitHits limitHits = new LimitHits();

    /** Counters for a new event loop, which must be their only writer. */
    Traffic newLoopTraffic() {
        Traffic t = new Traffic(false);
        traffic.add(t);
        return t;
    }

    /** Counters for publishes that do not run on an event loop (any thread). */
    Traffic offLoopTraffic() {
        return offLoop;
    }

    /** Messages published by clients, all protocols. */
    public long msgsIn() {
        return sum(Traffic::msgsIn);
    }

    /** Bytes of those messages (payload, and NATS headers). */
    public long bytesIn() {
        return sum(Traffic::bytesIn);
    }

    /** Messages handed to subscribers' outbounds. */
    public long msgsOut() {
        return sum(Traffic::msgsOut);
    }

    /** Frame bytes handed to subscribers' outbounds. */
    public long bytesOut() {
        return sum(Traffic::bytesOut);
    }

    /** Publishes that matched no subscription. */
    public long publishesWithoutReceivers() {
        return sum(Traffic::withoutReceivers);
    }

    private long sum(ToLongFunction<Traffic> f) {
        long n = 0;
        for (Traffic t : traffic) {
            n += f.applyAsLong(t);
        }
        return n;
    }
}
