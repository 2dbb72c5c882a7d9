package io.lightbroker.broker.leaf;

import static io.lightbroker.broker.leaf.LeafCluster.WAIT;
import static io.lightbroker.broker.leaf.LeafCluster.awaitConnected;
import static io.lightbroker.broker.leaf.LeafCluster.awaitHubInterest;
import static io.lightbroker.broker.leaf.LeafCluster.jnats;
import static io.lightbroker.broker.leaf.LeafCluster.link;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.NatsHub;
import io.lightbroker.broker.testsupport.TestCertificates;
import io.nats.client.Connection;
import io.nats.client.Subscription;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tls:// leaf remote against a hub whose leafnodes listener requires TLS. */
class LeafTlsTest {

    @TempDir
    Path dir;

    private static LightBroker node(String url, Path ca) {
        return LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).adminPort(-1)
                .setting("leaf-remotes", url).setting("leaf-ca-file", ca.toString())
                .setting("leaf-reconnect-delay", "100ms").start();
    }

    @Test
    void aLeafLinkOverTlsCarriesMessagesAndRefusesAHubItCannotVerify() throws Exception {
        TestCertificates certs = TestCertificates.create(dir.resolve("pki"));
        TestCertificates other = TestCertificates.create(dir.resolve("other"));
        String tls = "  tls { cert_file: \"" + certs.serverCert + "\", key_file: \"" + certs.serverKey + "\" }";
        try (NatsHub hub = NatsHub.start(tls);
             LightBroker a = node("tls://127.0.0.1:" + hub.leafPort, certs.caCert);
             LightBroker wrongCa = node("tls://127.0.0.1:" + hub.leafPort, other.caCert)) {
            awaitConnected(a);
            Connection onHub = jnats(hub);
            Connection onA = jnats(a);
            try {
                Subscription s = onHub.subscribe("secure.news");
                onHub.flush(WAIT);
                awaitHubInterest(a, "secure.news");
                onA.publish("secure.news", "over tls".getBytes(UTF_8));
                assertThat(new String(s.nextMessage(WAIT).getData(), UTF_8)).isEqualTo("over tls");
            } finally {
                onHub.close();
                onA.close();
            }
            LeafCluster.until(() -> link(wrongCa).lastError() != null && link(wrongCa).lastError().contains("TLS"));
            assertThat(link(wrongCa).state()).isNotEqualTo(LeafLink.State.CONNECTED);
        }
    }
}
