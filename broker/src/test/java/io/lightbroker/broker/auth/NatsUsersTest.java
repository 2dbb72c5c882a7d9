package io.lightbroker.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.ConfigException;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NatsUsersTest {

    private static boolean pub(NatsPermissions p, String subject) {
        byte[] b = subject.getBytes(StandardCharsets.UTF_8);
        return p.canPublish(Unpooled.wrappedBuffer(b), 0, b.length);
    }

    private static boolean sub(NatsPermissions p, String subject) {
        byte[] b = subject.getBytes(StandardCharsets.UTF_8);
        return p.canSubscribe(Unpooled.wrappedBuffer(b), 0, b.length);
    }

    @Test
    void permissionsAcceptASubjectAListOrAllowAndDeny() {
        NatsUsers users = NatsUsers.parse("[{\"user\":\"a\",\"password\":\"p\",\"permissions\":"
                + "{\"publish\":\"x.*\",\"subscribe\":{\"allow\":[\"y.>\"],\"deny\":[\"y.no\"]}}}]");
        NatsPermissions p = users.authenticate("a", "p").permissions();
        assertThat(pub(p, "x.1")).isTrue();
        assertThat(pub(p, "x.1.2")).isFalse();
        assertThat(sub(p, "y.a.b")).isTrue();
        assertThat(sub(p, "y.no")).isFalse();
        assertThat(sub(p, "y.*")).as("wildcard SUB taken literally, allowed by y.>").isTrue();
        assertThat(sub(p, "z")).isFalse();
    }

    @Test
    void subscribeSubjectIsTakenLiterallySoAWiderWildcardThanTheAllowListIsRefused() {
        NatsPermissions p = NatsUsers.parse("[{\"user\":\"a\",\"password\":\"p\",\"permissions\":{\"subscribe\":\"foo.bar\"}}]")
                .authenticate("a", "p").permissions();
        assertThat(sub(p, "foo.bar")).isTrue();
        assertThat(sub(p, "foo.*")).isFalse();
        assertThat(pub(p, "anything")).as("no publish rules: everything").isTrue();
    }

    @Test
    void allowResponsesTakesNatsServerDefaultsAndWithoutPublishRulesAllowsNoOtherPublish() {
        NatsPermissions p = NatsUsers.parse("[{\"user\":\"r\",\"password\":\"p\",\"permissions\":{\"allow_responses\":true}}]")
                .authenticate("r", "p").permissions();
        assertThat(p.responses()).isEqualTo(new NatsPermissions.Responses(1, 120_000));
        assertThat(pub(p, "anything")).isFalse();
        NatsPermissions q = NatsUsers.parse("[{\"user\":\"r\",\"password\":\"p\",\"permissions\":"
                + "{\"publish\":\"x\",\"allow_responses\":{\"max\":3,\"expires\":\"1m\"}}}]").authenticate("r", "p").permissions();
        assertThat(q.responses()).isEqualTo(new NatsPermissions.Responses(3, 60_000));
        assertThat(pub(q, "x")).isTrue();
    }

    @Test
    void bcryptPasswordsVerifyAndWrongOnesFail() {
        NatsUsers users = NatsUsers.parse("[{\"user\":\"b\",\"password\":\"$2a$04$cUihGvuj2U9h.Bhhof3RV.6MtlFRZjGlTQ4a9dsbR.y6.0s/7n9vG\"}]");
        assertThat(users.authenticate("b", "secret")).isNotNull();
        assertThat(users.authenticate("b", "secret")).as("second time from the cache").isNotNull();
        assertThat(users.authenticate("b", "Secret")).isNull();
        assertThat(users.authenticate("nobody", "secret")).isNull();
    }

    @Test
    void unsupportedNatsServerFeaturesAreRejectedNamingTheKey() {
        assertThatThrownBy(() -> NatsUsers.parse("[{\"user\":\"a\",\"password\":\"p\",\"permissions\":{\"allow_responses\":{\"ttl\":1}}}]"))
                .hasMessageContaining("unsupported key \"ttl\"");
        assertThatThrownBy(() -> NatsUsers.parse("[{\"nkey\":\"UABC\"}]")).hasMessageContaining("\"nkey\"");
        assertThatThrownBy(() -> NatsUsers.parse("[{\"user\":\"a\",\"password\":\"$2a$04$short\"}]")).hasMessageContaining("bcrypt");
    }

    @Test
    void configErrorNamesTheSettingAndRedactsTheValue() {
        assertThatThrownBy(() -> Config.builder().flag("nats-users", "{not json").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nats-users")
                .hasMessageContaining("[redacted]")
                .hasMessageNotContaining("not json");
    }

    @Test
    void usersListTogetherWithSingleUserIsAConfigError() {
        assertThatThrownBy(() -> Config.builder().flag("nats-users", "[{\"user\":\"a\",\"password\":\"p\"}]")
                .flag("nats-user", "x").build())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("nats-users").hasMessageContaining("nats-user ");
    }
}
