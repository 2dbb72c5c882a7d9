package io.lightbroker.junit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.embed.Capture;
import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.junit.LightBrokerExtension;
import io.lightbroker.junit.NatsUrl;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JnatsExampleTest {

    @RegisterExtension // configured with the builder; a static field means one broker per class
    static LightBrokerExtension lightbroker = LightBrokerExtension.withBroker(b -> b.natsToken("s3cret"));

    /** The code under test: a NATS request, retried when no answer comes in time. */
    static String quote(Connection nc, String symbol) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return new String(nc.request("quotes.get", symbol.getBytes(StandardCharsets.UTF_8))
                        .get(200, TimeUnit.MILLISECONDS).getData(), StandardCharsets.UTF_8);
            } catch (TimeoutException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    @Test
    void aLostRequestIsRetried(LightBroker broker, @NatsUrl String natsUrl) throws Exception {
        // An in-process responder stands in for the quote service.
        broker.subscribe("quotes.get", m -> broker.publish(m.reply(), m.payloadAsString() + "=42.0"));
        Capture requests = broker.captured("quotes.get");
        broker.faults().dropNext("quotes.get", 1); // the first request is lost on the way

        try (Connection nc = Nats.connect(new io.nats.client.Options.Builder()
                .server(natsUrl).token("s3cret".toCharArray()).build())) {
            assertThat(quote(nc, "ACME")).isEqualTo("ACME=42.0");
        }
        assertThat(broker.faults().droppedPublishes()).isEqualTo(1);
        assertThat(requests.awaitCount(1, Duration.ofSeconds(5))).hasSize(1); // the retry
    }
}
