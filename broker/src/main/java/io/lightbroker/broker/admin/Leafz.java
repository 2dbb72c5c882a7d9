package io.lightbroker.broker.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightbroker.broker.leaf.LeafLink;
import java.util.List;

/**
 * {@code GET /leafz}: this node's leaf links in nats-server's {@code /leafz} shape
 * ({@code server_id}, {@code now}, {@code leafnodes}, and per link {@code account}, {@code ip},
 * {@code port}, {@code rtt}, {@code in_msgs}, {@code out_msgs}, {@code in_bytes},
 * {@code out_bytes}, {@code subscriptions}, {@code subscriptions_list} with {@code ?subs=1}),
 * seen from the leaf's side: {@code ip}/{@code port} are the hub's, {@code in_*} came from the
 * hub, {@code out_*} went to it. {@code leafnodes} counts connected links. Fields nats-server has
 * no equivalent for are added under their own names: {@code url} (credentials redacted),
 * {@code state}, {@code connected_since}, {@code reconnects}, {@code dropped_msgs},
 * {@code slow_consumers}, {@code last_error}, {@code hub_server_id}, {@code hub_server_name}.
 */
final class Leafz {
    private Leafz() {}

    static ObjectNode render(ObjectMapper json, ServerView server, Query q) {
        boolean subs = q.bool("subs");
        List<LeafLink> links = server.leafLinks();
        ObjectNode z = json.createObjectNode();
        z.put("server_id", server.serverId());
        z.put("now", MonitorFormat.time(System.currentTimeMillis()));
        z.put("leafnodes", links.stream().filter(l -> l.state() == LeafLink.State.CONNECTED).count());
        ArrayNode leafs = z.putArray("leafs");
        for (LeafLink l : links) {
            ObjectNode o = leafs.addObject();
            o.put("account", "$G");
            String[] hostPort = l.hubAddress();
            o.put("ip", hostPort[0]);
            o.put("port", Integer.parseInt(hostPort[1]));
            if (l.rttNanos() > 0) {
                o.put("rtt", goDuration(l.rttNanos()));
            }
            o.put("in_msgs", l.msgsIn());
            o.put("out_msgs", l.msgsOut());
            o.put("in_bytes", l.bytesIn());
            o.put("out_bytes", l.bytesOut());
            o.put("subscriptions", l.hubSubscriptions());
            if (subs) {
                ArrayNode list = o.putArray("subscriptions_list");
                l.hubSubjects().forEach(list::add);
            }
            o.put("url", l.url());
            o.put("state", l.state().name().toLowerCase(java.util.Locale.ROOT));
            if (l.connectedSinceMillis() > 0) {
                o.put("connected_since", MonitorFormat.time(l.connectedSinceMillis()));
            }
            o.put("reconnects", l.reconnects());
            o.put("dropped_msgs", l.drops());
            o.put("slow_consumers", l.slowConsumers());
            if (l.lastError() != null) {
                o.put("last_error", l.lastError());
            }
            if (l.hubServerId() != null) {
                o.put("hub_server_id", l.hubServerId());
            }
            if (l.hubServerName() != null) {
                o.put("hub_server_name", l.hubServerName());
            }
        }
        return z;
    }

    /** Go's {@code time.Duration.String()} for the small values an RTT takes: {@code 414µs}, {@code 1.2ms}. */
    static String goDuration(long nanos) {
        if (nanos < 1_000) {
            return nanos + "ns";
        }
        if (nanos < 1_000_000) {
            return trim(nanos / 1_000.0) + "µs";
        }
        if (nanos < 1_000_000_000) {
            return trim(nanos / 1_000_000.0) + "ms";
        }
        return trim(nanos / 1_000_000_000.0) + "s";
    }

    private static String trim(double v) {
        String s = java.math.BigDecimal.valueOf(v).setScale(3, java.math.RoundingMode.DOWN).stripTrailingZeros().toPlainString();
        return s;
    }
}
