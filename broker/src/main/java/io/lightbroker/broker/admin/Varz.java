package io.lightbroker.broker.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightbroker.broker.Version;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Settings;
import io.lightbroker.broker.resp.RespServerContext;
import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.BrokerStats;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code GET /varz}: nats-server's field names for what applies to a single node (no routes,
 * gateways, leaf nodes or JetStream, reported as zero or left out), then lightbroker's own
 * fields: ports and counts per protocol and the counters nats-server does not have.
 */
final class Varz {
    private Varz() {}

    static ObjectNode render(ObjectMapper json, Broker broker, Config config, ServerView server, Map<String, Long> requests) {
        long now = System.currentTimeMillis();
        BrokerStats s = broker.stats();
        int cores = Runtime.getRuntime().availableProcessors();
        ObjectNode v = json.createObjectNode();
        v.put("server_id", server.serverId());
        v.put("server_name", config.get(Settings.SERVER_NAME));
        v.put("version", Version.VERSION);
        v.put("proto", 1);
        v.put("java", Runtime.version().toString());
        v.put("host", server.host());
        v.put("port", server.port("nats"));
        v.put("max_connections", config.get(Settings.MAX_CLIENTS));
        v.put("http_host", server.host());
        v.put("http_port", server.port("admin"));
        v.put("auth_required", !RespServerContext.acl(config).defaultUser().authenticatesWithoutPassword()
                || !config.get(Settings.NATS_AUTH_TOKEN).isEmpty()
                || !config.get(Settings.NATS_USER).isEmpty() || !config.get(Settings.NATS_USERS).isEmpty());
        // nats-server's fields describe its client port, which is our NATS port.
        v.put("tls_required", config.get(Settings.NATS_TLS));
        v.put("tls_verify", config.get(Settings.NATS_TLS) && config.get(Settings.NATS_TLS_VERIFY));
        v.put("start", MonitorFormat.time(server.startMillis()));
        v.put("now", MonitorFormat.time(now));
        v.put("uptime", MonitorFormat.uptime(now - server.startMillis()));
        v.put("mem", residentBytes());
        v.put("cores", cores);
        v.put("cpu", cpuPercent(cores));
        v.put("connections", broker.clients().size());
        v.put("total_connections", s.connectionsTotal.sum());
        v.put("routes", 0);
        v.put("remotes", 0);
        v.put("leafnodes", server.leafLinks().stream().filter(l -> l.state() == io.lightbroker.broker.leaf.LeafLink.State.CONNECTED).count());
        v.put("in_msgs", s.msgsIn());
        v.put("in_bytes", s.bytesIn());
        v.put("in_client_msgs", s.msgsIn());
        v.put("in_client_bytes", s.bytesIn());
        v.put("out_msgs", s.msgsOut());
        v.put("out_bytes", s.bytesOut());
        v.put("out_client_msgs", s.msgsOut());
        v.put("out_client_bytes", s.bytesOut());
        v.put("slow_consumers", s.slowConsumers.sum());
        v.put("subscriptions", broker.index().totalSubscriptions());
        ObjectNode req = v.putObject("http_req_stats");
        requests.forEach(req::put);

        v.put("resp_port", server.port("resp"));
        v.put("resp_tls_port", server.port("resp-tls"));
        ObjectNode conns = v.putObject("connections_by_protocol");
        ObjectNode subs = v.putObject("subscriptions_by_protocol");
        for (String p : BrokerMetrics.PROTOCOLS) {
            conns.put(p, broker.clients().count(p));
        }
        int nats = broker.index().natsSubscriptionCount();
        subs.put("resp", broker.index().totalSubscriptions() - nats);
        subs.put("nats", nats);
        v.put("publishes_without_receivers", s.publishesWithoutReceivers());
        v.put("dropped_messages", s.droppedMessages.sum());
        v.put("protocol_errors", s.protocolErrors.sum());
        v.put("draining", !server.ready());
        return v;
    }

    /** Resident set size, as nats-server's {@code mem}; the heap in use where /proc is absent. */
    private static long residentBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException unavailable) {
            // not Linux: fall through
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** Percent of one core, as {@code ps -o pcpu} (and so nats-server) reports it. */
    private static double cpuPercent(int cores) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            double load = os.getProcessCpuLoad();
            if (load >= 0) {
                return Math.round(load * cores * 1000) / 10.0;
            }
        }
        return 0;
    }
}
