package io.lightbroker.broker.leaf;

import static io.lightbroker.broker.leaf.LeafCluster.WAIT;
import static io.lightbroker.broker.leaf.LeafCluster.awaitConnected;
import static io.lightbroker.broker.leaf.LeafCluster.awaitHubInterest;
import static io.lightbroker.broker.leaf.LeafCluster.jnats;
import static io.lightbroker.broker.leaf.LeafCluster.link;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.NatsHub;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A hub that stops reading (SIGSTOP on the real nats-server) is a slow consumer with the link's
 * own limit: the link is closed and counted, local delivery goes on untouched, and once the hub
 * runs again the link comes back.
 */
class LeafSlowHubTest {

    @Test
    void aHubThatStopsReadingIsDroppedAtLeafMaxPendingWhileLocalSubscribersGetEverything() throws Exception {
        try (NatsHub hub = NatsHub.start();
             LightBroker a = LightBroker.builder().bind("127.0.0.1").respPort(-1).natsPort(0).adminPort(-1)
                     .setting("leaf-remotes", hub.leafUrl()).setting("leaf-max-pending", "1mb")
                     .setting("leaf-reconnect-delay", "100ms").start()) {
            awaitConnected(a);
            Connection onHub = jnats(hub);
            Connection local = jnats(a);
            Connection pub = jnats(a);
            try {
                onHub.subscribe("bulk");
                onHub.flush(WAIT);
                awaitHubInterest(a, "bulk");
                Subscription s = local.subscribe("bulk");
                local.flush(WAIT);
                hub.pause(true);
                int n = 3000;
                for (int i = 0; i < n; i++) {
                    // A new array each time: jnats keeps a reference until it writes the message.
                    byte[] payload = new byte[16 * 1024];
                    ByteBuffer.wrap(payload).putInt(0, i);
                    pub.publish("bulk", payload);
                    if (i % 100 == 0) {
                        pub.flush(WAIT);
                    }
                }
                pub.flush(WAIT);
                for (int i = 0; i < n; i++) {
                    var m = s.nextMessage(WAIT);
                    assertThat(m).as("local message %d", i).isNotNull();
                    assertThat(ByteBuffer.wrap(m.getData()).getInt(0)).isEqualTo(i);
                }
                LeafCluster.until(() -> link(a).slowConsumers() >= 1);
                assertThat(link(a).lastError()).contains("slow hub");
                hub.pause(false);
                awaitConnected(a);
            } finally {
                hub.pause(false);
                LeafCluster.closeAll(List.of(onHub::close, local::close, pub::close));
            }
        }
    }
}
