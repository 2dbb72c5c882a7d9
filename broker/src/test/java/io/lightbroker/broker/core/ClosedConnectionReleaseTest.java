package io.lightbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.RawNatsConnection;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A connection that received a message and closed must become garbage even when nothing is
 * published afterwards: the per-loop match cache once kept the last result, and through its
 * subscriptions the closed session and its channel, until the loop's next publish.
 */
class ClosedConnectionReleaseTest {
    private LightBroker broker;

    @BeforeEach
    void start() {
        // One event loop, so publisher, subscriber and cache share it, as on a one-core server.
        broker = LightBroker.builder().bind("127.0.0.1").respPort(-1).natsPort(0).ioThreads(1).start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void closedSubscriberIsNotKeptReachableByCachedMatches() {
        WeakReference<ClientInfo> session;
        try (RawNatsConnection sub = RawNatsConnection.open("127.0.0.1", broker.natsPort());
             RawNatsConnection pub = RawNatsConnection.open("127.0.0.1", broker.natsPort())) {
            sub.expectInfo().send("CONNECT {\"verbose\":false}\\r\\nSUB orders.new 1\\r\\nPING\\r\\n").expect("PONG\\r\\n");
            pub.expectInfo().send("CONNECT {\"verbose\":false}\\r\\nPUB orders.new 2\\r\\nhi\\r\\nPING\\r\\n").expect("PONG\\r\\n");
            sub.expect("MSG orders.new 1 2\\r\\nhi\\r\\n");
            session = new WeakReference<>(broker.broker().clients().all().stream()
                    .filter(c -> c.subscriptionCount() == 1).findFirst().orElseThrow());
        }
        Awaitility.await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(100)).until(() -> {
            System.gc();
            return session.get() == null;
        });
        assertThat(session.get()).isNull();
    }
}
