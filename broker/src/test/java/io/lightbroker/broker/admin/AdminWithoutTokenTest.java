package io.lightbroker.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import org.junit.jupiter.api.Test;

class AdminWithoutTokenTest {

    @Test
    void withoutATokenEveryEndpointIsOpen() {
        try (LightBroker broker = LightBroker.builder().respPort(0).adminPort(0).setting("admin-config-endpoint", "true").start()) {
            AdminClient anonymous = new AdminClient(broker.adminPort());
            for (String path : new String[] {"/varz", "/connz", "/subsz", "/metrics", "/config", "/healthz", "/readyz", "/"}) {
                assertThat(anonymous.get(path).statusCode()).as(path).isEqualTo(200);
            }
        }
    }

    @Test
    void configEndpointShowsAnUnsetSecretAsEmpty() {
        try (LightBroker broker = LightBroker.builder().respPort(0).adminPort(0).setting("admin-config-endpoint", "true").start()) {
            String body = new AdminClient(broker.adminPort()).get("/config").body();
            assertThat(AdminClient.parse(body).get("settings").get("admin-token").get("value").asText()).isEmpty();
        }
    }

    @Test
    void disabledAdminPortIsReportedAsMinusOne() {
        try (LightBroker broker = LightBroker.builder().respPort(0).adminPort(-1).start()) {
            assertThat(broker.adminPort()).isEqualTo(-1);
        }
    }
}
