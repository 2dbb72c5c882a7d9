package io.lightbroker.broker.core;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often each configured limit was hit, for the {@code lightbroker_limit_hits_total{limit=...}}
 * metric. One {@link LongAdder} per limit, bumped on the connection's event loop only when a
 * limit is hit (never per message), read at scrape time.
 */
public final class LimitHits {
    /** Each value's {@link #label} is the metric's {@code limit} tag; docs/security.md lists them. */
    public enum Limit {
        MAX_CLIENTS("max_clients"),
        MAX_CONNECTIONS("max_connections"),
        MAX_SUBSCRIPTIONS("max_subscriptions"),
        MAX_PAYLOAD("max_payload"),
        MAX_CONTROL_LINE("max_control_line"),
        MAX_REQUEST_SIZE("max_request_size"),
        MAX_PENDING("max_pending"),
        AUTH_TIMEOUT("auth_timeout"),
        STALE_CONNECTION("stale_connection");

        public final String label;

        Limit(String label) {
            this.label = label;
        }
    }

    private final Map<Limit, LongAdder> hits = new EnumMap<>(Limit.class);

    public LimitHits() {
        for (Limit l : Limit.values()) {
            hits.put(l, new LongAdder());
        }
    }

    public void hit(Limit limit) {
        hits.get(limit).increment();
    }

    public long count(Limit limit) {
        return hits.get(limit).sum();
    }
}
