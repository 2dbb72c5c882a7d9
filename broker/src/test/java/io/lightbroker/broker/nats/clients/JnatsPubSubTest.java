package io.lightbroker.broker.nats.clients;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lightbroker.broker.testsupport.NatsClientTestTarget;
import io.lightbroker.broker.testsupport.NatsTarget;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What jnats users do every day, against the embedded lightbroker (or {@link NatsClientTestTarget a real nats-server}). */
class JnatsPubSubTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private NatsTarget server;
    private final List<Connection> connections = new ArrayList<>();

    @BeforeEach
    void startServer() {
        server = NatsClientTestTarget.start();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        for (Connection c : connections) {
            c.close();
        }
        server.close();
    }

    private Connection connect() {
        Connection c = Jnats.connect(server);
        connections.add(c);
        return c;
    }

    @Test
    void publishedMessageReachesSubscriberWithSubjectAndPayload() throws Exception {
        Connection sub = connect();
        Connection pub = connect();
        Subscription s = sub.subscribe("greetings.en");
        sub.flush(WAIT);

        pub.publish("greetings.en", "hello".getBytes(UTF_8));
        Message m = s.nextMessage(WAIT);

        assertThat(m).isNotNull();
        assertThat(m.getSubject()).isEqualTo("greetings.en");
        assertThat(new String(m.getData(), UTF_8)).isEqualTo("hello");
        assertThat(m.getReplyTo()).isNull();
        assertThat(m.hasHeaders()).isFalse();
    }

    @Test
    void starMatchesExactlyOneToken() throws Exception {
        Connection sub = connect();
        Connection pub = connect();
        Subscription star = sub.subscribe("orders.*");
        sub.flush(WAIT);

        publishAll(pub, "orders", "orders.eu", "orders.eu.fr", "ordersx.eu", "x.orders.eu", "orders.end");

        assertThat(subjectsUntil(star, "orders.end")).containsExactly("orders.eu", "orders.end");
    }

    @Test
    void greaterThanMatchesOneOrMoreTokensButNotThePrefixAlone() throws Exception {
        Connection sub = connect();
        Connection pub = connect();
        Subscription gt = sub.subscribe("orders.>");
        sub.flush(WAIT);

        publishAll(pub, "orders", "orders.eu", "orders.eu.fr", "ordersx.eu", "x.orders.eu", "orders.end");

        assertThat(subjectsUntil(gt, "orders.end")).containsExactly("orders.eu", "orders.eu.fr", "orders.end");
    }

    @Test
    void starInTheMiddleMatchesOneTokenThere() throws Exception {
        Connection sub = connect();
        Connection pub = connect();
        Subscription mid = sub.subscribe("orders.*.paid");
        sub.flush(WAIT);

        publishAll(pub, "orders.paid", "orders.eu.paid", "orders.eu.fr.paid", "orders.eu.paid.late", "orders.end.paid");

        assertThat(subjectsUntil(mid, "orders.end.paid")).containsExactly("orders.eu.paid", "orders.end.paid");
    }

    private static void publishAll(Connection pub, String... subjects) throws Exception {
        for (String subject : subjects) {
            pub.publish(subject, subject.getBytes(UTF_8));
        }
        pub.flush(WAIT);
    }

    private static List<String> subjectsUntil(Subscription s, String last) throws InterruptedException {
        List<String> subjects = new ArrayList<>();
        while (subjects.isEmpty() || !subjects.get(subjects.size() - 1).equals(last)) {
            Message m = s.nextMessage(WAIT);
            assertThat(m).as("next message after %s", subjects).isNotNull();
            subjects.add(m.getSubject());
        }
        return subjects;
    }

    @Test
    void queueGroupDeliversEachMessageToExactlyOneOfItsMembers() throws Exception {
        int messages = 2_000;
        List<Integer> received = new CopyOnWriteArrayList<>();
        Map<String, AtomicInteger> receivedByMember = new ConcurrentHashMap<>();
        List<Connection> members = new ArrayList<>();
        for (String member : List.of("worker-1", "worker-2", "worker-3")) {
            Connection c = connect();
            Dispatcher d = c.createDispatcher(m -> {
                received.add(Integer.parseInt(new String(m.getData(), UTF_8)));
                receivedByMember.computeIfAbsent(member, x -> new AtomicInteger()).incrementAndGet();
            });
            d.subscribe("jobs.created", "workers");
            c.flush(WAIT);
            members.add(c);
        }
        Connection pub = connect();

        for (int i = 0; i < messages; i++) {
            pub.publish("jobs.created", Integer.toString(i).getBytes(UTF_8));
        }
        pub.flush(WAIT);
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= messages);
        for (Connection c : members) {
            c.flush(WAIT); // anything still queued for a member (a duplicate) arrives before this returns
        }

        assertThat(received).hasSize(messages);
        assertThat(new HashSet<>(received)).hasSize(messages);
        // Each member's share is random; with 2,000 messages an idle member means the group is not balanced.
        assertThat(receivedByMember.keySet()).containsExactlyInAnyOrder("worker-1", "worker-2", "worker-3");
    }

    @Test
    void autoUnsubscribeAfterThreeMessagesDeliversThreeAndDeactivatesTheSubscription() throws Exception {
        Connection sub = connect();
        Connection pub = connect();
        Subscription s = sub.subscribe("limited");
        s.unsubscribe(3);
        sub.flush(WAIT);

        for (int i = 1; i <= 10; i++) {
            pub.publish("limited", Integer.toString(i).getBytes(UTF_8));
        }
        pub.flush(WAIT);

        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Message m = s.nextMessage(WAIT);
            assertThat(m).as("message %d of 3", i + 1).isNotNull();
            got.add(new String(m.getData(), UTF_8));
        }
        assertThat(got).containsExactly("1", "2", "3");
        assertThat(s.isActive()).isFalse();
    }

    @Test
    void flushAfterSubscribeMakesTheSubscriptionVisibleToOtherPublishers() throws Exception {
        Connection sub = connect();
        Connection pub = connect();
        Set<String> got = ConcurrentHashMap.newKeySet();
        // Subscribe and publish many times: without the flush's round trip some publishes would win the race.
        for (int round = 0; round < 50; round++) {
            String subject = "visible." + round;
            Dispatcher d = sub.createDispatcher(m -> got.add(m.getSubject()));
            d.subscribe(subject);
            sub.flush(WAIT);
            pub.publish(subject, new byte[0]);
        }
        pub.flush(WAIT);
        await().atMost(WAIT).until(() -> got.size() == 50);

        assertThat(got).hasSize(50);
    }

    @Test
    void drainDeliversEveryMessageAlreadyPublishedThenClosesTheConnection() throws Exception {
        Connection sub = connect();
        Connection pub = connect();
        List<Integer> handled = new CopyOnWriteArrayList<>();
        Dispatcher d = sub.createDispatcher(m -> {
            handled.add(Integer.parseInt(new String(m.getData(), UTF_8)));
        });
        d.subscribe("to.drain");
        sub.flush(WAIT);

        for (int i = 0; i < 500; i++) {
            pub.publish("to.drain", Integer.toString(i).getBytes(UTF_8));
        }
        pub.flush(WAIT);
        boolean drained = sub.drain(Duration.ofSeconds(10)).get();

        assertThat(drained).isTrue();
        assertThat(handled).hasSize(500);
        assertThat(handled).isSorted();
        assertThat(sub.getStatus()).isEqualTo(Connection.Status.CLOSED);
    }
}
