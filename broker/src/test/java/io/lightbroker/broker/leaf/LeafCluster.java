package io.lightbroker.broker.leaf;

import static org.awaitility.Awaitility.await;

import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.NatsHub;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Test helpers: lightbroker nodes attached to a real nats-server hub, and jnats connections to either. */
final class LeafCluster {
    static final Duration WAIT = Duration.ofSeconds(15);

    private LeafCluster() {}

    static LightBroker node(String... leafUrls) {
        return LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).adminPort(0)
                .setting("leaf-remotes", String.join(",", leafUrls))
                .setting("leaf-reconnect-delay", "100ms").start();
    }

    static LeafLink link(LightBroker b) {
        return b.leafNodes().links().get(0);
    }

    static void awaitConnected(LightBroker... nodes) {
        for (LightBroker b : nodes) {
            await().atMost(WAIT).until(() -> link(b).state() == LeafLink.State.CONNECTED);
        }
    }

    /** Waits until the hub's interest as seen by {@code b}'s link includes {@code subject}. */
    static void awaitHubInterest(LightBroker b, String subject) {
        await().atMost(WAIT).until(() -> link(b).hubSubjects().contains(subject));
    }

    static void awaitNoHubInterest(LightBroker b, String subject) {
        await().atMost(WAIT).until(() -> !link(b).hubSubjects().contains(subject));
    }

    static Connection jnats(String url) {
        try {
            return Nats.connect(new Options.Builder().server(url).connectionTimeout(Duration.ofSeconds(5)).noReconnect().build());
        } catch (IOException e) {
            throw new AssertionError("cannot connect to " + url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static Connection jnats(LightBroker b) {
        return jnats("nats://127.0.0.1:" + b.natsPort());
    }

    static Connection jnats(NatsHub hub) {
        return jnats(hub.clientUrl());
    }

    static void until(BooleanSupplier condition) {
        await().atMost(WAIT).until(condition::getAsBoolean);
    }

    static void closeAll(List<? extends AutoCloseable> things) {
        for (AutoCloseable c : things) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort in teardown
            }
        }
    }
}
