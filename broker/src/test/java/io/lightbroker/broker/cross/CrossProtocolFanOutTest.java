package io.lightbroker.broker.cross;

import io.lightbroker.broker.testsupport.RecordingListener;
import static io.lightbroker.broker.cross.CrossProtocolBroker.WAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis PUBLISH reaching several NATS connections at once: each plain subscription and each queue
 * group gets every message exactly once. Parked (see {@code src/test/parked/README.md}): it fails
 * until lightbroker's NATS fan-out stops handing receivers other receivers' frames.
 */
class CrossProtocolFanOutTest {

    private final CrossProtocolBroker broker = new CrossProtocolBroker();

    @AfterEach
    void stop() throws InterruptedException {
        broker.close();
    }

    @Test
    void redisPublishReachesEveryNatsSubscriptionAndQueueGroupExactlyOnce() throws Exception {
        int messages = 300;
        RecordingListener recorder = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> redisSub = broker.redisSubscriber(recorder);
        redisSub.sync().subscribe("orders.eu");
        Map<String, List<String>> byReceiver = new ConcurrentHashMap<>();
        List<Connection> natsConnections = new ArrayList<>();
        for (String[] spec : List.of(
                new String[] {"star", "orders.*", null},
                new String[] {"gt", "orders.>", null},
                new String[] {"fulfilment", "orders.eu", "fulfilment"},
                new String[] {"fulfilment", "orders.eu", "fulfilment"},
                new String[] {"billing", "orders.eu", "billing"})) {
            Connection c = broker.nats();
            Dispatcher d = c.createDispatcher(m -> byReceiver.computeIfAbsent(spec[0], k -> new CopyOnWriteArrayList<>())
                    .add(new String(m.getData(), UTF_8)));
            if (spec[2] == null) {
                d.subscribe(spec[1]);
            } else {
                d.subscribe(spec[1], spec[2]);
            }
            c.flush(WAIT);
            natsConnections.add(c);
        }
        RedisCommands<String, String> redis = broker.redis().sync();

        for (int i = 0; i < messages; i++) {
            assertThat(redis.publish("orders.eu", "o" + i)).isEqualTo(5L);
        }
        await().atMost(WAIT).until(() -> List.of("star", "gt", "fulfilment", "billing").stream()
                .allMatch(r -> byReceiver.getOrDefault(r, List.of()).size() >= messages) && recorder.messages().size() >= messages);
        for (Connection c : natsConnections) {
            c.flush(WAIT);
        }

        for (String receiver : List.of("star", "gt", "fulfilment", "billing")) {
            assertThat(byReceiver.get(receiver)).as("messages received by %s", receiver).hasSize(messages).doesNotHaveDuplicates();
        }
        assertThat(recorder.messages()).hasSize(messages);
    }
}
