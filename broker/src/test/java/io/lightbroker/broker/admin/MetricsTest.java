package io.lightbroker.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsTest {
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

    private String scrape() {
        HttpResponse<String> r = admin.get("/metrics");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
        return r.body();
    }

    private static double value(String scrape, String series) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
        assertThat(m.find()).as("series %s in scrape", series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    @Test
    void scrapeExposesEveryBrokerMetric() {
        String s = scrape();
        assertThat(s).contains(
                "lightbroker_connections_current{protocol=\"resp\"}",
                "lightbroker_connections_current{protocol=\"nats\"}",
                "lightbroker_connections_accepted_total",
                "lightbroker_subscriptions{protocol=\"resp\"}",
                "lightbroker_subscriptions{protocol=\"nats\"}",
                "lightbroker_messages_in_total",
                "lightbroker_messages_in_bytes_total",
                "lightbroker_messages_out_total",
                "lightbroker_messages_out_bytes_total",
                "lightbroker_publishes_no_receivers_total",
                "lightbroker_slow_consumers_total",
                "lightbroker_messages_dropped_total",
                "lightbroker_protocol_errors_total",
                "lightbroker_limit_hits_total{limit=\"max_clients\"}",
                "lightbroker_limit_hits_total{limit=\"max_pending\"}",
                "lightbroker_limit_hits_total{limit=\"auth_timeout\"}",
                "lightbroker_match_cache_hits_total",
                "lightbroker_match_cache_misses_total",
                "lightbroker_match_cache_hit_ratio",
                "lightbroker_netty_allocator_used_bytes{memory=\"direct\"}",
                "lightbroker_netty_allocator_used_bytes{memory=\"heap\"}",
                "jvm_memory_used_bytes",
                "jvm_gc_",
                "jvm_threads_live_threads");
    }

    @Test
    void countersFollowTheTraffic() throws IOException {
        try (AdminClient.Resp sub = new AdminClient.Resp(broker.respPort());
             AdminClient.Resp pub = new AdminClient.Resp(broker.respPort())) {
            AdminEndpointsTest.subscribe(sub, "news");
            for (int i = 0; i < 4; i++) {
                assertThat(pub.call(AdminEndpointsTest.command("PUBLISH", "news", "hello"), 4)).isEqualTo(":1\r\n");
            }
            assertThat(pub.call(AdminEndpointsTest.command("PUBLISH", "void", "hello"), 4)).isEqualTo(":0\r\n");

            String s = scrape();
            assertThat(value(s, "lightbroker_connections_current{protocol=\"resp\"}")).isEqualTo(2);
            assertThat(value(s, "lightbroker_connections_accepted_total")).isEqualTo(2);
            assertThat(value(s, "lightbroker_subscriptions{protocol=\"resp\"}")).isEqualTo(1);
            assertThat(value(s, "lightbroker_messages_in_total")).isEqualTo(5);
            assertThat(value(s, "lightbroker_messages_in_bytes_total")).isEqualTo(25);
            assertThat(value(s, "lightbroker_messages_out_total")).isEqualTo(4);
            assertThat(value(s, "lightbroker_publishes_no_receivers_total")).isEqualTo(1);
            assertThat(value(s, "lightbroker_match_cache_hits_total")).isEqualTo(3);
            assertThat(value(s, "lightbroker_match_cache_misses_total")).isEqualTo(2);
            assertThat(value(s, "lightbroker_match_cache_hit_ratio")).isEqualTo(0.6);
        }
        await().atMost(Duration.ofSeconds(10))
                .until(() -> value(scrape(), "lightbroker_connections_current{protocol=\"resp\"}") == 0);
    }

    @Test
    void eachBrokerHasItsOwnRegistry() {
        try (LightBroker other = LightBroker.builder().respPort(0).adminPort(0).start();
             AdminClient.Resp c = new AdminClient.Resp(other.respPort())) {
            assertThat(c.call(AdminEndpointsTest.command("PING"), 7)).isEqualTo("+PONG\r\n");
            assertThat(value(new AdminClient(other.adminPort()).get("/metrics").body(), "lightbroker_connections_accepted_total")).isEqualTo(1);
            assertThat(value(scrape(), "lightbroker_connections_accepted_total")).isZero();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
