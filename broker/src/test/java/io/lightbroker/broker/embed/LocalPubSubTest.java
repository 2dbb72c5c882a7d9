package io.lightbroker.broker.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.RecordingListener;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LocalPubSubTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private LightBroker broker;

    @BeforeEach
    void start() {
        broker = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void localSubscriptionsFollowNatsWildcardSemantics() {
        Capture star = broker.captured("orders.*");
        Capture gt = broker.captured("orders.>");
        Capture literal = broker.captured("orders.new");
        broker.publish("orders", "0");
        broker.publish("orders.new", "1");
        broker.publish("orders.eu.new", "2");
        broker.publish("other.new", "3");

        assertThat(gt.awaitCount(2, WAIT)).extracting(Message::payloadAsString).containsExactly("1", "2");
        assertThat(star.awaitCount(1, WAIT)).extracting(Message::subject).containsExactly("orders.new");
        assertThat(literal.awaitCount(1, WAIT)).extracting(Message::payloadAsString).containsExactly("1");
        broker.publish("orders.last", "4");
        // Each capture is fed by its own handler task: wait for each one, not only for gt.
        gt.awaitCount(3, WAIT);
        star.awaitCount(2, WAIT);
        assertThat(star.strings()).containsExactly("1", "4");
        assertThat(literal.strings()).containsExactly("1");
    }

    @Test
    void natsClientPublishReachesLocalSubscriberWithReplyAndHeaders() throws Exception {
        ConcurrentLinkedQueue<String> threads = new ConcurrentLinkedQueue<>();
        broker.subscribe("svc.>", m -> threads.add(Thread.currentThread().getName()));
        Capture c = broker.captured("svc.>");
        try (Connection nc = Nats.connect(new Options.Builder().server(broker.natsUrl()).build())) {
            Headers h = new Headers().add("Trace", "abc").add("Multi", "1", "2");
            nc.publish(NatsMessage.builder().subject("svc.echo").replyTo("back.here").headers(h).data("hi").build());
            nc.flush(WAIT);
            Message m = c.awaitCount(1, WAIT).get(0);
            assertThat(m.subject()).isEqualTo("svc.echo");
            assertThat(m.reply()).isEqualTo("back.here");
            assertThat(m.header("Trace")).isEqualTo("abc");
            assertThat(m.headers().get("Multi")).containsExactly("1", "2");
            assertThat(m.payloadAsString()).isEqualTo("hi");
        }
        await().atMost(WAIT).until(() -> !threads.isEmpty());
        assertThat(threads).allMatch(t -> t.startsWith("lightbroker-local-"));
    }

    @Test
    void localPublishReachesNatsAndRespClients() throws Exception {
        RedisClient redis = RedisClient.create(broker.respUrl());
        try (Connection nc = Nats.connect(new Options.Builder().server(broker.natsUrl()).build());
             StatefulRedisPubSubConnection<String, String> sub = redis.connectPubSub()) {
            RecordingListener redisGot = new RecordingListener();
            sub.addListener(redisGot);
            sub.sync().subscribe("prices.eur");
            Subscription ns = nc.subscribe("prices.*");
            nc.flush(WAIT);

            int receivers = broker.publish("prices.eur", "reply.to", Map.of("Src", List.of("test")), utf8("1.08"));

            assertThat(receivers).isEqualTo(2);
            io.nats.client.Message got = ns.nextMessage(WAIT);
            assertThat(got).isNotNull();
            assertThat(new String(got.getData(), StandardCharsets.UTF_8)).isEqualTo("1.08");
            assertThat(got.getReplyTo()).isEqualTo("reply.to");
            assertThat(got.getHeaders().getFirst("Src")).isEqualTo("test");
            await().atMost(WAIT).until(() -> redisGot.messages().contains("message prices.eur 1.08"));
        } finally {
            redis.shutdown(Duration.ZERO, WAIT);
        }
    }

    @Test
    void queueGroupSpansLocalAndNetworkMembersAndDeliversEachMessageOnce() throws Exception {
        AtomicInteger local = new AtomicInteger();
        broker.subscribe("work", "workers", m -> local.incrementAndGet());
        try (Connection nc = Nats.connect(new Options.Builder().server(broker.natsUrl()).build())) {
            AtomicInteger remote = new AtomicInteger();
            nc.createDispatcher(m -> remote.incrementAndGet()).subscribe("work", "workers");
            nc.flush(WAIT);
            int total = 400;
            for (int i = 0; i < total; i++) {
                assertThat(broker.publish("work", "job" + i)).isEqualTo(1);
            }
            await().atMost(WAIT).until(() -> local.get() + remote.get() == total);
            assertThat(local.get()).isPositive();
            assertThat(remote.get()).isPositive();
            Thread.sleep(100);
            assertThat(local.get() + remote.get()).isEqualTo(total);
        }
    }

    @Test
    void slowLocalSubscriberLosesMessagesOverItsBoundAndIsCountedNotWaitedFor() throws Exception {
        broker.close();
        broker = LightBroker.builder().bind("127.0.0.1").respPort(0).localQueueLimit(8).start();
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        LocalSubscription sub = broker.subscribe("busy", m -> {
            try {
                release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled.incrementAndGet();
        });
        long t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            broker.publish("busy", "m" + i);
        }
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
        assertThat(sub.dropped()).isGreaterThanOrEqualTo(100 - 8 - 1);
        assertThat(broker.broker().stats().slowConsumers.sum()).isEqualTo(1);
        assertThat(broker.broker().stats().droppedMessages.sum()).isEqualTo(sub.dropped());
        release.countDown();
        await().atMost(WAIT).until(() -> handled.get() + sub.dropped() == 100);
    }

    @Test
    void closedSubscriptionReceivesNothingMore() {
        AtomicInteger n = new AtomicInteger();
        LocalSubscription sub = broker.subscribe("a.b", m -> n.incrementAndGet());
        Capture all = broker.captured("a.b");
        broker.publish("a.b", "1");
        all.awaitCount(1, WAIT);
        await().atMost(WAIT).until(() -> n.get() == 1);
        sub.close();
        assertThat(broker.publish("a.b", "2")).isEqualTo(1);
        all.awaitCount(2, WAIT);
        assertThat(n.get()).isEqualTo(1);
        assertThat(broker.broker().index().totalSubscriptions()).isEqualTo(1);
    }

    @Test
    void requestIsAnsweredByLocalResponderAndTimesOutWithoutOne() throws Exception {
        broker.subscribe("math.double", m -> broker.publish(m.reply(), String.valueOf(2 * Integer.parseInt(m.payloadAsString()))));
        assertThat(broker.request("math.double", utf8("21"), WAIT).payloadAsString()).isEqualTo("42");
        assertThatThrownBy(() -> broker.request("math.nobody", utf8("1"), Duration.ofMillis(100)))
                .isInstanceOf(TimeoutException.class);
        assertThat(broker.local().subscriptionCount()).isEqualTo(1);
    }

    @Test
    void natsRequestIsAnsweredByLocalResponder() throws Exception {
        broker.subscribe("greet", m -> broker.publish(m.reply(), "hello " + m.payloadAsString()));
        try (Connection nc = Nats.connect(new Options.Builder().server(broker.natsUrl()).build())) {
            io.nats.client.Message r = nc.request("greet", utf8("bob"), WAIT);
            assertThat(new String(r.getData(), StandardCharsets.UTF_8)).isEqualTo("hello bob");
        }
    }

    @Test
    void captureFromStartSeesMessagesPublishedBeforeCapturedIsCalled() {
        broker.close();
        broker = LightBroker.builder().bind("127.0.0.1").respPort(0).captureFromStart("boot.>").start();
        broker.publish("boot.done", "ok");
        assertThat(broker.captured("boot.>").awaitCount(1, WAIT)).extracting(Message::payloadAsString).containsExactly("ok");
    }

    @Test
    void handlerFailureDoesNotEndTheSubscription() {
        AtomicInteger calls = new AtomicInteger();
        broker.subscribe("flaky", m -> {
            calls.incrementAndGet();
            throw new IllegalStateException("boom");
        });
        broker.publish("flaky", "1");
        broker.publish("flaky", "2");
        await().atMost(WAIT).until(() -> calls.get() == 2);
    }

    @Test
    void invalidSubjectsAreRejected() {
        assertThatThrownBy(() -> broker.subscribe("a..b", m -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> broker.subscribe("a.>.b", m -> { })).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> broker.publish("", "x")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void urlOfADisabledListenerIsAnErrorNotAPortOfMinusOne() {
        try (LightBroker respOnly = LightBroker.builder().bind("127.0.0.1").respPort(0).start()) {
            assertThatThrownBy(respOnly::natsUrl).isInstanceOf(IllegalStateException.class).hasMessageContaining("natsPort(0)");
        }
    }

    @Test
    void urlsNameTheBoundPorts() {
        assertThat(broker.respUrl()).isEqualTo("redis://127.0.0.1:" + broker.respPort());
        assertThat(broker.natsUrl()).isEqualTo("nats://127.0.0.1:" + broker.natsPort());
    }
}
