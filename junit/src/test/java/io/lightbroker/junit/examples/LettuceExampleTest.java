package io.lightbroker.junit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lightbroker.broker.embed.Capture;
import io.lightbroker.broker.embed.Message;
import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.junit.LightBrokerExtension;
import io.lightbroker.junit.RespUrl;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LightBrokerExtension.class) // one broker for the class, RESP and NATS on free ports
class LettuceExampleTest {

    @Test
    void pricesReachRedisSubscribers(LightBroker broker, @RespUrl String redisUrl) throws Exception {
        RedisClient client = RedisClient.create(redisUrl);
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             StatefulRedisConnection<String, String> pub = client.connect()) {
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    received.add(message);
                }
            });
            sub.sync().subscribe("prices.eur");
            Capture prices = broker.captured("prices.*"); // everything published on prices.<x>

            long receivers = pub.sync().publish("prices.eur", "1.08");

            assertThat(receivers).isEqualTo(2); // the Lettuce subscriber and the capture
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("1.08");
            assertThat(prices.awaitCount(1, Duration.ofSeconds(5)))
                    .extracting(Message::payloadAsString)
                    .containsExactly("1.08");
        } finally {
            client.shutdown();
        }
    }
}
