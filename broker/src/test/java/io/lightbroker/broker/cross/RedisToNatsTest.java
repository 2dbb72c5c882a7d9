package io.lightbroker.broker.cross;

import io.lightbroker.broker.testsupport.RecordingListener;
import static io.lightbroker.broker.cross.CrossProtocolBroker.WAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redis publishers, NATS subscribers, one subject space. */
class RedisToNatsTest {

    private final CrossProtocolBroker broker = new CrossProtocolBroker();

    @AfterEach
    void stop() throws InterruptedException {
        broker.close();
    }

    @Test
    void redisPublishReachesNatsStarSubscriber() throws Exception {
        Connection nats = broker.nats();
        Subscription star = nats.subscribe("orders.*");
        nats.flush(WAIT);
        RedisCommands<String, String> redis = broker.redis().sync();

        assertThat(redis.publish("orders.eu", "order-1")).isEqualTo(1L);
        Message m = star.nextMessage(WAIT);

        assertThat(m).isNotNull();
        assertThat(m.getSubject()).isEqualTo("orders.eu");
        assertThat(new String(m.getData(), UTF_8)).isEqualTo("order-1");
        assertThat(m.getReplyTo()).isNull();
        assertThat(m.hasHeaders()).isFalse();
    }

    @Test
    void redisPublishReachesNatsGreaterThanSubscriber() throws Exception {
        Connection nats = broker.nats();
        Subscription gt = nats.subscribe("orders.>");
        nats.flush(WAIT);
        RedisCommands<String, String> redis = broker.redis().sync();

        assertThat(redis.publish("orders.eu", "order-1")).isEqualTo(1L);
        assertThat(redis.publish("orders.eu.fr", "order-2")).isEqualTo(1L);
        assertThat(redis.publish("orders", "not-matched")).isEqualTo(0L);

        assertThat(new String(gt.nextMessage(WAIT).getData(), UTF_8)).isEqualTo("order-1");
        assertThat(gt.nextMessage(WAIT).getSubject()).isEqualTo("orders.eu.fr");
    }

    @Test
    void redisPublishReachesOneMemberOfANatsQueueGroupAndCountsTheGroupOnce() throws Exception {
        int messages = 500;
        List<String> received = new CopyOnWriteArrayList<>();
        List<Connection> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Connection c = broker.nats();
            Dispatcher d = c.createDispatcher(m -> received.add(new String(m.getData(), UTF_8)));
            d.subscribe("orders.eu", "fulfilment");
            c.flush(WAIT);
            members.add(c);
        }
        RedisCommands<String, String> redis = broker.redis().sync();

        for (int i = 0; i < messages; i++) {
            assertThat(redis.publish("orders.eu", "o" + i)).as("receivers of message %d", i).isEqualTo(1L);
        }
        await().atMost(WAIT).until(() -> received.size() >= messages);
        for (Connection c : members) {
            c.flush(WAIT);
        }

        assertThat(received).hasSize(messages).doesNotHaveDuplicates();
    }

    @Test
    void redisPublishCountsReceiversAcrossBothProtocols() throws Exception {
        RecordingListener recorder = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> redisSub = broker.redisSubscriber(recorder);
        redisSub.sync().subscribe("orders.eu");
        redisSub.sync().psubscribe("orders.*");
        Connection star = broker.nats();
        star.subscribe("orders.*");
        star.flush(WAIT);
        Connection gt = broker.nats();
        gt.subscribe("orders.>");
        gt.flush(WAIT);
        for (String group : List.of("fulfilment", "fulfilment", "billing")) {
            Connection member = broker.nats();
            member.subscribe("orders.eu", group);
            member.flush(WAIT);
        }
        RedisCommands<String, String> redis = broker.redis().sync();

        // Redis: 1 channel + 1 pattern subscription; NATS: 2 plain subscriptions + 1 per queue group (2 groups).
        assertThat(redis.publish("orders.eu", "order-1")).isEqualTo(6L);
        assertThat(redis.publish("orders.us", "order-2")).isEqualTo(3L);
    }

    @Test
    void redisChannelsNatsServerCouldNotRouteReachOnlyRedisSubscribers() throws Exception {
        Connection nats = broker.nats();
        Subscription everything = nats.subscribe(">");
        nats.flush(WAIT);
        RecordingListener recorder = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> redisSub = broker.redisSubscriber(recorder);
        redisSub.sync().subscribe("a b", "x..y", "orders.*", "", ".lead", "trail.");
        redisSub.sync().psubscribe("orders.?");
        RedisCommands<String, String> redis = broker.redis().sync();

        assertThat(redis.publish("a b", "1")).isEqualTo(1L);
        assertThat(redis.publish("x..y", "2")).isEqualTo(1L);
        assertThat(redis.publish("orders.*", "3"))
                .as("the channel, the pattern orders.?, and NATS '>': a wildcard token is routed literally, as nats-server routes PUB orders.*")
                .isEqualTo(3L);
        assertThat(redis.publish("", "4")).isEqualTo(1L);
        assertThat(redis.publish(".lead", "5")).isEqualTo(1L);
        assertThat(redis.publish("trail.", "6")).isEqualTo(1L);
        assertThat(redis.publish("valid.marker", "7")).isEqualTo(1L);

        // One publisher's messages arrive in order, so orders.* then the marker proves nothing else came.
        Message first = everything.nextMessage(WAIT);
        assertThat(first).isNotNull();
        assertThat(first.getSubject()).isEqualTo("orders.*");
        Message second = everything.nextMessage(WAIT);
        assertThat(second).isNotNull();
        assertThat(second.getSubject()).isEqualTo("valid.marker");
        await().atMost(WAIT).until(() -> recorder.messages().size() >= 7);
        assertThat(recorder.messages()).containsExactly(
                "message a b 1", "message x..y 2", "message orders.* 3", "pmessage orders.? orders.* 3",
                "message  4", "message .lead 5", "message trail. 6");
    }

    @Test
    void redisPublisherOrderIsPreservedForNatsSubscriber() throws Exception {
        int messages = 3_000;
        Connection nats = broker.nats();
        List<Integer> received = new CopyOnWriteArrayList<>();
        Dispatcher d = nats.createDispatcher(m -> received.add(Integer.parseInt(new String(m.getData(), UTF_8))));
        d.subscribe("seq.from-redis");
        nats.flush(WAIT);
        StatefulRedisConnection<String, String> redis = broker.redis();

        List<RedisFuture<Long>> replies = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            replies.add(redis.async().publish("seq.from-redis", Integer.toString(i)));
        }
        for (RedisFuture<Long> r : replies) {
            assertThat(r.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
        }

        await().atMost(WAIT).until(() -> received.size() >= messages);
        assertThat(received).containsExactlyElementsOf(IntStream.range(0, messages).boxed().toList());
    }

    @Test
    void publishersOnBothProtocolsKeepTheirOwnOrderAtASubscriberOfEach() throws Exception {
        int messages = 2_000;
        Map<String, List<Integer>> natsSide = new ConcurrentHashMap<>();
        Connection natsSub = broker.nats();
        Dispatcher d = natsSub.createDispatcher(m -> {
            String[] parts = new String(m.getData(), UTF_8).split(":");
            natsSide.computeIfAbsent(parts[0], k -> new CopyOnWriteArrayList<>()).add(Integer.parseInt(parts[1]));
        });
        d.subscribe("mixed.seq");
        natsSub.flush(WAIT);
        RecordingListener recorder = new RecordingListener();
        broker.redisSubscriber(recorder).sync().subscribe("mixed.seq");
        Connection natsPub = broker.nats();
        StatefulRedisConnection<String, String> redisPub = broker.redis();

        Thread natsPublisher = new Thread(() -> {
            for (int i = 0; i < messages; i++) {
                natsPub.publish("mixed.seq", ("nats:" + i).getBytes(UTF_8));
            }
        });
        natsPublisher.start();
        List<RedisFuture<Long>> replies = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            replies.add(redisPub.async().publish("mixed.seq", "redis:" + i));
        }
        natsPublisher.join();
        natsPub.flush(WAIT);
        for (RedisFuture<Long> r : replies) {
            r.get(10, TimeUnit.SECONDS);
        }

        await().atMost(WAIT).until(() -> natsSide.values().stream().mapToInt(List::size).sum() >= 2 * messages
                && recorder.messages().size() >= 2 * messages);
        List<Integer> expected = IntStream.range(0, messages).boxed().toList();
        assertThat(natsSide.get("nats")).as("NATS publisher's order at the NATS subscriber").containsExactlyElementsOf(expected);
        assertThat(natsSide.get("redis")).as("Redis publisher's order at the NATS subscriber").containsExactlyElementsOf(expected);
        for (String source : List.of("nats", "redis")) {
            List<Integer> atRedis = recorder.messages().stream()
                    .map(s -> s.substring("message mixed.seq ".length()))
                    .filter(s -> s.startsWith(source + ":"))
                    .map(s -> Integer.parseInt(s.substring(source.length() + 1)))
                    .toList();
            assertThat(atRedis).as("%s publisher's order at the Redis subscriber", source).containsExactlyElementsOf(expected);
        }
    }
}
