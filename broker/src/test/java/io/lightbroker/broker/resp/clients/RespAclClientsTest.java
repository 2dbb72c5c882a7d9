package io.lightbroker.broker.resp.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lightbroker.broker.testsupport.EmbeddedLightBroker;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * Lettuce (RESP3, so it authenticates with HELLO 3 AUTH) and Jedis (RESP2, AUTH user pass),
 * unchanged, as ACL users limited to some channels.
 */
class RespAclClientsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private EmbeddedLightBroker server;
    private RedisClient lettuce;

    @BeforeEach
    void start() {
        server = EmbeddedLightBroker.start("--user", "alice", "on", ">secret", "&orders.*", "+@all",
                "--requirepass", "top");
        lettuce = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port())
                .withAuthentication("alice", "secret").withTimeout(WAIT).build());
    }

    @AfterEach
    void stop() {
        lettuce.shutdown(Duration.ZERO, WAIT);
        server.close();
    }

    private Jedis jedis() {
        return new Jedis(server.host(), server.port(), (int) WAIT.toMillis());
    }

    @Test
    void lettuceAclUserReceivesOnAllowedChannelsAndIsRefusedOthers() {
        List<String> got = new CopyOnWriteArrayList<>();
        try (StatefulRedisPubSubConnection<String, String> sub = lettuce.connectPubSub(); Jedis pub = jedis()) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + " " + message);
                }
            });
            sub.sync().subscribe("orders.1");
            assertThatThrownBy(() -> sub.sync().subscribe("billing")).hasMessageContaining(
                    "NOPERM this user has no permissions to access one of the channels used as arguments");
            pub.auth("alice", "secret");
            assertThat(pub.publish("orders.1", "hello")).isEqualTo(1);
            await().atMost(WAIT).until(() -> got.size() == 1);
            assertThat(got).containsExactly("orders.1 hello");
        }
    }

    @Test
    void jedisAclUserGetsNopermForAForbiddenPublishAndWrongpassForABadPassword() {
        try (Jedis j = jedis()) {
            assertThatThrownBy(() -> j.auth("alice", "nope")).hasMessageContaining("WRONGPASS");
            j.auth("alice", "secret");
            assertThatThrownBy(() -> j.publish("billing", "x")).hasMessageContaining("NOPERM");
            assertThat(j.publish("orders.2", "x")).isZero();
            assertThat(j.clientInfo()).contains("user=alice");
        }
    }

    @Test
    void jedisDefaultUserUsesRequirepass() {
        try (Jedis j = jedis()) {
            j.auth("top");
            assertThat(j.publish("billing", "x")).isZero();
        }
    }
}
