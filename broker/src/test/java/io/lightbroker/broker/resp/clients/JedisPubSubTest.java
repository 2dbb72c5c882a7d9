package io.lightbroker.broker.resp.clients;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lightbroker.broker.testsupport.ClientTestTarget;
import io.lightbroker.broker.testsupport.RespTarget;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Jedis, unchanged, against the embedded lightbroker. Jedis's subscribe call blocks its thread
 * until every subscription is gone, so each subscriber runs on its own thread.
 */
class JedisPubSubTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private RespTarget server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void start() {
        server = ClientTestTarget.start();
    }

    @AfterEach
    void stop() {
        threads.shutdownNow();
        server.close();
    }

    private Jedis connect() {
        return new Jedis(server.host(), server.port(), (int) WAIT.toMillis());
    }

    /** Records messages and subscription confirmations in arrival order. */
    private static final class Recorder extends JedisPubSub {
        final List<String> events = new CopyOnWriteArrayList<>();

        @Override
        public void onMessage(String channel, String message) {
            events.add("message " + channel + " " + message);
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            events.add("pmessage " + pattern + " " + channel + " " + message);
        }

        @Override
        public void onSubscribe(String channel, int count) {
            events.add("subscribe " + channel + " " + count);
        }

        @Override
        public void onPSubscribe(String pattern, int count) {
            events.add("psubscribe " + pattern + " " + count);
        }

        @Override
        public void onUnsubscribe(String channel, int count) {
            events.add("unsubscribe " + channel + " " + count);
        }

        @Override
        public void onPUnsubscribe(String pattern, int count) {
            events.add("punsubscribe " + pattern + " " + count);
        }
    }

    private CompletableFuture<Void> runSubscriber(Runnable blockingSubscribe) {
        return CompletableFuture.runAsync(blockingSubscribe, threads);
    }

    @Test
    void subscribeRoundTripDeliversMessagesAndEndsWhenUnsubscribed() throws Exception {
        Recorder recorder = new Recorder();
        try (Jedis sub = connect(); Jedis pub = connect()) {
            CompletableFuture<Void> done = runSubscriber(() -> sub.subscribe(recorder, "a", "b"));
            await().atMost(WAIT).until(() -> recorder.getSubscribedChannels() == 2);

            assertThat(pub.publish("a", "one")).isEqualTo(1L);
            assertThat(pub.publish("b", "two")).isEqualTo(1L);
            await().atMost(WAIT).until(() -> recorder.events.size() >= 4);
            recorder.unsubscribe();
            done.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

            assertThat(recorder.events).containsExactly(
                    "subscribe a 1", "subscribe b 2", "message a one", "message b two",
                    "unsubscribe a 1", "unsubscribe b 0");
            assertThat(pub.publish("a", "nobody")).isEqualTo(0L);
        }
    }

    @Test
    void psubscribeRoundTripNamesPatternAndChannel() throws Exception {
        Recorder recorder = new Recorder();
        try (Jedis sub = connect(); Jedis pub = connect()) {
            CompletableFuture<Void> done = runSubscriber(() -> sub.psubscribe(recorder, "news.*"));
            await().atMost(WAIT).until(() -> recorder.getSubscribedChannels() == 1);

            assertThat(pub.publish("news.tech", "hello")).isEqualTo(1L);
            assertThat(pub.publish("sport", "ignored")).isEqualTo(0L);
            await().atMost(WAIT).until(() -> recorder.events.size() >= 2);
            recorder.punsubscribe();
            done.get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

            assertThat(recorder.events).containsExactly(
                    "psubscribe news.* 1", "pmessage news.* news.tech hello", "punsubscribe news.* 0");
        }
    }

    @Test
    void publishCountsEveryChannelSubscriberAndEveryMatchingPatternSubscription() {
        Recorder channelSub = new Recorder();
        Recorder patternSub = new Recorder();
        try (Jedis s1 = connect(); Jedis s2 = connect(); Jedis pub = connect()) {
            runSubscriber(() -> s1.subscribe(channelSub, "metrics.cpu"));
            runSubscriber(() -> s2.psubscribe(patternSub, "metrics.*", "*.cpu", "nomatch.*"));
            await().atMost(WAIT).until(() -> channelSub.getSubscribedChannels() == 1 && patternSub.getSubscribedChannels() == 3);

            assertThat(pub.publish("metrics.cpu", "42")).isEqualTo(3L);
            assertThat(pub.publish("metrics.mem", "7")).isEqualTo(1L);
            assertThat(pub.pubsubNumPat()).isEqualTo(3L);
            assertThat(pub.pubsubNumSub("metrics.cpu", "metrics.mem"))
                    .containsEntry("metrics.cpu", 1L).containsEntry("metrics.mem", 0L);

            await().atMost(WAIT).until(() -> patternSub.events.stream().filter(e -> e.startsWith("pmessage")).count() >= 3);
            assertThat(channelSub.events).contains("message metrics.cpu 42");
            assertThat(patternSub.events.stream().filter(e -> e.startsWith("pmessage")))
                    .containsExactlyInAnyOrder(
                            "pmessage metrics.* metrics.cpu 42", "pmessage *.cpu metrics.cpu 42",
                            "pmessage metrics.* metrics.mem 7");
            channelSub.unsubscribe();
            patternSub.punsubscribe();
        }
    }
}
