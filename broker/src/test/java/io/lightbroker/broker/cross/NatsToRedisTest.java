package io.lightbroker.broker.cross;

import io.lightbroker.broker.testsupport.RecordingListener;
import static io.lightbroker.broker.cross.CrossProtocolBroker.WAIT;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.nats.client.Connection;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** NATS publishers, Redis subscribers, one subject space. */
class NatsToRedisTest {

    private final CrossProtocolBroker broker = new CrossProtocolBroker();

    @AfterEach
    void stop() throws InterruptedException {
        broker.close();
    }

    @Test
    void natsPublishReachesRedisChannelAndPatternSubscribersWithPayloadOnly() throws Exception {
        RecordingListener recorder = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> sub = broker.redisSubscriber(recorder);
        sub.sync().subscribe("orders.eu");
        sub.sync().psubscribe("orders.*");
        Connection pub = broker.nats();

        pub.publish(NatsMessage.builder()
                .subject("orders.eu")
                .replyTo("_INBOX.reply")
                .headers(new Headers().add("X-Trace", "t1"))
                .data("order-1", UTF_8)
                .build());
        pub.publish("orders.eu", "order-2".getBytes(UTF_8));
        pub.flush(WAIT);

        await().atMost(WAIT).until(() -> recorder.messages().size() >= 4);
        // Redis order for one message: the channel's message, then one pmessage per matching pattern.
        assertThat(recorder.messages()).containsExactly(
                "message orders.eu order-1",
                "pmessage orders.* orders.eu order-1",
                "message orders.eu order-2",
                "pmessage orders.* orders.eu order-2");
    }

    @Test
    void redisPatternsMatchNatsSubjectsByRedisGlobRulesSoStarSpansTokens() throws Exception {
        RecordingListener recorder = new RecordingListener();
        StatefulRedisPubSubConnection<String, String> sub = broker.redisSubscriber(recorder);
        sub.sync().subscribe("orders.eu");
        sub.sync().psubscribe("orders.*");
        Connection pub = broker.nats();

        for (String subject : List.of("orders", "orders.eu.fr", "orders.us", "ordersx.eu", "orders.eu")) {
            pub.publish(subject, subject.getBytes(UTF_8));
        }
        pub.flush(WAIT);

        await().atMost(WAIT).until(() -> recorder.messages().contains("message orders.eu orders.eu"));
        // A Redis subscriber keeps Redis semantics: the glob orders.* matches orders.eu.fr too, unlike NATS's orders.*.
        assertThat(recorder.messages()).containsExactly(
                "pmessage orders.* orders.eu.fr orders.eu.fr",
                "pmessage orders.* orders.us orders.us",
                "message orders.eu orders.eu",
                "pmessage orders.* orders.eu orders.eu");
    }

    @Test
    void natsPublisherOrderIsPreservedForRedisSubscriber() throws Exception {
        int messages = 3_000;
        RecordingListener recorder = new RecordingListener();
        broker.redisSubscriber(recorder).sync().subscribe("seq.from-nats");
        Connection pub = broker.nats();

        for (int i = 0; i < messages; i++) {
            pub.publish("seq.from-nats", Integer.toString(i).getBytes(UTF_8));
        }
        pub.flush(WAIT);

        await().atMost(WAIT).until(() -> recorder.messages().size() >= messages);
        assertThat(recorder.messages()).containsExactlyElementsOf(
                IntStream.range(0, messages).mapToObj(i -> "message seq.from-nats " + i).toList());
    }
}
