package io.lightbroker.broker.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightbroker.broker.config.ConfigException;
import io.lightbroker.broker.server.LightBroker;
import io.lightbroker.broker.testsupport.EmbeddedNatsBroker;
import io.lightbroker.broker.testsupport.NatsBytes;
import io.lightbroker.broker.testsupport.NatsServerOptions;
import io.lightbroker.broker.testsupport.NatsServerProcess;
import io.lightbroker.broker.testsupport.NatsTarget;
import io.lightbroker.broker.testsupport.RawNatsConnection;
import io.lightbroker.broker.testsupport.RawRespConnection;
import io.lightbroker.broker.testsupport.RedisServerProcess;
import io.lightbroker.broker.testsupport.TestCertificates;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS listeners compared with the real servers on the same certificates: redis-cli
 * {@code --tls} against redis-server's tls-port and lightbroker's resp-tls-port, a plain-text
 * client on each TLS port, nats-server's plain INFO before the upgrade; and the start-up errors
 * for missing or unusable certificates.
 */
class TlsListenersTest {

    @TempDir
    static Path dir;
    static TestCertificates certs;

    @BeforeAll
    static void pki() {
        certs = TestCertificates.create(dir);
    }

    private static LightBroker.Builder respTls(String authClients) {
        return LightBroker.builder().bind("127.0.0.1").respPort(0).setting("resp-tls-port", "0")
                .setting("tls-cert-file", certs.serverCert.toString())
                .setting("tls-key-file", certs.serverKey.toString())
                .setting("tls-ca-cert-file", certs.caCert.toString())
                .setting("tls-auth-clients", authClients);
    }

    private static RedisServerProcess redisTls(int tlsPort, String authClients) {
        return RedisServerProcess.start("--tls-port", Integer.toString(tlsPort),
                "--tls-cert-file", certs.serverCert.toString(), "--tls-key-file", certs.serverKey.toString(),
                "--tls-ca-cert-file", certs.caCert.toString(), "--tls-auth-clients", authClients);
    }

    @Test
    void redisCliOverTlsGetsTheSameRepliesFromRedisAndLightbroker() throws Exception {
        int redisTlsPort = freePort();
        try (RedisServerProcess redis = redisTls(redisTlsPort, "yes"); LightBroker lb = respTls("yes").start()) {
            for (int port : new int[] {redisTlsPort, lb.respTlsPort()}) {
                assertThat(redisCli(port, true, "PING")).as("port %d", port).isEqualTo(new CliResult(0, "PONG"));
                assertThat(redisCli(port, true, "PUBLISH", "news", "hi")).as("port %d", port).isEqualTo(new CliResult(0, "0"));
                assertThat(redisCli(port, true, "ECHO", "over tls")).as("port %d", port).isEqualTo(new CliResult(0, "over tls"));
            }
            // Without a client certificate both refuse: the handshake fails, no reply comes.
            CliResult redisRefusal = redisCli(redisTlsPort, false, "PING");
            CliResult lbRefusal = redisCli(lb.respTlsPort(), false, "PING");
            assertThat(redisRefusal.out()).doesNotContain("PONG");
            assertThat(lbRefusal.out()).doesNotContain("PONG");
        }
    }

    @Test
    void plainTextOnTheRespTlsPortIsClosedWithoutAReplyAsRedisDoes() throws Exception {
        int redisTlsPort = freePort();
        try (RedisServerProcess redis = redisTls(redisTlsPort, "no"); LightBroker lb = respTls("no").start()) {
            for (int port : new int[] {redisTlsPort, lb.respTlsPort()}) {
                try (RawRespConnection c = RawRespConnection.open("127.0.0.1", port)) {
                    RawRespConnection.Read r = c.sendBytes("PING\r\n".getBytes(StandardCharsets.US_ASCII))
                            .readUntilQuiet(Duration.ofSeconds(3), Duration.ofMillis(200));
                    assertThat(new String(r.bytes(), StandardCharsets.ISO_8859_1)).as("port %d", port).doesNotContain("PONG");
                }
            }
            // The plain port is unaffected.
            try (RawRespConnection c = RawRespConnection.open("127.0.0.1", lb.respPort())) {
                byte[] pong = c.sendBytes("PING\r\n".getBytes(StandardCharsets.US_ASCII))
                        .readUntilQuiet(Duration.ofSeconds(3), Duration.ofMillis(50)).bytes();
                assertThat(new String(pong, StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
            }
        }
    }

    @Test
    void natsInfoAnnouncesTlsInPlainTextWithNatsServersKeysInItsOrderAndPlainTextIsThenClosed() {
        NatsServerOptions tls = NatsServerOptions.of("tls_cert", certs.serverCert.toString(), "tls_key", certs.serverKey.toString(),
                "tls_ca", certs.caCert.toString(), "tls_verify", "true");
        List<List<String>> keys = new ArrayList<>();
        for (NatsTarget target : new NatsTarget[] {NatsServerProcess.start(tls), EmbeddedNatsBroker.start(tls)}) {
            try (target; RawNatsConnection c = RawNatsConnection.open(target)) {
                String info = NatsBytes.latin1(c.readFrame(Duration.ofSeconds(5)));
                assertThat(info).as(target.description()).contains("\"tls_required\":true", "\"tls_verify\":true");
                keys.add(keysOf(info));
                // A client that ignores tls_required: closed without a byte (nats-server logs a handshake error).
                c.send("CONNECT {}\\r\\nPING\\r\\n").expectClosed();
            }
        }
        List<String> shared = new ArrayList<>(keys.get(0));
        shared.retainAll(keys.get(1));
        List<String> lbShared = new ArrayList<>(keys.get(1));
        lbShared.retainAll(keys.get(0));
        assertThat(lbShared).containsExactlyElementsOf(shared).contains("tls_required", "tls_verify");
    }

    @Test
    void aTlsListenerWithoutCertificateOrWithAnUnreadableOneStopsTheStartNamingTheSetting() throws IOException {
        assertThatThrownBy(() -> LightBroker.builder().bind("127.0.0.1").respPort(-1).natsPort(0).setting("nats-tls", "true").start())
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls-cert-file must be set: nats-tls");
        assertThatThrownBy(() -> LightBroker.builder().bind("127.0.0.1").respPort(0).setting("resp-tls-port", "0")
                .setting("tls-cert-file", certs.serverCert.toString()).setting("tls-key-file", certs.serverKey.toString()).start())
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls-ca-cert-file must be set: resp-tls-port with tls-auth-clients yes");
        Path notAKey = Files.writeString(dir.resolve("not-a-key.pem"), "not a key\n");
        assertThatThrownBy(() -> LightBroker.builder().bind("127.0.0.1").respPort(0).setting("resp-tls-port", "0")
                .setting("tls-auth-clients", "no")
                .setting("tls-cert-file", certs.serverCert.toString()).setting("tls-key-file", notAKey.toString()).start())
                .isInstanceOf(ConfigException.class).hasMessageContaining("tls-key-file " + notAKey);
        assertThatThrownBy(() -> LightBroker.builder().bind("127.0.0.1").respPort(0).setting("resp-tls-port", "0")
                .setting("tls-auth-clients", "no")
                .setting("tls-cert-file", dir.resolve("missing.pem").toString()).setting("tls-key-file", certs.serverKey.toString()).start())
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read tls-cert-file " + dir.resolve("missing.pem"));
    }

    private static List<String> keysOf(String info) {
        List<String> keys = new ArrayList<>();
        Matcher m = Pattern.compile("\"([a-z_]+)\":").matcher(info);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    record CliResult(int exit, String out) {}

    private static CliResult redisCli(int port, boolean clientCert, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", "127.0.0.1", "-p", Integer.toString(port),
                "--tls", "--cacert", certs.caCert.toString()));
        if (clientCert) {
            cmd.addAll(List.of("--cert", certs.clientCert.toString(), "--key", certs.clientKey.toString()));
        }
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("redis-cli did not finish: " + cmd);
        }
        return new CliResult(p.exitValue(), out);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
