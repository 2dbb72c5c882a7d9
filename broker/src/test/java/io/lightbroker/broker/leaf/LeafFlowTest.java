package io.lightbroker.broker.leaf;

import static io.lightbroker.broker.leaf.LeafCluster.WAIT;
import static io.lightbroker.broker.leaf.LeafCluster.awaitConnected;
import static io.lightbroker.broker.leaf.LeafCluster.awaitHubInterest;
import static io.lightbroker.broker.leaf.LeafCluster.jnats;
import static io.lightbroker.broker.leaf.LeafCluster.node;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.NatsHub;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Subscription;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;

/**
 * Two lightbroker nodes, A and B, attached as leaf nodes to one real nats-server hub: one
 * subject space across them, over both protocols.
 */
class LeafFlowTest {
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

    /** A RESP subscriber on {@code node}, recording "channel payload" or "pattern channel payload". */
    static final class RespSubscriber extends JedisPubSub implements AutoCloseable {
        final List<String> got = new CopyOnWriteArrayList<>();
        private final Jedis jedis;
        private final Thread thread;

        RespSubscriber(LightBroker node, boolean pattern, String... channels) {
            jedis = new Jedis("127.0.0.1", node.respPort());
            thread = new Thread(() -> {
                if (pattern) {
                    jedis.psubscribe(this, channels);
                } else {
                    jedis.subscribe(this, channels);
                }
            });
            thread.setDaemon(true);
            thread.start();
            LeafCluster.until(() -> getSubscribedChannels() == channels.length);
        }

        @Override
        public void onMessage(String channel, String message) {
            got.add(channel + " " + message);
        }

        @Override
        public void onPMessage(String pattern, String channel, String message) {
            got.add(pattern + " " + channel + " " + message);
        }

        @Override
        public void close() {
            if (isSubscribed()) {
                if (getSubscribedChannels() > 0) {
                    try {
                        unsubscribe();
                    } catch (RuntimeException ignored) {
                        // pattern-only subscribers
                    }
                    try {
                        punsubscribe();
                    } catch (RuntimeException ignored) {
                        // channel-only subscribers
                    }
                }
            }
            jedis.close();
        }
    }

    @Test
    void redisPublishOnOneNodeReachesRedisSubscribersOnTheOtherAsRedisCliWouldSeeIt() throws Exception {
        try (RespSubscriber exact = new RespSubscriber(b, false, "news");
             RespSubscriber pattern = new RespSubscriber(b, true, "news*");
             Jedis pub = new Jedis("127.0.0.1", a.respPort())) {
            // B's SUBSCRIBE news and PSUBSCRIBE news* (announced as news and >) reach A through the hub.
            awaitHubInterest(a, "news");
            awaitHubInterest(a, ">");
            // PUBLISH counts the receivers on A only, as documented: none here.
            assertThat(pub.publish("news", "hi")).isZero();
            LeafCluster.until(() -> exact.got.size() == 1 && pattern.got.size() == 1);
            assertThat(exact.got).containsExactly("news hi");
            assertThat(pattern.got).containsExactly("news* news hi");
        }
    }

    @Test
    void natsWildcardSubscribersOnTheOtherNodeAndOnTheHubReceiveARedisPublish() throws Exception {
        Connection onB = jnats(b);
        Connection onHub = jnats(hub);
        try (Jedis pub = new Jedis("127.0.0.1", a.respPort())) {
            Subscription star = onB.subscribe("orders.*");
            Subscription tail = onB.subscribe("orders.>");
            Subscription hubSub = onHub.subscribe("orders.eu");
            onB.flush(WAIT);
            onHub.flush(WAIT);
            awaitHubInterest(a, "orders.*");
            awaitHubInterest(a, "orders.>");
            awaitHubInterest(a, "orders.eu");
            pub.publish("orders.eu", "order-1");
            for (Subscription s : List.of(star, tail, hubSub)) {
                Message m = s.nextMessage(WAIT);
                assertThat(m).as(s.getSubject()).isNotNull();
                assertThat(m.getSubject()).isEqualTo("orders.eu");
                assertThat(new String(m.getData(), UTF_8)).isEqualTo("order-1");
            }
            // Exactly once each: nothing more arrives.
            for (Subscription s : List.of(star, tail, hubSub)) {
                assertThat(s.nextMessage(Duration.ofMillis(300))).isNull();
            }
        } finally {
            onB.close();
            onHub.close();
        }
    }

    @Test
    void aPublishOnTheHubReachesRespAndNatsSubscribersOnBothNodes() throws Exception {
        Connection onHub = jnats(hub);
        Connection natsA = jnats(a);
        Connection natsB = jnats(b);
        try (RespSubscriber respA = new RespSubscriber(a, false, "alerts");
             RespSubscriber respB = new RespSubscriber(b, false, "alerts")) {
            Subscription sa = natsA.subscribe("alerts");
            Subscription sb = natsB.subscribe(">");
            natsA.flush(WAIT);
            natsB.flush(WAIT);
            LeafCluster.until(() -> hub.monitor("/leafz?subs=1").split("\"alerts\"", -1).length - 1 >= 2);
            onHub.publish("alerts", "fire".getBytes(UTF_8));
            onHub.flush(WAIT);
            LeafCluster.until(() -> respA.got.size() == 1 && respB.got.size() == 1);
            assertThat(respA.got).containsExactly("alerts fire");
            assertThat(respB.got).containsExactly("alerts fire");
            assertThat(new String(sa.nextMessage(WAIT).getData(), UTF_8)).isEqualTo("fire");
            assertThat(new String(sb.nextMessage(WAIT).getData(), UTF_8)).isEqualTo("fire");
        } finally {
            onHub.close();
            natsA.close();
            natsB.close();
        }
    }

    @Test
    void theLinkIsVisibleInLeafzVarzAndMetrics() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.util.function.Function<String, String> get = path -> {
            try {
                return http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + a.adminPort() + path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        var leafz = json.readTree(get.apply("/leafz?subs=1"));
        assertThat(leafz.path("leafnodes").asInt()).isEqualTo(1);
        var l = leafz.path("leafs").get(0);
        assertThat(l.path("state").asText()).isEqualTo("connected");
        assertThat(l.path("port").asInt()).isEqualTo(hub.leafPort);
        assertThat(l.path("url").asText()).isEqualTo(hub.leafUrl());
        assertThat(l.has("subscriptions_list")).isTrue();
        assertThat(json.readTree(get.apply("/varz")).path("leafnodes").asInt()).isEqualTo(1);
        String metrics = get.apply("/metrics");
        assertThat(metrics).contains("lightbroker_leaf_connected{url=\"" + hub.leafUrl() + "\"} 1.0",
                "lightbroker_leaf_messages_out_total{url=", "lightbroker_leaf_messages_dropped_total{url=");
    }

    @Test
    void requestOnOneNodeIsAnsweredByAResponderOnTheOtherAndHeadersSurvive() throws Exception {
        Connection requester = jnats(a);
        Connection responder = jnats(b);
        try {
            responder.createDispatcher(m -> {
                Headers h = new Headers().add("X-Answer", m.getHeaders() == null ? "none" : m.getHeaders().getFirst("X-Question"));
                responder.publish(NatsMessage.builder().subject(m.getReplyTo()).headers(h)
                        .data(("re:" + new String(m.getData(), UTF_8)).getBytes(UTF_8)).build());
            }).subscribe("svc.echo");
            responder.flush(WAIT);
            awaitHubInterest(a, "svc.echo");
            Message reply = requester.request(NatsMessage.builder().subject("svc.echo")
                    .headers(new Headers().add("X-Question", "42")).data("ping".getBytes(UTF_8)).build(), WAIT);
            assertThat(reply).isNotNull();
            assertThat(new String(reply.getData(), UTF_8)).isEqualTo("re:ping");
            assertThat(reply.getHeaders().getFirst("X-Answer")).isEqualTo("42");
        } finally {
            requester.close();
            responder.close();
        }
    }
}
