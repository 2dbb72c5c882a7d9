package io.lightbroker.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminEndpointsTest {
    private LightBroker broker;
    private AdminClient admin;

    @BeforeEach
    void start() {
        broker = LightBroker.builder().respPort(0).adminPort(0).start();
        admin = new AdminClient(broker.adminPort());
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    static String subscribeReply(String channel, int count) {
        return "*3\r\n$9\r\nsubscribe\r\n$" + channel.length() + "\r\n" + channel + "\r\n:" + count + "\r\n";
    }

    static String command(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    /** The connection's id, from CLIENT ID (allowed only outside subscribed context, so call before subscribing). */
    static long clientId(AdminClient.Resp c) throws IOException {
        return Long.parseLong(c.callLine(command("CLIENT", "ID")).substring(1));
    }

    static void subscribe(AdminClient.Resp c, String channel) throws IOException {
        String expected = subscribeReply(channel, 1);
        assertThat(c.call(command("SUBSCRIBE", channel), expected.length())).isEqualTo(expected);
    }

    @Test
    void adminPortIsBoundAndReported() {
        assertThat(broker.adminPort()).isPositive();
    }

    @Test
    void healthzIsOkWhileServing() {
        HttpResponse<String> r = admin.get("/healthz");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(AdminClient.parse(r.body()).get("status").asText()).isEqualTo("ok");
    }

    @Test
    void readyzIsOkOnceStarted() {
        assertThat(admin.get("/readyz").statusCode()).isEqualTo(200);
        assertThat(broker.ready()).isTrue();
    }

    @Test
    void unknownPathIsNotFound() {
        HttpResponse<String> r = admin.get("/nope");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(AdminClient.parse(r.body()).get("error").asText()).contains("/nope");
    }

    @Test
    void wrongMethodIsNotAllowedAndNamesTheAllowedOnes() {
        HttpResponse<String> r = admin.send("POST", "/varz");
        assertThat(r.statusCode()).isEqualTo(405);
        assertThat(r.headers().firstValue("Allow")).hasValue("GET");
        assertThat(admin.send("GET", "/drain").statusCode()).isEqualTo(405);
        assertThat(admin.send("GET", "/connz/1").headers().firstValue("Allow")).hasValue("DELETE");
    }

    @Test
    void configEndpointIsAbsentUnlessEnabled() {
        assertThat(admin.get("/config").statusCode()).isEqualTo(404);
    }

    @Test
    void varzHasNatsServerFieldsAndCountsPerProtocol() throws IOException {
        try (AdminClient.Resp sub = new AdminClient.Resp(broker.respPort());
             AdminClient.Resp pub = new AdminClient.Resp(broker.respPort())) {
            subscribe(sub, "news");
            assertThat(pub.call(command("PUBLISH", "news", "hello"), 4)).isEqualTo(":1\r\n");
            assertThat(pub.call(command("PUBLISH", "nobody", "hello"), 4)).isEqualTo(":0\r\n");

            JsonNode v = admin.json("/varz");
            assertThat(v.fieldNames()).toIterable().contains("server_id", "server_name", "version", "host", "port", "http_port",
                    "start", "now", "uptime", "mem", "cores", "cpu", "connections", "total_connections", "in_msgs", "out_msgs",
                    "in_bytes", "out_bytes", "slow_consumers", "subscriptions", "max_connections", "http_req_stats");
            assertThat(v.get("server_id").asText()).isEqualTo(broker.serverId()).startsWith("N").hasSize(56);
            assertThat(v.get("connections").asInt()).isEqualTo(2);
            assertThat(v.get("total_connections").asLong()).isEqualTo(2);
            assertThat(v.get("in_msgs").asLong()).isEqualTo(2);
            assertThat(v.get("in_bytes").asLong()).isEqualTo(10);
            assertThat(v.get("out_msgs").asLong()).isEqualTo(1);
            assertThat(v.get("out_bytes").asLong()).isPositive();
            assertThat(v.get("subscriptions").asInt()).isEqualTo(1);
            assertThat(v.get("publishes_without_receivers").asLong()).isEqualTo(1);
            assertThat(v.get("resp_port").asInt()).isEqualTo(broker.respPort());
            assertThat(v.get("http_port").asInt()).isEqualTo(broker.adminPort());
            assertThat(v.get("connections_by_protocol").get("resp").asInt()).isEqualTo(2);
            assertThat(v.get("connections_by_protocol").get("nats").asInt()).isZero();
            assertThat(v.get("subscriptions_by_protocol").get("resp").asInt()).isEqualTo(1);
            assertThat(v.get("start").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
            assertThat(v.get("uptime").asText()).matches("(\\d+[ydhm])*\\d+s");
        }
    }

    @Test
    void connzListsEveryConnectionWithNatsServerFieldsAndProtocol() throws IOException {
        try (AdminClient.Resp sub = new AdminClient.Resp(broker.respPort())) {
            subscribe(sub, "news");
            JsonNode c = admin.json("/connz");
            assertThat(c.get("server_id").asText()).isEqualTo(broker.serverId());
            assertThat(c.get("num_connections").asInt()).isEqualTo(1);
            assertThat(c.get("total").asInt()).isEqualTo(1);
            assertThat(c.get("offset").asInt()).isZero();
            assertThat(c.get("limit").asInt()).isEqualTo(1024);
            JsonNode conn = c.get("connections").get(0);
            assertThat(conn.fieldNames()).toIterable().contains("cid", "ip", "port", "start", "last_activity", "uptime", "idle",
                    "pending_bytes", "in_msgs", "out_msgs", "in_bytes", "out_bytes", "subscriptions", "protocol");
            assertThat(conn.get("protocol").asText()).isEqualTo("resp");
            assertThat(conn.get("ip").asText()).isEqualTo("127.0.0.1");
            assertThat(conn.get("port").asInt()).isEqualTo(sub.socket.getLocalPort());
            assertThat(conn.get("subscriptions").asInt()).isEqualTo(1);
        }
    }

    @Test
    void connzSortsPagesAndFiltersLikeNatsServer() throws IOException {
        List<AdminClient.Resp> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(new AdminClient.Resp(broker.respPort()));
            }
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.json("/connz").get("total").asInt() == 3);
            long subscriber = clientId(clients.get(1));
            long publisher = clientId(clients.get(2));
            subscribe(clients.get(1), "a");
            AdminClient.Resp pub = clients.get(2);
            assertThat(pub.call(command("PUBLISH", "a", "x"), 4)).isEqualTo(":1\r\n");
            assertThat(pub.call(command("PUBLISH", "a", "y"), 4)).isEqualTo(":1\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.json("/connz?sort=msgs_to").get("connections").get(0).get("out_msgs").asLong() == 2);

            JsonNode byCid = admin.json("/connz").get("connections");
            assertThat(byCid.get(0).get("cid").asLong()).isLessThan(byCid.get(1).get("cid").asLong());
            assertThat(byCid.get(1).get("cid").asLong()).isLessThan(byCid.get(2).get("cid").asLong());
            assertThat(admin.json("/connz?sort=msgs_to").get("connections").get(0).get("cid").asLong()).isEqualTo(subscriber);
            assertThat(admin.json("/connz?sort=subs").get("connections").get(0).get("cid").asLong()).isEqualTo(subscriber);
            assertThat(admin.json("/connz?sort=msgs_from").get("connections").get(0).get("cid").asLong()).isEqualTo(publisher);
            assertThat(admin.json("/connz?sort=bytes_from").get("connections").get(0).get("cid").asLong()).isEqualTo(publisher);
            for (String sort : List.of("cid", "start", "pending", "bytes_to", "last", "idle", "uptime")) {
                assertThat(admin.json("/connz?sort=" + sort).get("connections")).hasSize(3);
            }

            JsonNode page = admin.json("/connz?offset=1&limit=1");
            assertThat(page.get("num_connections").asInt()).isEqualTo(1);
            assertThat(page.get("total").asInt()).isEqualTo(3);
            assertThat(page.get("offset").asInt()).isEqualTo(1);
            assertThat(page.get("limit").asInt()).isEqualTo(1);
            assertThat(page.get("connections").get(0).get("cid").asLong()).isEqualTo(byCid.get(1).get("cid").asLong());

            JsonNode one = admin.json("/connz?cid=" + publisher);
            assertThat(one.get("connections")).hasSize(1);
            assertThat(one.get("connections").get(0).get("cid").asLong()).isEqualTo(publisher);

            assertThat(admin.json("/connz?offset=10").get("connections")).isEmpty();
        } finally {
            for (AdminClient.Resp c : clients) {
                c.close();
            }
        }
    }

    @Test
    void connzRejectsBadParametersWithNatsServerTexts() {
        HttpResponse<String> sort = admin.get("/connz?sort=colour");
        assertThat(sort.statusCode()).isEqualTo(400);
        assertThat(sort.body()).isEqualTo("invalid sorting option: colour");
        HttpResponse<String> offset = admin.get("/connz?offset=ten");
        assertThat(offset.statusCode()).isEqualTo(400);
        assertThat(offset.body()).isEqualTo("Error decoding int for 'offset': invalid syntax");
        assertThat(admin.get("/connz?sort=stop").body()).isEqualTo("sort by stop only valid on closed connections");
    }

    @Test
    void deleteConnectionClosesThatClient() throws IOException {
        try (AdminClient.Resp victim = new AdminClient.Resp(broker.respPort());
             AdminClient.Resp bystander = new AdminClient.Resp(broker.respPort())) {
            // Ids are given on each connection's own event loop, so they need not follow connect order: ask.
            long cid = clientId(victim);
            subscribe(victim, "v");
            subscribe(bystander, "b");

            HttpResponse<String> r = admin.send("DELETE", "/connz/" + cid);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = AdminClient.parse(r.body());
            assertThat(body.get("cid").asLong()).isEqualTo(cid);
            assertThat(body.get("closed").asBoolean()).isTrue();
            assertThat(victim.closedByServer()).isTrue();
            assertThat(bystander.call(command("PING"), 20)).isEqualTo("*2\r\n$4\r\npong\r\n$0\r\n\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.json("/connz").get("total").asInt() == 1);
        }
    }

    @Test
    void deleteUnknownConnectionIsNotFound() {
        assertThat(admin.send("DELETE", "/connz/999999").statusCode()).isEqualTo(404);
        assertThat(admin.send("DELETE", "/connz/abc").statusCode()).isEqualTo(400);
    }

    @Test
    void subszReportsIndexStatsAndListsSubscriptionsOnRequest() throws IOException {
        try (AdminClient.Resp sub = new AdminClient.Resp(broker.respPort());
             AdminClient.Resp pub = new AdminClient.Resp(broker.respPort())) {
            subscribe(sub, "news");
            String psub = "*3\r\n$10\r\npsubscribe\r\n$3\r\nn.*\r\n:2\r\n";
            assertThat(sub.call(command("PSUBSCRIBE", "n.*"), psub.length())).isEqualTo(psub);
            for (int i = 0; i < 3; i++) {
                assertThat(pub.call(command("PUBLISH", "news", "x"), 4)).isEqualTo(":1\r\n");
            }

            JsonNode z = admin.json("/subsz");
            assertThat(z.fieldNames()).toIterable().contains("server_id", "now", "num_subscriptions", "num_cache", "num_inserts",
                    "num_removes", "num_matches", "cache_hit_rate", "total", "offset", "limit");
            assertThat(z.has("subscriptions_list")).isFalse();
            assertThat(z.get("num_subscriptions").asInt()).isEqualTo(2);
            assertThat(z.get("num_inserts").asLong()).isEqualTo(2);
            assertThat(z.get("num_matches").asLong()).isEqualTo(3);
            assertThat(z.get("num_cache").asInt()).isEqualTo(1);
            assertThat(z.get("cache_hit_rate").asDouble()).isCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));

            JsonNode list = admin.json("/subsz?subs=1").get("subscriptions_list");
            assertThat(list).hasSize(2);
            assertThat(list.get(0).get("subject").asText()).isEqualTo("n.*");
            assertThat(list.get(0).get("kind").asText()).isEqualTo("pattern");
            assertThat(list.get(1).get("subject").asText()).isEqualTo("news");
            assertThat(list.get(1).get("kind").asText()).isEqualTo("channel");
            assertThat(list.get(1).get("protocol").asText()).isEqualTo("resp");
            assertThat(list.get(1).has("cid")).isTrue();
            assertThat(admin.json("/subsz?subs=1&offset=1&limit=1").get("subscriptions_list")).hasSize(1);
            assertThat(admin.get("/subsz?subs=maybe").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void varzCountsRequestsPerEndpoint() {
        admin.get("/healthz");
        admin.get("/healthz");
        assertThat(admin.json("/varz").get("http_req_stats").get("/healthz").asLong()).isEqualTo(2);
    }

    @Test
    void dashboardIsServedAsHtml() {
        HttpResponse<String> r = admin.get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    }
}
