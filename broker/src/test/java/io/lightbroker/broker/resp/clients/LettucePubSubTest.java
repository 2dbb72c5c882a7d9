package io.lightbroker.broker.resp.clients;

import io.lightbroker.broker.testsupport.RecordingListener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.KillArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lightbroker.broker.testsupport.ClientTestTarget;
import io.lightbroker.broker.testsupport.RespTarget;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Lettuce, unchanged, against the embedded lightbroker: what applications actually run. Lettuce 6+
 * negotiates RESP3 with HELLO 3 by default, so messages arrive as push frames; the RESP2 test pins
 * the protocol explicitly. Waiting is done with Awaitility on observable state, never on time.
 */
class LettucePubSubTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private RespTarget server;
    private RedisClient client;
    private StatefulRedisConnection<String, String> publisherConnection;
    private RedisCommands<String, String> publisher;

    @BeforeEach
    void start() {
        server = ClientTestTarget.start();
        client = RedisClient.create(RedisURI.builder().withHost(server.host()).withPort(server.port()).withTimeout(WAIT).build());
        publisherConnection = client.connect();
        publisher = publisherConnection.sync();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        if (server != null) {
            server.close();
        }
    }

    private StatefulRedisPubSubConnection<String, String> subscriber(RecordingListener listener) {
        StatefulRedisPubSubConnection<String, String> c = client.connectPubSub();
        c.addListener(listener);
        return c;
    }

    @Test
    void channelSubscriberReceivesEveryMessageInPublishOrder() {
        RecordingListener listener = new RecordingListener();
        subscriber(listener).sync().subscribe("orders");

        for (int i = 0; i < 100; i++) {
            assertThat(publisher.publish("orders", "m" + i)).isEqualTo(1L);
        }

        List<String> expected = IntStream.range(0, 100).mapToObj(i -> "message orders m" + i).toList();
        await().atMost(WAIT).until(() -> listener.messages().size() >= 100);
        assertThat(listener.messages()).containsExactlyElementsOf(expected);
    }

    @Test
    void patternSubscriberReceivesOnlyMatchingChannelsWithThePatternNamed() {
        RecordingListener listener = new RecordingListener();
        subscriber(listener).sync().psubscribe("news.*", "h?llo", "x[a-c]");

        assertThat(publisher.publish("news.tech", "1")).isEqualTo(1L);
        assertThat(publisher.publish("weather", "no")).isEqualTo(0L);
        assertThat(publisher.publish("hallo", "2")).isEqualTo(1L);
        assertThat(publisher.publish("xd", "no")).isEqualTo(0L);
        assertThat(publisher.publish("xb", "3")).isEqualTo(1L);

        await().atMost(WAIT).until(() -> listener.messages().size() >= 3);
        assertThat(listener.messages()).containsExactly(
                "pmessage news.* news.tech 1", "pmessage h?llo hallo 2", "pmessage x[a-c] xb 3");
    }

    @Test
    void channelAndMatchingPatternOnOneConnectionDeliverMessageThenPmessage() {
        RecordingListener listener = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> sub = subscriber(listener);
        sub.sync().subscribe("chat");
        sub.sync().psubscribe("ch*");

        assertThat(publisher.publish("chat", "hi")).isEqualTo(2L);

        await().atMost(WAIT).until(() -> listener.messages().size() >= 2);
        assertThat(listener.messages()).containsExactly("message chat hi", "pmessage ch* chat hi");
    }

    @Test
    void shardedChannelRoundTripIsSeparateFromClassicChannels() {
        RecordingListener listener = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> sub = subscriber(listener);
        sub.sync().ssubscribe("shard-a");

        assertThat(publisher.publish("shard-a", "classic")).isEqualTo(0L);
        assertThat(publisher.spublish("shard-a", "sharded")).isEqualTo(1L);
        assertThat(publisher.pubsubShardChannels()).containsExactly("shard-a");
        assertThat(publisher.pubsubShardNumsub("shard-a")).containsEntry("shard-a", 1L);

        await().atMost(WAIT).until(() -> listener.messages().size() >= 1);
        assertThat(listener.messages()).containsExactly("smessage shard-a sharded");
    }

    @Test
    void resp3SubscriberCanRunOrdinaryCommandsAndReceivesItsOwnMessageAsPush() {
        RecordingListener listener = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> sub = subscriber(listener);
        sub.sync().subscribe("self");

        // Only legal in RESP3: in RESP2 a subscribed connection may not PUBLISH or ECHO.
        assertThat(sub.sync().echo("still usable")).isEqualTo("still usable");
        assertThat(sub.sync().publish("self", "to myself")).isEqualTo(1L);

        await().atMost(WAIT).until(() -> listener.messages().size() >= 1);
        assertThat(listener.messages()).containsExactly("message self to myself");
    }

    @Test
    void resp2SubscriberReceivesMessagesWhenTheProtocolIsPinnedToResp2() {
        client.setOptions(ClientOptions.builder().protocolVersion(ProtocolVersion.RESP2).build());
        RecordingListener listener = new RecordingListener();
        subscriber(listener).sync().subscribe("legacy");

        assertThat(publisher.publish("legacy", "resp2")).isEqualTo(1L);

        await().atMost(WAIT).until(() -> listener.messages().size() >= 1);
        assertThat(listener.messages()).containsExactly("message legacy resp2");
    }

    @Test
    void fiftySubscriberConnectionsEachReceiveEveryMessageInOrder() {
        int subscribers = 50;
        int messages = 200;
        List<RecordingListener> listeners = new ArrayList<>();
        for (int i = 0; i < subscribers; i++) {
            RecordingListener l = new RecordingListener();
            subscriber(l).sync().subscribe("fanout");
            listeners.add(l);
        }

        for (int i = 0; i < messages; i++) {
            assertThat(publisher.publish("fanout", Integer.toString(i))).isEqualTo((long) subscribers);
        }

        List<String> expected = IntStream.range(0, messages).mapToObj(i -> "message fanout " + i).toList();
        await().atMost(Duration.ofSeconds(30))
                .until(() -> listeners.stream().allMatch(l -> l.messages().size() >= messages));
        assertThat(listeners).allSatisfy(l -> assertThat(l.messages()).containsExactlyElementsOf(expected));
    }

    @Test
    void unsubscribeStopsDeliveryWhileOtherSubscriptionsContinue() {
        RecordingListener listener = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> sub = subscriber(listener);
        sub.sync().subscribe("a", "b");
        assertThat(publisher.publish("a", "before")).isEqualTo(1L);

        sub.sync().unsubscribe("a");
        assertThat(publisher.publish("a", "after")).isEqualTo(0L);
        // Delivery on one connection is ordered, so once the marker on b has arrived anything still
        // in flight on a would have arrived before it.
        assertThat(publisher.publish("b", "marker")).isEqualTo(1L);

        await().atMost(WAIT).until(() -> listener.messages().contains("message b marker"));
        assertThat(listener.messages()).containsExactly("message a before", "message b marker");
        assertThat(publisher.pubsubNumsub("a", "b")).containsEntry("a", 0L).containsEntry("b", 1L);
    }

    @Test
    void subscriberResubscribesAfterItsConnectionIsKilled() {
        RecordingListener listener = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> sub = subscriber(listener);
        sub.sync().subscribe("resilient");
        sub.sync().psubscribe("resil*");
        long id = sub.sync().clientId();

        assertThat(publisher.clientKill(KillArgs.Builder.id(id))).isEqualTo(1L);

        // The watchdog reconnects and replays SUBSCRIBE and PSUBSCRIBE; until then the count is 0.
        await().atMost(WAIT).until(() -> publisher.publish("resilient", "after-kill") == 2L);
        await().atMost(WAIT).until(() -> listener.messages().contains("pmessage resil* resilient after-kill"));
        assertThat(listener.messages()).contains("message resilient after-kill");
        assertThat(sub.sync().clientId()).isNotEqualTo(id);
    }

    @Test
    void subscriberResubscribesAfterTheServerRestartsOnTheSamePort() {
        RecordingListener listener = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> sub = subscriber(listener);
        sub.sync().subscribe("restart");
        assertThat(publisher.publish("restart", "first")).isEqualTo(1L);

        int port = server.port();
        server.close();
        server = ClientTestTarget.startOnPort(port);

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> publisher.publish("restart", "second") == 1L);
        await().atMost(WAIT).until(() -> listener.messages().contains("message restart second"));
        assertThat(listener.messages()).startsWith("message restart first");
        assertThat(sub.isOpen()).isTrue();
    }
}
