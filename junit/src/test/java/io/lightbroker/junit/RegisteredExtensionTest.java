package io.lightbroker.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightbroker.broker.server.LightBroker;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RegisteredExtensionTest {

    @Nested
    class ConfiguredStaticField {
        @RegisterExtension
        static LightBrokerExtension ext = LightBrokerExtension.withBroker(b -> b.natsToken("s3cret").requirePass("pw"));

        @Test
        void appliesTheBuilderConfiguration(@NatsUrl String nats) throws Exception {
            Options withToken = new Options.Builder().server(nats).token("s3cret".toCharArray())
                    .connectionTimeout(Duration.ofSeconds(5)).build();
            try (Connection nc = Nats.connect(withToken)) {
                assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            }
            Options without = new Options.Builder().server(nats).maxReconnects(0)
                    .connectionTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> Nats.connect(without)).isNotNull();
        }
    }

    @Nested
    class PerMethodByOption {
        @RegisterExtension
        static LightBrokerExtension ext = LightBrokerExtension.withBroker(b -> b).perMethod();
        static final Set<Integer> ports = new HashSet<>();

        @RepeatedTest(3)
        void getsAFreshBrokerForEveryTest(LightBroker broker) {
            assertThat(ports.add(broker.natsPort())).isTrue();
            assertThat(broker.local().subscriptionCount()).isZero();
            broker.captured("leftover.>");
        }

        @AfterAll
        static void threeBrokers() {
            assertThat(ports).hasSize(3);
        }
    }

    @Nested
    class PerMethodByInstanceField {
        @RegisterExtension
        LightBrokerExtension ext = new LightBrokerExtension();
        static final Set<Integer> ports = new HashSet<>();

        @RepeatedTest(2)
        void getsAFreshBrokerForEveryTest(LightBroker broker) {
            assertThat(ports.add(broker.respPort())).isTrue();
        }
    }
}
