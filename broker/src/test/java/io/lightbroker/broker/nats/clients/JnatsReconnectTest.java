package io.lightbroker.broker.nats.clients;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lightbroker.broker.testsupport.NatsClientTestTarget;
import io.lightbroker.broker.testsupport.NatsTarget;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** jnats reconnects to a broker restarted on the same port and restores its subscriptions there. */
class JnatsReconnectTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    @Test
    void clientReconnectsAndResubscribesAfterBrokerRestartsOnSamePort() throws Exception {
        List<ConnectionListener.Events> events = new CopyOnWriteArrayList<>();
        NatsTarget first = NatsClientTestTarget.start();
        int port = first.port();
        NatsTarget second = null;
        Connection client = Jnats.connect(first, b -> b
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(50))
                .connectionListener((conn, event) -> events.add(event)));
        try {
            Subscription s = client.subscribe("after.restart");
            client.flush(WAIT);

            first.close();
            await().atMost(WAIT).until(() -> events.contains(ConnectionListener.Events.DISCONNECTED));
            second = NatsClientTestTarget.startOnPort(port);
            await().atMost(Duration.ofSeconds(15)).until(() -> events.contains(ConnectionListener.Events.RECONNECTED));
            client.flush(WAIT); // the resubscription has reached the new broker

            try (Connection publisher = Jnats.connect(second)) {
                publisher.publish("after.restart", "back".getBytes(UTF_8));
                publisher.flush(WAIT);
            }
            Message m = s.nextMessage(WAIT);

            assertThat(m).isNotNull();
            assertThat(new String(m.getData(), UTF_8)).isEqualTo("back");
            assertThat(client.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        } finally {
            client.close();
            first.close();
            if (second != null) {
                second.close();
            }
        }
    }
}
