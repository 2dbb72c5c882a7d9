package io.lightbroker.broker.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.ClientInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code GET /connz}: nats-server's connection list, over the connections of every protocol,
 * with its paging ({@code offset}, {@code limit}, default 1024), its {@code cid} filter and
 * its sort names. Sorting by {@code cid} or {@code start} is ascending; every other sort is
 * descending, biggest first, as in nats-server. Each connection also carries its
 * {@code protocol}.
 *
 * <p>The values are read from the sessions without locks (see {@link ClientInfo}); one
 * connection's numbers may be a moment apart from another's.
 */
final class Connz {
    static final int DEFAULT_LIMIT = 1024;

    private Connz() {}

    static ObjectNode render(ObjectMapper json, Broker broker, ServerView server, Query q) {
        long now = System.currentTimeMillis();
        Comparator<ClientInfo> order = order(q.string("sort"), now);
        int offset = Math.max(0, q.integer("offset"));
        int limit = q.integer("limit");
        if (limit <= 0) {
            limit = DEFAULT_LIMIT;
        }
        long cid = q.unsigned("cid");

        List<ClientInfo> all = new ArrayList<>(broker.clients().all());
        if (cid > 0) {
            all.removeIf(c -> c.clientId() != cid);
            limit = 1;
        }
        all.sort(order);

        ObjectNode c = json.createObjectNode();
        c.put("server_id", server.serverId());
        c.put("now", MonitorFormat.time(now));
        int from = Math.min(offset, all.size());
        int to = Math.min(all.size(), from + limit);
        c.put("num_connections", to - from);
        c.put("total", all.size());
        c.put("offset", offset);
        c.put("limit", limit);
        ArrayNode list = c.putArray("connections");
        for (ClientInfo ci : all.subList(from, to)) {
            list.add(connection(json, ci, now));
        }
        return c;
    }

    static ObjectNode connection(ObjectMapper json, ClientInfo ci, long now) {
        ObjectNode n = json.createObjectNode();
        n.put("cid", ci.clientId());
        n.put("kind", "Client");
        n.put("protocol", ci.protocol());
        String remote = ci.remoteAddress();
        int colon = remote.lastIndexOf(':');
        n.put("ip", colon < 0 ? remote : remote.substring(0, colon));
        n.put("port", colon < 0 ? 0 : parsePort(remote.substring(colon + 1)));
        n.put("start", MonitorFormat.time(ci.startMillis()));
        n.put("last_activity", MonitorFormat.time(ci.lastActivityMillis()));
        n.put("uptime", MonitorFormat.uptime(now - ci.startMillis()));
        n.put("idle", MonitorFormat.uptime(now - ci.lastActivityMillis()));
        n.put("pending_bytes", ci.pendingBytes());
        n.put("in_msgs", ci.msgsIn());
        n.put("out_msgs", ci.msgsOut());
        n.put("in_bytes", ci.bytesIn());
        n.put("out_bytes", ci.bytesOut());
        n.put("subscriptions", ci.subscriptionCount());
        if (ci.name() != null && !ci.name().isEmpty()) {
            n.put("name", ci.name());
        }
        return n;
    }

    private static int parsePort(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** nats-server's sort options and their error texts. */
    static Comparator<ClientInfo> order(String sort, long now) {
        Comparator<ClientInfo> byCid = Comparator.comparingLong(ClientInfo::clientId);
        Comparator<ClientInfo> c = switch (sort) {
            case "", "cid", "start" -> byCid;
            case "subs" -> Comparator.comparingLong((ClientInfo x) -> x.subscriptionCount()).reversed();
            case "pending" -> Comparator.comparingLong(ClientInfo::pendingBytes).reversed();
            case "msgs_to" -> Comparator.comparingLong(ClientInfo::msgsOut).reversed();
            case "msgs_from" -> Comparator.comparingLong(ClientInfo::msgsIn).reversed();
            case "bytes_to" -> Comparator.comparingLong(ClientInfo::bytesOut).reversed();
            case "bytes_from" -> Comparator.comparingLong(ClientInfo::bytesIn).reversed();
            case "last" -> Comparator.comparingLong(ClientInfo::lastActivityMillis).reversed();
            case "idle" -> Comparator.comparingLong((ClientInfo x) -> now - x.lastActivityMillis()).reversed();
            case "uptime" -> Comparator.comparingLong((ClientInfo x) -> now - x.startMillis()).reversed();
            case "stop" -> throw new BadRequest("sort by stop only valid on closed connections");
            case "reason" -> throw new BadRequest("sort by reason only valid on closed connections");
            // No RTT is measured (RESP has no server PING), so every connection ties.
            case "rtt" -> byCid;
            default -> throw new BadRequest("invalid sorting option: " + sort);
        };
        return c == byCid ? c : c.thenComparing(byCid);
    }
}
