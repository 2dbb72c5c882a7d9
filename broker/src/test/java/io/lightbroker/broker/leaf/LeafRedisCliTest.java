package io.lightbroker.broker.leaf;

import static io.lightbroker.broker.leaf.LeafCluster.awaitConnected;
import static io.lightbroker.broker.leaf.LeafCluster.awaitHubInterest;
import static io.lightbroker.broker.leaf.LeafCluster.node;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.NatsHub;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The "done" line, with the real redis-cli on two nodes attached to one nats-server hub. */
class LeafRedisCliTest {

    @Test
    void redisCliSubscribeOnOneNodeReceivesRedisCliPublishOnTheOther() throws Exception {
        try (NatsHub hub = NatsHub.start(); LightBroker a = node(hub.leafUrl()); LightBroker b = node(hub.leafUrl())) {
            awaitConnected(a, b);
            Process sub = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(a.respPort()), "subscribe", "news")
                    .redirectErrorStream(true).start();
            List<String> lines = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(sub.getInputStream(), StandardCharsets.UTF_8))) {
                    String l;
                    while ((l = r.readLine()) != null) {
                        lines.add(l);
                    }
                } catch (Exception ignored) {
                    // the process was stopped
                }
            });
            reader.setDaemon(true);
            reader.start();
            try {
                awaitHubInterest(b, "news");
                Process pub = new ProcessBuilder("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(b.respPort()), "publish", "news", "hi")
                        .redirectErrorStream(true).start();
                assertThat(pub.waitFor(10, TimeUnit.SECONDS)).isTrue();
                // B has no local subscriber: PUBLISH counts local receivers only.
                assertThat(new String(pub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim()).isEqualTo("0");
                LeafCluster.until(() -> lines.contains("hi"));
                assertThat(lines).containsSubsequence("subscribe", "news", "1", "message", "news", "hi");
            } finally {
                sub.destroy();
                sub.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
