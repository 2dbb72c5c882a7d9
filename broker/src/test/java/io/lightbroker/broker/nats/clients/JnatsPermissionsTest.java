package io.lightbroker.broker.nats.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lightbroker.broker.testsupport.EmbeddedNatsBroker;
import io.lightbroker.broker.testsupport.NatsServerOptions;
import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** jnats, unchanged, logging in as users of a nats-users list with publish/subscribe permissions. */
class JnatsPermissionsTest {

    /** "orders" has password "secret" stored as a bcrypt hash (cost 4, to keep the test fast). */
    static final String USERS = "[{\"user\":\"orders\",\"password\":\"$2a$04$cUihGvuj2U9h.Bhhof3RV.6MtlFRZjGlTQ4a9dsbR.y6.0s/7n9vG\","
            + "\"permissions\":{\"publish\":{\"allow\":[\"orders.>\"],\"deny\":[\"orders.admin\"]},"
            + "\"subscribe\":{\"allow\":[\"orders.>\",\"_INBOX.>\"],\"deny\":[\"orders.secret\"]}}},"
            + "{\"user\":\"ops\",\"password\":\"plain\"}]";

    private EmbeddedNatsBroker server;

    @BeforeEach
    void start() {
        server = EmbeddedNatsBroker.start(NatsServerOptions.of("users", USERS));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static final class Errors implements ErrorListener {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Override
        public void errorOccurred(Connection conn, String error) {
            seen.add(error);
        }
    }

    @Test
    void forbiddenPublishIsReportedToTheErrorListenerAndTheConnectionKeepsWorking() throws Exception {
        Errors errors = new Errors();
        try (Connection orders = Jnats.connect(server, b -> b.userInfo("orders", "secret").errorListener(errors));
             Connection ops = Jnats.connect(server, b -> b.userInfo("ops", "plain"))) {
            Subscription all = ops.subscribe(">");
            ops.flush(Duration.ofSeconds(5));
            orders.publish("orders.admin", "no".getBytes(StandardCharsets.UTF_8));
            orders.publish("billing.x", "no".getBytes(StandardCharsets.UTF_8));
            orders.publish("orders.new", "yes".getBytes(StandardCharsets.UTF_8));
            orders.flush(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> errors.seen.size() == 2);
            assertThat(errors.seen).allSatisfy(e -> assertThat(e).contains("Permissions Violation for Publish to"));
            assertThat(orders.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            Message m = all.nextMessage(Duration.ofSeconds(5));
            assertThat(m.getSubject()).isEqualTo("orders.new");
            assertThat(all.nextMessage(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void wildcardSubscriptionDoesNotReceiveSubjectsTheUserMayNotSubscribeTo() throws Exception {
        try (Connection orders = Jnats.connect(server, b -> b.userInfo("orders", "secret"));
             Connection ops = Jnats.connect(server, b -> b.userInfo("ops", "plain"))) {
            Subscription sub = orders.subscribe("orders.*");
            orders.flush(Duration.ofSeconds(5));
            ops.publish("orders.secret", "hidden".getBytes(StandardCharsets.UTF_8));
            ops.publish("orders.open", "seen".getBytes(StandardCharsets.UTF_8));
            ops.flush(Duration.ofSeconds(5));
            Message m = sub.nextMessage(Duration.ofSeconds(5));
            assertThat(m.getSubject()).isEqualTo("orders.open");
            assertThat(sub.nextMessage(Duration.ofMillis(300))).isNull();
        }
    }

    @Test
    void wrongPasswordForABcryptUserIsRefused() {
        assertThatThrownBy(() -> Jnats.connect(server, b -> b.userInfo("orders", "wrong")))
                .hasStackTraceContaining("Authorization Violation");
    }
}
