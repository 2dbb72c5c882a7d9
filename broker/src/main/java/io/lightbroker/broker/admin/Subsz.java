package io.lightbroker.broker.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.LoopContext;
import io.lightbroker.broker.core.SubscriptionIndex;
import io.lightbroker.broker.core.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /subsz}: nats-server's subscription statistics ({@code num_subscriptions},
 * {@code num_cache}, {@code num_inserts}, {@code num_removes}, {@code num_matches},
 * {@code cache_hit_rate}) over the whole subject space, and with {@code subs=1} the
 * subscription list, paged by {@code offset} and {@code limit}. nats-server's fan-out
 * statistics are left out: they come from its shared cache, and ours are per event loop.
 *
 * <p>Each listed subscription has nats-server's {@code subject}, {@code qgroup}, {@code sid},
 * {@code msgs}, {@code max} and {@code cid}, plus its {@code protocol} and {@code kind}
 * ({@code channel}, {@code pattern}, {@code shard} or {@code subject}); RESP subscriptions
 * have no {@code sid}. The list is ordered by connection id, then subject.
 */
final class Subsz {
    static final int DEFAULT_LIMIT = 1024;

    private Subsz() {}

    static ObjectNode render(ObjectMapper json, Broker broker, ServerView server, Query q) {
        boolean detail = q.bool("subs");
        int offset = Math.max(0, q.integer("offset"));
        int limit = q.integer("limit");
        if (limit <= 0) {
            limit = DEFAULT_LIMIT;
        }
        SubscriptionIndex index = broker.index();
        long hits = 0;
        long misses = 0;
        int cached = 0;
        for (LoopContext l : broker.loopContexts()) {
            hits += l.cache().hits();
            misses += l.cache().misses();
            cached += l.cache().size();
        }
        ObjectNode z = json.createObjectNode();
        z.put("server_id", server.serverId());
        z.put("now", MonitorFormat.time(System.currentTimeMillis()));
        z.put("num_subscriptions", index.totalSubscriptions());
        z.put("num_cache", cached);
        z.put("num_inserts", index.inserts());
        z.put("num_removes", index.removes());
        z.put("num_matches", hits + misses);
        z.put("cache_hit_rate", hits + misses == 0 ? 0.0 : (double) hits / (hits + misses));
        int total = 0;
        List<Subscription> subs = new ArrayList<>();
        if (detail) {
            index.forEach(subs::add);
            subs.sort(Comparator.comparingLong((Subscription s) -> s.owner.clientId())
                    .thenComparing(s -> new String(s.subject, StandardCharsets.UTF_8)));
            total = subs.size();
        }
        z.put("total", total);
        z.put("offset", offset);
        z.put("limit", limit);
        if (detail) {
            int from = Math.min(offset, subs.size());
            int to = Math.min(subs.size(), from + limit);
            ArrayNode list = z.putArray("subscriptions_list");
            for (Subscription s : subs.subList(from, to)) {
                list.add(detail(json, s));
            }
        }
        return z;
    }

    private static ObjectNode detail(ObjectMapper json, Subscription s) {
        ObjectNode d = json.createObjectNode();
        d.put("subject", text(s.subject));
        if (s.queue != null) {
            d.put("qgroup", text(s.queue));
        }
        if (s.sid != null) {
            d.put("sid", text(s.sid));
        }
        d.put("msgs", s.delivered());
        if (s.maxMessages() > 0) {
            d.put("max", s.maxMessages());
        }
        d.put("cid", s.owner.clientId());
        d.put("protocol", switch (s.kind) {
            case NATS -> "nats";
            case LOCAL -> "local";
            case LEAF -> "leaf";
            default -> "resp";
        });
        d.put("kind", switch (s.kind) {
            case RESP_CHANNEL -> "channel";
            case RESP_PATTERN -> "pattern";
            case RESP_SHARD -> "shard";
            case NATS, LOCAL, LEAF -> "subject";
        });
        return d;
    }

    /** Subjects are bytes; RESP allows any, so show them as UTF-8 with bad sequences replaced. */
    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
