package io.lightbroker.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class DrainTest {

    @Test
    void postDrainTurnsReadinessOffThenClosesClientsAndTheBroker() throws Exception {
        LightBroker broker = LightBroker.builder().respPort(0).adminPort(0).setting("drain-grace", "5s").start();
        try (AdminClient.Resp client = new AdminClient.Resp(broker.respPort())) {
            AdminEndpointsTest.subscribe(client, "news");
            AdminClient admin = new AdminClient(broker.adminPort());
            assertThat(admin.get("/readyz").statusCode()).isEqualTo(200);

            HttpResponse<String> r = admin.send("POST", "/drain");
            assertThat(r.statusCode()).isEqualTo(202);
            assertThat(AdminClient.parse(r.body()).get("status").asText()).isEqualTo("draining");

            assertThat(broker.ready()).isFalse();
            assertThat(admin.get("/readyz").statusCode()).isEqualTo(503);
            assertThat(admin.get("/healthz").statusCode()).isEqualTo(200);
            assertThat(admin.json("/varz").get("draining").asBoolean()).isTrue();

            assertThat(client.closedByServer()).isTrue();
            broker.drained().get(30, TimeUnit.SECONDS);
            assertThat(broker.drained()).isCompleted();
        } finally {
            broker.close();
        }
    }

    /**
     * A live NATS client and a live Redis client through a drain: the NATS client is told by an
     * INFO with {@code ldm: true} (nats-server's lame-duck notice), what was published before the
     * drain is delivered, and both are closed after the grace period.
     */
    @Test
    void drainSendsLameDuckInfoToNatsClientsAndFlushesWhatWasQueued() throws Exception {
        LightBroker broker = LightBroker.builder().respPort(0).natsPort(0).adminPort(0).setting("drain-grace", "2s").start();
        try (Socket nats = new Socket("127.0.0.1", broker.natsPort());
             AdminClient.Resp redis = new AdminClient.Resp(broker.respPort())) {
            nats.setSoTimeout(10_000);
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(nats.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
            assertThat(in.readLine()).startsWith("INFO {").doesNotContain("\"ldm\"");
            nats.getOutputStream().write("CONNECT {\"verbose\":false}\r\nSUB news.* 1\r\nPING\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("PONG");
            assertThat(redis.call(AdminEndpointsTest.command("PUBLISH", "news.eu", "before"), 4)).isEqualTo(":1\r\n");

            AdminClient admin = new AdminClient(broker.adminPort());
            assertThat(admin.send("POST", "/drain").statusCode()).isEqualTo(202);

            assertThat(in.readLine()).isEqualTo("MSG news.eu 1 6");
            assertThat(in.readLine()).isEqualTo("before");
            String ldm = in.readLine();
            while (ldm != null && ldm.equals("PING")) {
                ldm = in.readLine();
            }
            assertThat(ldm).startsWith("INFO {").contains("\"ldm\":true");
            String rest;
            while ((rest = in.readLine()) != null) {
                assertThat(rest).isIn("PING", "");
            }
            assertThat(redis.closedByServer()).isTrue();
            broker.drained().get(30, TimeUnit.SECONDS);
        } finally {
            broker.close();
        }
    }

    @Test
    void drainEndsAsSoonAsTheLastClientLeaves() throws Exception {
        LightBroker broker = LightBroker.builder().respPort(0).adminPort(-1).setting("drain-grace", "1h").start();
        try {
            AdminClient.Resp client = new AdminClient.Resp(broker.respPort());
            assertThat(client.call(AdminEndpointsTest.command("PING"), 7)).isEqualTo("+PONG\r\n");
            CompletableFuture<Void> drained = broker.drain();
            await().atMost(Duration.ofSeconds(10)).until(() -> !broker.ready());
            assertThat(drained).isNotDone();
            client.close();
            drained.get(30, TimeUnit.SECONDS);
        } finally {
            broker.close();
        }
    }

    @Test
    void drainHooksRunAfterTheListenersClosed() throws Exception {
        LightBroker broker = LightBroker.builder().respPort(0).adminPort(-1).setting("drain-grace", "0s").start();
        int port = broker.respPort();
        CompletableFuture<Boolean> refusedDuringHook = new CompletableFuture<>();
        broker.onDrain(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                refusedDuringHook.complete(false);
            } catch (IOException e) {
                refusedDuringHook.complete(e instanceof ConnectException);
            }
        });
        broker.drain().get(30, TimeUnit.SECONDS);
        assertThat(refusedDuringHook.get(1, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void drainTwiceReturnsTheSameFuture() throws Exception {
        LightBroker broker = LightBroker.builder().respPort(0).adminPort(-1).setting("drain-grace", "0s").start();
        CompletableFuture<Void> first = broker.drain();
        assertThat(broker.drain()).isSameAs(first);
        first.get(30, TimeUnit.SECONDS);
        broker.close();
    }

    @Test
    void closeCompletesTheDrainedFuture() {
        LightBroker broker = LightBroker.builder().respPort(0).adminPort(-1).start();
        broker.close();
        assertThat(broker.drained()).isCompleted();
    }
}
