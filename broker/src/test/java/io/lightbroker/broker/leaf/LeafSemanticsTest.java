package io.lightbroker.broker.leaf;

import static io.lightbroker.broker.leaf.LeafCluster.WAIT;
import static io.lightbroker.broker.leaf.LeafCluster.awaitConnected;
import static io.lightbroker.broker.leaf.LeafCluster.awaitHubInterest;
import static io.lightbroker.broker.leaf.LeafCluster.awaitNoHubInterest;
import static io.lightbroker.broker.leaf.LeafCluster.jnats;
import static io.lightbroker.broker.leaf.LeafCluster.link;
import static io.lightbroker.broker.leaf.LeafCluster.node;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.NatsHub;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Queue groups, interest-based forwarding and loop freedom across a hub and two lightbroker leaves. */
class LeafSemanticsTest {
    static NatsHub hub;
    static LightBroker a;
    static LightBroker b;

    @BeforeAll
    static void start() {
        hub = NatsHub.start();
        a = node(hub.leafUrl());
        b = node(hub.leafUrl());
        awaitConnected(a, b);
    }

    @AfterAll
    static void stop() {
        LeafCluster.closeAll(List.of(a, b, hub));
    }

    /** in_msgs of every leaf connection on the hub, by the leaf's port (what the leaves sent up). */
    static long hubInMsgs() throws Exception {
        JsonNode leafz = new ObjectMapper().readTree(hub.monitor("/leafz"));
        long sum = 0;
        for (JsonNode l : leafz.path("leafs")) {
            sum += l.path("in_msgs").asLong();
        }
        return sum;
    }

    /** Every subject in the hub's leaf connections' subscription lists (Go's JSON escapes '>', so parse it). */
    static List<String> hubLeafSubjects() {
        try {
            List<String> out = new java.util.ArrayList<>();
            for (JsonNode l : new ObjectMapper().readTree(hub.monitor("/leafz?subs=1")).path("leafs")) {
                l.path("subscriptions_list").forEach(n -> out.add(n.asText()));
            }
            return out;
        } catch (Exception e) {
            return List.of();
        }
    }

    @Test
    void queueGroupWithMembersOnBothNodesAndTheHubGetsEachMessageExactlyOnce() throws Exception {
        int n = 3000;
        Map<String, AtomicInteger> perMember = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perMessage = new ConcurrentHashMap<>();
        Connection onA = jnats(a);
        Connection onB = jnats(b);
        Connection onHub = jnats(hub);
        Connection publisher = jnats(hub);
        try {
            for (var e : Map.of("A", onA, "B", onB, "hub", onHub).entrySet()) {
                Dispatcher d = e.getValue().createDispatcher(m -> {
                    perMember.computeIfAbsent(e.getKey(), k -> new AtomicInteger()).incrementAndGet();
                    perMessage.computeIfAbsent(new String(m.getData(), UTF_8), k -> new AtomicInteger()).incrementAndGet();
                });
                d.subscribe("jobs", "workers");
                e.getValue().flush(WAIT);
            }
            awaitHubInterest(a, "jobs");
            awaitHubInterest(b, "jobs");
            // Published on the hub: its own member is preferred, as nats-server prefers local members.
            for (int i = 0; i < n; i++) {
                publisher.publish("jobs", ("h" + i).getBytes(UTF_8));
            }
            publisher.flush(WAIT);
            LeafCluster.until(() -> perMessage.size() == n);
            // Published on A: A's member is local there and takes them all.
            for (int i = 0; i < n; i++) {
                onA.publish("jobs", ("a" + i).getBytes(UTF_8));
            }
            onA.flush(WAIT);
            LeafCluster.until(() -> perMessage.size() == 2 * n);
            Thread.sleep(300);
            assertThat(perMessage.values()).allMatch(c -> c.get() == 1);
            assertThat(perMessage).hasSize(2 * n);
            assertThat(perMember.get("hub").get() + perMember.get("A").get()).isEqualTo(2 * n);
            assertThat(perMember.get("A").get()).isEqualTo(n);
        } finally {
            LeafCluster.closeAll(List.of(onA::close, onB::close, onHub::close, publisher::close));
        }
    }

    @Test
    void withoutLocalMembersAQueueMessageCrossesToExactlyOneRemoteMember() throws Exception {
        int n = 2000;
        Map<String, AtomicInteger> perMember = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> perMessage = new ConcurrentHashMap<>();
        Connection onB = jnats(b);
        Connection onHub = jnats(hub);
        Connection publisher = jnats(a);
        try {
            for (var e : Map.of("B", onB, "hub", onHub).entrySet()) {
                e.getValue().createDispatcher(m -> {
                    perMember.computeIfAbsent(e.getKey(), k -> new AtomicInteger()).incrementAndGet();
                    perMessage.computeIfAbsent(new String(m.getData(), UTF_8), k -> new AtomicInteger()).incrementAndGet();
                }).subscribe("tasks", "crew");
                e.getValue().flush(WAIT);
            }
            awaitHubInterest(a, "tasks");
            for (int i = 0; i < n; i++) {
                publisher.publish("tasks", ("t" + i).getBytes(UTF_8));
            }
            publisher.flush(WAIT);
            LeafCluster.until(() -> perMessage.size() == n);
            Thread.sleep(300);
            assertThat(perMessage.values()).allMatch(c -> c.get() == 1);
            assertThat(perMember.values().stream().mapToInt(AtomicInteger::get).sum()).isEqualTo(n);
        } finally {
            LeafCluster.closeAll(List.of(onB::close, onHub::close, publisher::close));
        }
    }

    @Test
    void publishesCrossTheLinkOnlyWhileTheHubSideHasInterest() throws Exception {
        Connection onA = jnats(a);
        Connection onHub = jnats(hub);
        try {
            long before = hubInMsgs();
            for (int i = 0; i < 100; i++) {
                onA.publish("quiet.topic", "x".getBytes(UTF_8));
            }
            onA.flush(WAIT);
            Thread.sleep(300);
            assertThat(hubInMsgs()).as("nothing crosses without remote interest").isEqualTo(before);

            Subscription s = onHub.subscribe("quiet.topic");
            onHub.flush(WAIT);
            awaitHubInterest(a, "quiet.topic");
            for (int i = 0; i < 100; i++) {
                onA.publish("quiet.topic", "y".getBytes(UTF_8));
            }
            onA.flush(WAIT);
            for (int i = 0; i < 100; i++) {
                assertThat(s.nextMessage(WAIT)).isNotNull();
            }
            LeafCluster.until(() -> {
                try {
                    return hubInMsgs() == before + 100;
                } catch (Exception e) {
                    return false;
                }
            });

            s.unsubscribe();
            onHub.flush(WAIT);
            awaitNoHubInterest(a, "quiet.topic");
            long after = hubInMsgs();
            for (int i = 0; i < 100; i++) {
                onA.publish("quiet.topic", "z".getBytes(UTF_8));
            }
            onA.flush(WAIT);
            Thread.sleep(300);
            assertThat(hubInMsgs()).as("nothing crosses after the UNSUB").isEqualTo(after);
        } finally {
            onA.close();
            onHub.close();
        }
    }

    @Test
    void theHubHearsOfANodesSubjectWithItsFirstSubscriberAndForgetsItWithItsLast() throws Exception {
        Connection one = jnats(b);
        Connection two = jnats(b);
        try {
            Subscription s1 = one.subscribe("counted.subject");
            Subscription s2 = two.subscribe("counted.subject");
            one.flush(WAIT);
            two.flush(WAIT);
            LeafCluster.until(() -> hubLeafSubjects().contains("counted.subject"));
            s1.unsubscribe();
            one.flush(WAIT);
            Thread.sleep(300);
            assertThat(hubLeafSubjects()).contains("counted.subject");
            s2.unsubscribe();
            two.flush(WAIT);
            LeafCluster.until(() -> !hubLeafSubjects().contains("counted.subject"));
        } finally {
            one.close();
            two.close();
        }
    }

    @Test
    void subscribersToEverythingOnANodeAndOnTheHubGetEachMessageExactlyOnce() throws Exception {
        Connection onA = jnats(a);
        Connection onHub = jnats(hub);
        Connection pubA = jnats(a);
        Connection pubHub = jnats(hub);
        try {
            Subscription allA = onA.subscribe("loop.>");
            Subscription allHub = onHub.subscribe("loop.>");
            onA.flush(WAIT);
            onHub.flush(WAIT);
            awaitHubInterest(a, "loop.>");
            LeafCluster.until(() -> hubLeafSubjects().contains("loop.>"));
            for (int i = 0; i < 50; i++) {
                pubA.publish("loop.a", ("a" + i).getBytes(UTF_8));
                pubHub.publish("loop.h", ("h" + i).getBytes(UTF_8));
            }
            pubA.flush(WAIT);
            pubHub.flush(WAIT);
            for (Subscription s : List.of(allA, allHub)) {
                java.util.Set<String> seen = new java.util.HashSet<>();
                for (int i = 0; i < 100; i++) {
                    var m = s.nextMessage(WAIT);
                    assertThat(m).as("message %d", i).isNotNull();
                    assertThat(seen.add(new String(m.getData(), UTF_8))).as("duplicate").isTrue();
                }
                assertThat(s.nextMessage(Duration.ofMillis(500))).as("an echo came back").isNull();
            }
        } finally {
            LeafCluster.closeAll(List.of(onA::close, onHub::close, pubA::close, pubHub::close));
        }
    }

    @Test
    void natsRequestWhoseOnlyInterestIsAcrossTheLinkGetsNoNoResponders() throws Exception {
        Connection onHub = jnats(hub);
        Connection requester = jnats(a);
        try {
            onHub.createDispatcher(m -> onHub.publish(m.getReplyTo(), "pong".getBytes(UTF_8))).subscribe("remote.svc");
            onHub.flush(WAIT);
            awaitHubInterest(a, "remote.svc");
            var reply = requester.request("remote.svc", "ping".getBytes(UTF_8), WAIT);
            assertThat(new String(reply.getData(), UTF_8)).isEqualTo("pong");
            assertThat(link(a).msgsOut()).isPositive();
        } finally {
            onHub.close();
            requester.close();
        }
    }
}
