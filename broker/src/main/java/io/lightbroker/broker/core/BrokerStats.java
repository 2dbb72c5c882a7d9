package io.lightbroker.broker.core;

import java.util.concurrent.atomic.LongAdder;

/**
 * Broker-wide counters. {@link LongAdder}s so that publisher threads on different event loops
 * never contend on one cache line; metrics read them as function counters.
 */
public final class BrokerStats {
    public final LongAdder msgsIn = new LongAdder();
    public final LongAdder bytesIn = new LongAdder();
    public final LongAdder msgsOut = new LongAdder();
    public final LongAdder bytesOut = new LongAdder();
    public final LongAdder publishesWithoutReceivers = new LongAdder();
    public final LongAdder slowConsumers = new LongAdder();
    public final LongAdder droppedMessages = new LongAdder();
    public final LongAdder connectionsTotal = new LongAdder();
    public final LongAdder protocolErrors = new LongAdder();
    public final LimitHits limitHits = new LimitHits();
}
