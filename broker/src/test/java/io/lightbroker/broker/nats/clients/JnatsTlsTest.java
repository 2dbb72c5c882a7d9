package io.lightbroker.broker.nats.clients;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightbroker.broker.testsupport.EmbeddedNatsBroker;
import io.lightbroker.broker.testsupport.NatsServerOptions;
import io.lightbroker.broker.testsupport.NatsServerProcess;
import io.lightbroker.broker.testsupport.NatsTarget;
import io.lightbroker.broker.testsupport.TestCertificates;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.Subscription;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * jnats, unchanged, over TLS: the NATS port requires TLS (nats-tls, nats-server's {@code tls {}}),
 * INFO goes out in plain text and the client upgrades right after it. Each test runs against the
 * real nats-server with the same certificates too, so the expectations are the real server's.
 */
class JnatsTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void pki() {
        certs = TestCertificates.create(dir);
    }

    static Stream<Arguments> servers() {
        Function<NatsServerOptions, NatsTarget> lightbroker = EmbeddedNatsBroker::start;
        Function<NatsServerOptions, NatsTarget> natsServer = NatsServerProcess::start;
        return Stream.of(Arguments.of("lightbroker", lightbroker), Arguments.of("nats-server", natsServer));
    }

    private static NatsServerOptions tls(boolean verify) {
        return verify
                ? NatsServerOptions.of("tls_cert", certs.serverCert.toString(), "tls_key", certs.serverKey.toString(),
                        "tls_ca", certs.caCert.toString(), "tls_verify", "true")
                : NatsServerOptions.of("tls_cert", certs.serverCert.toString(), "tls_key", certs.serverKey.toString());
    }

    private static Connection connect(NatsTarget server, boolean clientCert) throws Exception {
        // Refused clients wait out the connection timeout, so it is short.
        return Nats.connect(new Options.Builder().server(server.url()).sslContext(certs.clientContext(clientCert))
                .connectionTimeout(Duration.ofSeconds(2)).noReconnect().build());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void publishAndSubscribeOverTls(String name, Function<NatsServerOptions, NatsTarget> start) throws Exception {
        try (NatsTarget server = start.apply(tls(false))) {
            Connection sub = connect(server, false);
            Connection pub = connect(server, false);
            try {
                assertThat(sub.getServerInfo().isTLSRequired()).isTrue();
                Subscription s = sub.subscribe("secure.>");
                sub.flush(WAIT);
                for (int i = 0; i < 20; i++) {
                    pub.publish("secure.n" + i, ("m" + i).getBytes(UTF_8));
                }
                for (int i = 0; i < 20; i++) {
                    Message m = s.nextMessage(WAIT);
                    assertThat(m).as("message %d from %s", i, name).isNotNull();
                    assertThat(m.getSubject()).isEqualTo("secure.n" + i);
                    assertThat(new String(m.getData(), UTF_8)).isEqualTo("m" + i);
                }
            } finally {
                sub.close();
                pub.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void verifyRequiresAClientCertificateSignedByTheCa(String name, Function<NatsServerOptions, NatsTarget> start) throws Exception {
        try (NatsTarget server = start.apply(tls(true))) {
            assertThatThrownBy(() -> {
                Connection c = connect(server, false);
                try {
                    c.flush(WAIT);
                } finally {
                    c.close();
                }
            }).as("%s accepted a client without a certificate", name).isInstanceOf(Exception.class);
            Connection ok = connect(server, true);
            try {
                assertThat(ok.getServerInfo().isTLSRequired()).isTrue();
                ok.flush(WAIT);
                assertThat(ok.getStatus()).isEqualTo(Connection.Status.CONNECTED);
            } finally {
                ok.close();
            }
        }
    }
}
