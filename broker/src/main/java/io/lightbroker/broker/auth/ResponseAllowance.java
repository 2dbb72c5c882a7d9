package io.lightbroker.broker.auth;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One NATS connection's open responses for {@code allow_responses}, as nats-server keeps them per
 * client: every reply subject of a message delivered to the connection may be published to
 * {@code max} times before {@code expires} runs out. Deliveries record on the publisher's thread,
 * publishes consume on the connection's loop, hence the concurrent map.
 *
 * <p>Bounded as nats-server bounds its map: past {@link #PRUNE_ABOVE} entries, expired ones are
 * dropped at the next record.
 */
public final class ResponseAllowance {
    static final int PRUNE_ABOVE = 10_000;

    private final NatsPermissions.Responses limits;
    /** reply subject → {deadline millis (Long.MAX_VALUE if none), responses left}. */
    private final ConcurrentHashMap<String, long[]> open = new ConcurrentHashMap<>();

    public ResponseAllowance(NatsPermissions.Responses limits) {
        this.limits = limits;
    }

    public void record(ByteBuf reply, int index, int length) {
        long now = System.currentTimeMillis();
        if (open.size() > PRUNE_ABOVE) {
            open.values().removeIf(e -> e[0] < now);
        }
        long deadline = limits.expiresMillis() == 0 ? Long.MAX_VALUE : now + limits.expiresMillis();
        open.put(reply.toString(index, length, StandardCharsets.UTF_8), new long[] {deadline, limits.max()});
    }

    /** Whether this publish answers an open response; consumes one use if so. */
    public boolean consume(String subject) {
        long[] e = open.get(subject);
        if (e == null) {
            return false;
        }
        synchronized (e) {
            if (e[0] < System.currentTimeMillis() || e[1] <= 0) {
                open.remove(subject, e);
                return false;
            }
            if (--e[1] == 0) {
                open.remove(subject, e);
            }
            return true;
        }
    }
}
