package io.lightbroker.broker.resp.clients;

import io.lightbroker.broker.testsupport.RecordingListener;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lettuce, unchanged, over TLS on resp-tls-port (Redis's tls-port): the server certificate is
 * verified against the test CA including the host (SslVerifyMode.FULL), and with
 * tls-auth-clients yes (Redis's default) a client without a certificate is refused.
 */
class LettuceTlsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void pki() {
        certs = TestCertificates.create(dir);
    }

    private static LightBroker broker(String authClients) {
        return LightBroker.builder().bind("127.0.0.1").respPort(0).setting("resp-tls-port", "0")
                .setting("tls-cert-file", certs.serverCert.toString())
                .setting("tls-key-file", certs.serverKey.toString())
                .setting("tls-ca-cert-file", certs.caCert.toString())
                .setting("tls-auth-clients", authClients).start();
    }

    private static RedisClient tlsClient(int port, boolean clientCert) {
        SslOptions.Builder ssl = SslOptions.builder().jdkSslProvider().trustManager(certs.caCert.toFile());
        if (clientCert) {
            ssl.keyManager(certs.clientCert.toFile(), certs.clientKey.toFile(), null);
        }
        RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(port)
                .withSsl(true).withVerifyPeer(SslVerifyMode.FULL).withTimeout(WAIT).build());
        client.setOptions(ClientOptions.builder().sslOptions(ssl.build()).build());
        return client;
    }

    @Test
    void subscriberOverTlsReceivesWhatPlainAndTlsPublishersSendInOrder() {
        try (LightBroker b = broker("no")) {
            RedisClient tls = tlsClient(b.respTlsPort(), false);
            RedisClient plain = RedisClient.create(RedisURI.create("127.0.0.1", b.respPort()));
            try {
                RecordingListener listener = new RecordingListener();
                StatefulRedisPubSubConnection<String, String> sub = tls.connectPubSub();
                sub.addListener(listener);
                sub.sync().subscribe("orders");
                StatefulRedisConnection<String, String> tlsPub = tls.connect();
                StatefulRedisConnection<String, String> plainPub = plain.connect();
                assertThat(tlsPub.sync().ping()).isEqualTo("PONG");
                for (int i = 0; i < 50; i++) {
                    assertThat(tlsPub.sync().publish("orders", "tls" + i)).isEqualTo(1L);
                }
                for (int i = 0; i < 50; i++) {
                    assertThat(plainPub.sync().publish("orders", "plain" + i)).isEqualTo(1L);
                }
                List<String> expected = IntStream.range(0, 100)
                        .mapToObj(i -> "message orders " + (i < 50 ? "tls" + i : "plain" + (i - 50))).toList();
                await().atMost(WAIT).until(() -> listener.messages().size() >= 100);
                assertThat(listener.messages()).containsExactlyElementsOf(expected);
            } finally {
                tls.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void clientCertificateIsRequiredByDefaultAsRedisTlsAuthClientsYes() {
        try (LightBroker b = broker("yes")) {
            RedisClient without = tlsClient(b.respTlsPort(), false);
            RedisClient with = tlsClient(b.respTlsPort(), true);
            try {
                // TLS 1.3 may finish the client's side of the handshake before the server checks
                // the certificate, so the refusal shows on connect or on the first command.
                assertThatThrownBy(() -> without.connect().sync().ping()).isInstanceOf(RedisConnectionException.class);
                assertThat(with.connect().sync().ping()).isEqualTo("PONG");
            } finally {
                without.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                with.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }

    @Test
    void serverCertificateIsCheckedByTheClient() {
        TestCertificates other = TestCertificates.create(dir.resolve("other"));
        try (LightBroker b = broker("no")) {
            // A client that trusts a different CA must refuse the broker's certificate.
            SslOptions ssl = SslOptions.builder().jdkSslProvider().trustManager(other.caCert.toFile()).build();
            RedisClient client = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(b.respTlsPort())
                    .withSsl(true).withVerifyPeer(SslVerifyMode.FULL).withTimeout(WAIT).build());
            client.setOptions(ClientOptions.builder().sslOptions(ssl).build());
            try {
                assertThatThrownBy(() -> client.connect().sync().ping()).isInstanceOf(RedisConnectionException.class);
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        }
    }
}
