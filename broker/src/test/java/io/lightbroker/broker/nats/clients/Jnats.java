package io.lightbroker.broker.nats.clients;

import io.lightbroker.broker.testsupport.NatsTarget;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** jnats connections for the real-client tests: no reconnects unless a test asks for them, short timeouts. */
final class Jnats {

    private Jnats() {}

    static Connection connect(NatsTarget target) {
        return connect(target, b -> b);
    }

    static Connection connect(NatsTarget target, UnaryOperator<Options.Builder> customise) {
        Options.Builder b = new Options.Builder()
                .server(target.url())
                .connectionTimeout(Duration.ofSeconds(5))
                .noReconnect();
        try {
            return Nats.connect(customise.apply(b).build());
        } catch (IOException e) {
            throw new AssertionError("jnats cannot connect to " + target.description(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
