package io.lightbroker.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lightbroker.broker.embed.Capture;
import io.lightbroker.broker.server.LightBroker;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LightBrokerExtension.class)
class FaultInjectionTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private static Connection nats(LightBroker broker, String name, ConnectionListener listener) throws Exception {
        Options.Builder o = new Options.Builder().server(broker.natsUrl()).connectionName(name)
                .reconnectWait(Duration.ofMillis(50)).maxReconnects(-1);
        if (listener != null) {
            o.connectionListener(listener);
        }
        return Nats.connect(o.build());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dropNextLosesExactlyThatManyMatchingPublishesFromAnyProtocol(LightBroker broker) throws Exception {
        Capture orders = broker.captured("orders.*");
        long droppedBefore = broker.faults().droppedPublishes(); // the broker is shared by this class's tests
        broker.faults().dropNext("orders.*", 3);
        RedisClient redis = RedisClient.create(broker.respUrl());
        try (Connection nc = nats(broker, "publisher", null);
             StatefulRedisConnection<String, String> rc = redis.connect()) {
            nc.publish("orders.a", utf8("n1"));
            nc.publish("orders.b", utf8("n2"));
            nc.publish("other.x", utf8("not matching"));
            nc.flush(WAIT);
            assertThat(rc.sync().publish("orders.c", "r1")).as("a lost RESP publish counts no receiver").isZero();
            assertThat(rc.sync().publish("orders.d", "r2")).isEqualTo(1);
            broker.publish("orders.e", "local");
        } finally {
            redis.shutdown(Duration.ZERO, WAIT);
        }
        assertThat(orders.awaitCount(2, WAIT)).extracting(m -> m.payloadAsString()).containsExactly("r2", "local");
        assertThat(broker.faults().droppedPublishes() - droppedBefore).isEqualTo(3);
    }

    @Test
    void aDroppedRequestTimesOutLikeALostOneAndTheRetryIsAnswered(LightBroker broker) throws Exception {
        try (Connection responder = nats(broker, "responder", null);
             Connection client = nats(broker, "client", null)) {
            responder.createDispatcher(m -> responder.publish(m.getReplyTo(), utf8("quote:42"))).subscribe("svc.quote");
            responder.flush(WAIT);
            broker.faults().dropNext("svc.quote", 1);

            // Not "no responders" (which fails at once): the request is simply never answered.
            assertThatThrownBy(() -> client.request("svc.quote", utf8("?")).get(300, TimeUnit.MILLISECONDS))
                    .isInstanceOf(java.util.concurrent.TimeoutException.class);
            io.nats.client.Message retry = client.request("svc.quote", utf8("?"), WAIT);
            assertThat(retry).isNotNull();
            assertThat(new String(retry.getData(), StandardCharsets.UTF_8)).isEqualTo("quote:42");
        }
    }

    @Test
    void slowDownDelaysEveryMessageToThatConnectionInOrderAndResetLiftsIt(LightBroker broker) throws Exception {
        try (Connection slow = nats(broker, "slow-reader", null)) {
            Subscription sub = slow.subscribe("ticks");
            slow.flush(WAIT);
            broker.faults().awaitClient("slow-reader", WAIT);
            assertThat(broker.faults().slowDown("slow-reader", Duration.ofMillis(100))).isEqualTo(1);

            long t0 = System.nanoTime();
            for (int i = 0; i < 4; i++) {
                broker.publish("ticks", "t" + i);
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                io.nats.client.Message m = sub.nextMessage(WAIT);
                assertThat(m).isNotNull();
                got.add(new String(m.getData(), StandardCharsets.UTF_8));
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(got).containsExactly("t0", "t1", "t2", "t3");
            assertThat(elapsedMs).as("4 messages at 100 ms each").isGreaterThanOrEqualTo(390);

            broker.faults().reset();
            await().atMost(WAIT).untilAsserted(() -> {
                long s = System.nanoTime();
                broker.publish("ticks", "fast");
                assertThat(sub.nextMessage(WAIT)).isNotNull();
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s)).isLessThan(90);
            });
        }
    }

    @Test
    void killedNatsClientReconnectsAndItsSubscriptionsComeBack(LightBroker broker) throws Exception {
        CopyOnWriteArrayList<ConnectionListener.Events> events = new CopyOnWriteArrayList<>();
        try (Connection nc = nats(broker, "victim", (conn, e) -> events.add(e))) {
            Subscription sub = nc.subscribe("after.kill");
            nc.flush(WAIT);
            broker.faults().awaitClient("victim", WAIT);
            long before = broker.faults().clients().get(0).clientId();

            assertThat(broker.faults().kill("victim")).isEqualTo(1);

            await().atMost(WAIT).until(() -> events.contains(ConnectionListener.Events.RECONNECTED));
            await().atMost(WAIT).until(() -> broker.faults().clients().stream()
                    .anyMatch(c -> "victim".equals(c.name()) && c.clientId() != before && c.subscriptionCount() == 1));
            broker.publish("after.kill", "still here");
            io.nats.client.Message m = sub.nextMessage(WAIT);
            assertThat(m).isNotNull();
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("still here");
        }
    }

    @Test
    void killedLettuceConnectionReconnectsOnItsOwn(LightBroker broker) throws Exception {
        RedisClient redis = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(broker.respPort())
                .withClientName("orders-api").build());
        try (StatefulRedisConnection<String, String> rc = redis.connect()) {
            assertThat(rc.sync().ping()).isEqualTo("PONG");
            broker.faults().awaitClient("orders-api", WAIT);
            assertThat(broker.faults().kill("orders-api")).isEqualTo(1);
            await().atMost(WAIT).ignoreExceptionsInstanceOf(ExecutionException.class).untilAsserted(() ->
                    assertThat(rc.async().ping().get(1, TimeUnit.SECONDS)).isEqualTo("PONG"));
            assertThat(broker.faults().awaitClient("orders-api", WAIT).clientId()).isPositive();
        } finally {
            redis.shutdown(Duration.ZERO, WAIT);
        }
    }
}
