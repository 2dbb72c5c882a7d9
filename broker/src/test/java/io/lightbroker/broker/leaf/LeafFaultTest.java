package io.lightbroker.broker.leaf;

import static io.lightbroker.broker.leaf.LeafCluster.WAIT;
import static io.lightbroker.broker.leaf.LeafCluster.awaitConnected;
import static io.lightbroker.broker.leaf.LeafCluster.awaitHubInterest;
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
import io.nats.client.Subscription;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The link under faults: the hub restarts, the cluster node a leaf is attached to dies, the
 * credentials are wrong. Local traffic never stops and nothing local is lost (counted by sequence
 * numbers); cross-node traffic resumes once the link is back.
 */
class LeafFaultTest {

    /** Publishes seq-numbered messages on {@code subject} from a jnats connection until stopped. */
    static final class Publisher implements AutoCloseable {
        final AtomicInteger sent = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Publisher(Connection c, String... subjects) {
            thread = new Thread(() -> {
                while (running.get()) {
                    int n = sent.get();
                    for (String s : subjects) {
                        c.publish(s, Integer.toString(n).getBytes(UTF_8));
                    }
                    sent.incrementAndGet();
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(5000);
        }
    }

    static List<Integer> sequence(Subscription s, int count) throws InterruptedException {
        List<Integer> got = new ArrayList<>();
        while (got.size() < count) {
            var m = s.nextMessage(WAIT);
            assertThat(m).as("after %d messages", got.size()).isNotNull();
            got.add(Integer.parseInt(new String(m.getData(), UTF_8)));
        }
        return got;
    }

    @Test
    void aCrashedAndRestartedHubIsRejoinedWithInterestAnnouncedAgainWhileLocalTrafficNeverStops() throws Exception {
        try (NatsHub hub = NatsHub.start(); LightBroker a = node(hub.leafUrl()); LightBroker b = node(hub.leafUrl())) {
            awaitConnected(a, b);
            Connection subB = jnats(b);
            Connection subA = jnats(a);
            Connection pubA = jnats(a);
            try {
                Subscription remote = subB.subscribe("cross.seq");
                Subscription local = subA.subscribe("local.seq");
                subB.flush(WAIT);
                subA.flush(WAIT);
                awaitHubInterest(a, "cross.seq");
                Publisher p = new Publisher(pubA, "cross.seq", "local.seq");
                try (p) {
                    LeafCluster.until(() -> p.sent.get() > 100);
                    // A crash: the hub withdraws no interest first, so A still holds B's and counts what it cannot send.
                    hub.kill();
                    LeafCluster.until(() -> link(a).state() != LeafLink.State.CONNECTED);
                    int down = p.sent.get();
                    LeafCluster.until(() -> p.sent.get() > down + 200);
                    hub.restart();
                    awaitConnected(a, b);
                    // B's interest is announced again to the new hub process, which passes it to A.
                    awaitHubInterest(a, "cross.seq");
                    int back = p.sent.get();
                    LeafCluster.until(() -> p.sent.get() > back + 100);
                }
                // Read after the publisher thread has ended: it may send one more after any earlier read.
                int total = p.sent.get();
                pubA.flush(WAIT);
                // Local: every message, in order, through the whole outage.
                List<Integer> seq = sequence(local, total);
                for (int i = 0; i < total; i++) {
                    assertThat(seq.get(i)).isEqualTo(i);
                }
                // Cross-node: in order, with a gap while the hub was away, and flowing again after.
                List<Integer> crossed = new ArrayList<>();
                var m = remote.nextMessage(WAIT);
                while (m != null) {
                    crossed.add(Integer.parseInt(new String(m.getData(), UTF_8)));
                    m = remote.nextMessage(java.time.Duration.ofMillis(500));
                }
                assertThat(crossed).isSorted();
                assertThat(crossed.get(crossed.size() - 1)).isEqualTo(total - 1);
                assertThat(link(a).reconnects()).isPositive();
                assertThat(link(a).drops()).as("messages for the hub's interest while it was down").isPositive();
            } finally {
                LeafCluster.closeAll(List.of(subB::close, subA::close, pubA::close));
            }
        }
    }

    @Test
    void whenItsClusterNodeDiesALeafMovesToAnotherAndCrossNodeTrafficResumes() throws Exception {
        List<NatsHub> hubs = NatsHub.cluster(3);
        try (LightBroker a = node(hubs.get(0).leafUrl(), hubs.get(1).leafUrl(), hubs.get(2).leafUrl());
             LightBroker b = node(hubs.get(0).leafUrl(), hubs.get(1).leafUrl(), hubs.get(2).leafUrl())) {
            awaitConnected(a, b);
            Connection subB = jnats(b);
            Connection pubA = jnats(a);
            try {
                Subscription s = subB.subscribe("fail.over");
                subB.flush(WAIT);
                awaitHubInterest(a, "fail.over");
                pubA.publish("fail.over", "before".getBytes(UTF_8));
                assertThat(new String(s.nextMessage(WAIT).getData(), UTF_8)).isEqualTo("before");

                // A shuffles its list (leaf-randomize): stop whichever hub it is attached to.
                NatsHub attached = hubs.stream().filter(h -> link(a).url().endsWith(":" + h.leafPort)).findFirst().orElseThrow();
                attached.stop();
                LeafCluster.until(() -> link(a).state() == LeafLink.State.CONNECTED && !link(a).url().endsWith(":" + attached.leafPort));
                awaitHubInterest(a, "fail.over");
                pubA.publish("fail.over", "after".getBytes(UTF_8));
                assertThat(new String(s.nextMessage(WAIT).getData(), UTF_8)).isEqualTo("after");
                assertThat(link(a).reconnects()).isPositive();
            } finally {
                LeafCluster.closeAll(List.of(subB::close, pubA::close));
            }
        } finally {
            LeafCluster.closeAll(hubs);
        }
    }

    @Test
    void wrongCredentialsShowInLeafzAndLocalServiceIsUnaffected() throws Exception {
        String auth = "  authorization { user: leaf, password: s3cret }";
        try (NatsHub hub = NatsHub.start(auth);
             LightBroker wrong = node("nats-leaf://leaf:nope@127.0.0.1:" + hub.leafPort);
             LightBroker right = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).adminPort(0)
                     .setting("leaf-remotes", hub.leafUrl()).setting("leaf-user", "leaf").setting("leaf-password", "s3cret")
                     .setting("leaf-reconnect-delay", "100ms").start()) {
            awaitConnected(right);
            LeafCluster.until(() -> link(wrong).lastError() != null && link(wrong).lastError().contains("Authorization Violation"));
            assertThat(link(wrong).state()).isNotEqualTo(LeafLink.State.CONNECTED);

            JsonNode leafz = new ObjectMapper().readTree(HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + wrong.adminPort() + "/leafz")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(leafz.path("leafnodes").asInt()).isZero();
            JsonNode l = leafz.path("leafs").get(0);
            assertThat(l.path("last_error").asText()).contains("Authorization Violation");
            assertThat(l.path("url").asText()).isEqualTo("nats-leaf://[redacted]@127.0.0.1:" + hub.leafPort).doesNotContain("nope");
            assertThat(l.path("state").asText()).isIn("connecting", "disconnected");

            // The node serves its own clients all the while.
            Connection c = jnats(wrong);
            try {
                Subscription s = c.subscribe("here");
                c.flush(WAIT);
                c.publish("here", "local".getBytes(UTF_8));
                assertThat(new String(s.nextMessage(WAIT).getData(), UTF_8)).isEqualTo("local");
            } finally {
                c.close();
            }
        }
    }
}
