package io.lightbroker.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightbroker.broker.server.LightBroker;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminAuthTest {
    private static final String TOKEN = "t0ken-for-tests";
    private static final List<String> PROTECTED = List.of("/varz", "/connz", "/subsz", "/metrics", "/config");

    private LightBroker broker;

    @BeforeEach
    void start() {
        broker = LightBroker.builder().respPort(0).adminPort(0)
                .setting("admin-token", TOKEN)
                .setting("admin-config-endpoint", "true")
                .requirePass("hunter2")
                .start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void everyEndpointButProbesNeedTheToken() {
        AdminClient anonymous = new AdminClient(broker.adminPort());
        for (String path : PROTECTED) {
            HttpResponse<String> r = anonymous.get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        }
        assertThat(anonymous.send("POST", "/drain").statusCode()).isEqualTo(401);
        assertThat(anonymous.send("DELETE", "/connz/1").statusCode()).isEqualTo(401);
        assertThat(broker.ready()).isTrue();
    }

    @Test
    void probesAnswerWithoutTheToken() {
        AdminClient anonymous = new AdminClient(broker.adminPort());
        assertThat(anonymous.get("/healthz").statusCode()).isEqualTo(200);
        assertThat(anonymous.get("/readyz").statusCode()).isEqualTo(200);
    }

    @Test
    void dashboardPageLoadsWithoutTheTokenAndHoldsNoData() {
        HttpResponse<String> r = new AdminClient(broker.adminPort()).get("/");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("Authorization").doesNotContain(broker.serverId());
    }

    @Test
    void wrongTokenIsRejected() {
        assertThat(new AdminClient(broker.adminPort(), TOKEN + "x").get("/varz").statusCode()).isEqualTo(401);
        assertThat(new AdminClient(broker.adminPort(), "t0ken").get("/varz").statusCode()).isEqualTo(401);
    }

    @Test
    void unknownPathsDoNotRevealThemselvesWithoutTheToken() {
        assertThat(new AdminClient(broker.adminPort()).get("/secret-path").statusCode()).isEqualTo(401);
        assertThat(new AdminClient(broker.adminPort(), TOKEN).get("/secret-path").statusCode()).isEqualTo(404);
    }

    @Test
    void rightTokenOpensEveryEndpoint() {
        AdminClient admin = new AdminClient(broker.adminPort(), TOKEN);
        for (String path : PROTECTED) {
            assertThat(admin.get(path).statusCode()).as(path).isEqualTo(200);
        }
    }

    @Test
    void configShowsEachValueWithItsSourceAndRedactsSecrets() {
        HttpResponse<String> r = new AdminClient(broker.adminPort(), TOKEN).get("/config");
        assertThat(r.body()).doesNotContain(TOKEN).doesNotContain("hunter2");
        JsonNode settings = AdminClient.parse(r.body()).get("settings");
        assertThat(settings.get("admin-token").get("value").asText()).isEqualTo("[redacted]");
        assertThat(settings.get("requirepass").get("value").asText()).isEqualTo("[redacted]");
        assertThat(settings.get("admin-token").get("source").asText()).isEqualTo("api");
        assertThat(settings.get("resp-port").get("value").asText()).isEqualTo("0");
        assertThat(settings.get("resp-port").get("source").asText()).isEqualTo("api");
        assertThat(settings.get("max-clients").get("value").asText()).isEqualTo("10000");
        assertThat(settings.get("max-clients").get("source").asText()).isEqualTo("default");
        assertThat(settings.get("max-clients").get("origin").asText()).isEqualTo("default");
    }
}
