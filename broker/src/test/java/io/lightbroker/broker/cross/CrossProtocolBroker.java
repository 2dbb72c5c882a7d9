package io.lightbroker.broker.cross;

import io.lightbroker.broker.testsupport.RecordingListener;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lightbroker.broker.testsupport.EmbeddedNatsBroker;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One embedded lightbroker with both listeners, and the Lettuce and jnats clients a test opens on
 * it; closing it closes every client, then the broker.
 */
final class CrossProtocolBroker implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final EmbeddedNatsBroker broker = EmbeddedNatsBroker.start();
    private final RedisClient redis = RedisClient.create(RedisURI.builder()
            .withHost(broker.host()).withPort(broker.broker().respPort()).withTimeout(WAIT).build());
    private final List<Connection> nats = new ArrayList<>();

    StatefulRedisConnection<String, String> redis() {
        return redis.connect();
    }

    StatefulRedisPubSubConnection<String, String> redisSubscriber(RecordingListener recorder) {
        StatefulRedisPubSubConnection<String, String> c = redis.connectPubSub();
        c.addListener(recorder);
        return c;
    }

    Connection nats() {
        try {
            Connection c = Nats.connect(new Options.Builder().server(broker.url()).connectionTimeout(WAIT).noReconnect().build());
            nats.add(c);
            return c;
        } catch (IOException e) {
            throw new AssertionError("jnats cannot connect to " + broker.description(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Connection c : nats) {
            c.close();
        }
        redis.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        broker.close();
    }
}
