package io.lightbroker.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import io.nats.client.Connection;
import io.nats.client.Nats;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LightBrokerExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExtensionDefaultsTest {
    private static LightBroker fromBeforeAll;

    @BeforeAll
    static void remember(LightBroker broker) {
        fromBeforeAll = broker;
    }

    @Test
    @Order(1)
    void injectsTheBrokerAndItsUrls(LightBroker broker, @RespUrl String resp, @NatsUrl String nats) {
        assertThat(broker.ready()).isTrue();
        assertThat(resp).isEqualTo("redis://127.0.0.1:" + broker.respPort());
        assertThat(nats).isEqualTo("nats://127.0.0.1:" + broker.natsPort());
        assertThat(broker.respPort()).isPositive();
        assertThat(broker.natsPort()).isPositive().isNotEqualTo(broker.respPort());
    }

    @Test
    @Order(2)
    void sharesOneBrokerAcrossTheClass(LightBroker broker) {
        assertThat(broker).isSameAs(fromBeforeAll);
    }

    @Test
    @Order(3)
    void faultsArmedInOneTestAreResetBeforeTheNext(LightBroker broker) {
        broker.faults().dropNext("x", 5);
        assertThat(broker.publish("x", "lost")).isZero();
    }

    @Test
    @Order(4)
    void realClientsConnect(LightBroker broker, @NatsUrl String nats) throws Exception {
        assertThat(broker.faults().droppedPublishes()).isEqualTo(1);
        broker.captured("x").close();
        var c = broker.captured("x");
        assertThat(broker.publish("x", "kept")).isEqualTo(1);
        c.awaitCount(1, Duration.ofSeconds(5));
        try (Connection nc = Nats.connect(nats)) {
            assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
        }
    }

    @Nested
    class NestedTests {
        @Test
        void seeTheEnclosingClassBroker(LightBroker broker) {
            assertThat(broker).isSameAs(fromBeforeAll);
        }
    }
}
