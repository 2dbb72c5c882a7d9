package io.lightbroker.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import org.junit.jupiter.api.Test;

/** /varz auth_required says whether any client must authenticate: requirepass, a password-protected default ACL user, or NATS users. */
class VarzAuthRequiredTest {

    private static String varz(LightBroker.Builder b) {
        try (LightBroker broker = b.respPort(0).adminPort(0).start()) {
            return new AdminClient(broker.adminPort()).get("/varz").body();
        }
    }

    @Test
    void openBrokerDoesNotRequireAuth() {
        assertThat(varz(LightBroker.builder())).containsPattern("\"auth_required\" ?: ?false");
    }

    @Test
    void aclFileWhoseDefaultUserHasAPasswordRequiresAuth() {
        assertThat(varz(LightBroker.builder().setting("resp-users", "user default on >pw allchannels +@all")))
                .containsPattern("\"auth_required\" ?: ?true");
    }

    @Test
    void aclUsersBesideANopassDefaultUserDoNotRequireAuth() {
        assertThat(varz(LightBroker.builder().setting("resp-users", "user alice on >pw &a +@all")))
                .containsPattern("\"auth_required\" ?: ?false");
    }

    @Test
    void natsUsersListRequiresAuth() {
        assertThat(varz(LightBroker.builder().natsPort(0).setting("nats-users", "[{\"user\":\"a\",\"password\":\"p\"}]")))
                .containsPattern("\"auth_required\" ?: ?true");
    }
}
