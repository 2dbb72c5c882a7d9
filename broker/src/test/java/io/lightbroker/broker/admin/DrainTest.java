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
