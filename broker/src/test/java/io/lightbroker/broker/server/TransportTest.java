package io.lightbroker.broker.server;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lightbroker.broker.testsupport.RecordingListener;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every choice of the {@code transport} setting carries real clients' traffic both ways across
 * the protocols, and an unavailable one falls back instead of failing the start.
 */
class TransportTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @ParameterizedTest
    @ValueSource(strings = {"auto", "epoll", "io_uring", "nio"})
    void eachTransportCarriesRedisAndNatsClients(String wanted) throws Exception {
        try (LightBroker broker = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).adminPort(-1)
                .ioThreads(2).setting("transport", wanted).start()) {
            assertThat(broker.transport()).isEqualTo(expected(wanted));
            // NIO's timers round up to a millisecond: no coalescing holds there.
            assertThat(broker.broker().writeCoalescing()).isEqualTo(expected(wanted).equals("nio") ? 0 : 100);

            RedisClient redis = RedisClient.create(RedisURI.builder().withHost("127.0.0.1")
                    .withPort(broker.respPort()).withTimeout(WAIT).build());
            Connection nats = Nats.connect(new Options.Builder().server(broker.natsUrl()).noReconnect().build());
            try (StatefulRedisPubSubConnection<String, String> sub = redis.connectPubSub();
                 StatefulRedisConnection<String, String> pub = redis.connect()) {
                RecordingListener redisGot = new RecordingListener();
                sub.addListener(redisGot);
                sub.sync().subscribe("orders.eu");
                Subscription natsSub = nats.subscribe("orders.*");
                nats.flush(WAIT);

                assertThat(pub.sync().publish("orders.eu", "from-redis")).isEqualTo(2L);
                nats.publish("orders.eu", "from-nats".getBytes(UTF_8));

                Message m1 = natsSub.nextMessage(WAIT);
                Message m2 = natsSub.nextMessage(WAIT);
                assertThat(new String(m1.getData(), UTF_8)).isEqualTo("from-redis");
                assertThat(new String(m2.getData(), UTF_8)).isEqualTo("from-nats");
                await().atMost(WAIT).until(() -> redisGot.messages().size() >= 2);
                assertThat(redisGot.messages()).containsExactly("message orders.eu from-redis", "message orders.eu from-nats");
            } finally {
                nats.close();
                redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    /** What the broker should end up with on this machine: io_uring and epoll fall back when missing. */
    private static String expected(String wanted) {
        switch (wanted) {
            case "nio":
                return "nio";
            case "io_uring":
                if (IoUring.isAvailable()) {
                    return "io_uring";
                }
                return Epoll.isAvailable() ? "epoll" : "nio";
            default:
                return Epoll.isAvailable() ? "epoll" : "nio";
        }
    }
}
