package io.lightbroker.broker.fault;

import static io.lightbroker.broker.fault.HealthyTraffic.SUBJECT;
import static io.lightbroker.broker.fault.Misbehaving.natsPub;
import static io.lightbroker.broker.fault.Misbehaving.readLine;
import static io.lightbroker.broker.fault.Misbehaving.respPublish;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client that sends its command one byte at a time, 50 ms apart, so that every byte arrives in
 * a read of its own: the command runs once, when its last byte is in, and the healthy clients on
 * the same event loops are served between any two of its bytes. A RESP and a NATS trickler run at
 * once.
 */
class TricklingClientTest {
    private static final long BYTE_INTERVAL_MILLIS = 50;

    @Test
    void commandsSentOneByteAtATimeRunOnceAndHoldNobodyUp() throws Exception {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).ioThreads(2).start();
             HealthyTraffic healthy = HealthyTraffic.start(b);
             Socket resp = Misbehaving.open(b.respPort());
             Socket nats = Misbehaving.natsConnected(b.natsPort())) {
            healthy.awaitPublished(50);
            CompletableFuture<Void> respDone = CompletableFuture.runAsync(() ->
                    trickle(resp, respPublish(SUBJECT, "trickled resp"), healthy));
            CompletableFuture<Void> natsDone = CompletableFuture.runAsync(() ->
                    trickle(nats, natsPub(SUBJECT, "trickled nats"), healthy));
            respDone.get(30, TimeUnit.SECONDS);
            natsDone.get(30, TimeUnit.SECONDS);
            Misbehaving.send(resp, "*1\r\n$4\r\nPING\r\n");
            Misbehaving.send(nats, "PING\r\n");

            // Two receivers each: the healthy RESP and NATS subscribers.
            assertThat(readLine(resp)).isEqualTo(":2");
            assertThat(readLine(resp)).isEqualTo("+PONG");
            assertThat(natsReplySkippingPings(nats)).isEqualTo("PONG");
            healthy.finish(300);
            assertThat(healthy.respSubscriber().others()).containsExactlyInAnyOrder("trickled resp", "trickled nats");
            assertThat(healthy.natsSubscriber().others()).containsExactlyInAnyOrder("trickled resp", "trickled nats");
            HealthyTraffic.assertAcceptsNewConnections(b);
        }
    }

    /** The trickle outlasts the broker's first PING (after about 2 s), which may come first. */
    private static String natsReplySkippingPings(Socket s) throws IOException {
        String line;
        do {
            line = readLine(s);
        } while (line.equals("PING"));
        return line;
    }

    /**
     * Sends {@code command} byte by byte. After each byte the healthy publishers must get more
     * messages through before the next one goes: that the half-received command holds nobody up
     * is then shown by the order of events, not by a clock.
     */
    private static void trickle(Socket s, String command, HealthyTraffic healthy) {
        try {
            OutputStream out = s.getOutputStream();
            for (byte x : command.getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(x);
                out.flush();
                Thread.sleep(BYTE_INTERVAL_MILLIS);
                healthy.awaitPublished(healthy.published() + 5);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
