package io.lightbroker.broker.fault;

import static io.lightbroker.broker.fault.HealthyTraffic.awaitTrue;
import static io.lightbroker.broker.fault.Misbehaving.readLine;
import static io.lightbroker.broker.fault.Misbehaving.registeredClients;
import static io.lightbroker.broker.fault.Misbehaving.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.core.LimitHits.Limit;
import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many more connections than the limit, opened at once from several threads: each one over the
 * limit gets the real server's error text and is closed, exactly as many are admitted as there
 * was room for, every refusal is counted in {@code lightbroker_limit_hits_total}, and the clients
 * within the limit keep working throughout.
 */
class ConnectionFloodTest {
    private static final int BURST = 60;
    private static final int THREADS = 4;
    private static final String REDIS_ERROR = "-ERR max number of clients reached";
    private static final String NATS_ERROR = "-ERR 'maximum connections exceeded'";

    private static LightBroker.Builder broker() {
        return LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).ioThreads(2);
    }

    @Test
    void respBurstAtTheLimitIsRefusedWithRedisErrorWhileOthersKeepWorking() throws Exception {
        // max-clients counts RESP and NATS connections together; the healthy ones fill it.
        try (LightBroker b = broker().setting("max-clients", Integer.toString(HealthyTraffic.connections())).start()) {
            Outcome o;
            try (HealthyTraffic healthy = HealthyTraffic.start(b)) {
                healthy.awaitPublished(50);
                o = burst(refusals -> respAttempt(b.respPort(), refusals));
                healthy.finish(300);
            }
            assertThat(o.admitted).isZero();
            assertThat(o.refusedWith).hasSize(BURST).containsOnly(REDIS_ERROR + "\r\n");
            assertThat(b.broker().stats().limitHits.count(Limit.MAX_CLIENTS)).isEqualTo(BURST);
            assertAcceptsOnceThereIsRoom(b);
        }
    }

    @Test
    void natsBurstAtTheLimitIsRefusedWithNatsServerErrorWhileOthersKeepWorking() throws Exception {
        // Two of the healthy connections are NATS: they fill nats-max-connections.
        try (LightBroker b = broker().setting("nats-max-connections", "2").start()) {
            Outcome o;
            try (HealthyTraffic healthy = HealthyTraffic.start(b)) {
                healthy.awaitPublished(50);
                o = burst(refusals -> natsAttempt(b.natsPort(), refusals));
                healthy.finish(300);
            }
            assertThat(o.admitted).isZero();
            assertThat(o.refusedWith).hasSize(BURST).containsOnly(NATS_ERROR + "\r\n");
            assertThat(b.broker().stats().limitHits.count(Limit.MAX_CONNECTIONS)).isEqualTo(BURST);
            assertAcceptsOnceThereIsRoom(b);
        }
    }

    @Test
    void respBurstAdmitsExactlyTheRoomLeftUnderMaxClients() throws Exception {
        int room = 3;
        try (LightBroker b = broker().setting("max-clients", Integer.toString(HealthyTraffic.connections() + room)).start()) {
            Outcome o;
            try (HealthyTraffic healthy = HealthyTraffic.start(b)) {
                healthy.awaitPublished(50);
                o = burst(refusals -> respAttempt(b.respPort(), refusals));
                healthy.finish(300);
            }
            assertThat(o.admitted).as("connections admitted by a burst with room for %d", room).isEqualTo(room);
            assertThat(o.refusedWith).hasSize(BURST - room).containsOnly(REDIS_ERROR + "\r\n");
            assertThat(b.broker().stats().limitHits.count(Limit.MAX_CLIENTS)).isEqualTo(BURST - room);
            assertAcceptsOnceThereIsRoom(b);
        }
    }

    @Test
    void natsBurstAdmitsExactlyTheRoomLeftUnderMaxConnections() throws Exception {
        int room = 3;
        try (LightBroker b = broker().setting("nats-max-connections", Integer.toString(2 + room)).start()) {
            Outcome o;
            try (HealthyTraffic healthy = HealthyTraffic.start(b)) {
                healthy.awaitPublished(50);
                o = burst(refusals -> natsAttempt(b.natsPort(), refusals));
                healthy.finish(300);
            }
            assertThat(o.admitted).as("connections admitted by a burst with room for %d", room).isEqualTo(room);
            assertThat(o.refusedWith).hasSize(BURST - room).containsOnly(NATS_ERROR + "\r\n");
            assertThat(b.broker().stats().limitHits.count(Limit.MAX_CONNECTIONS)).isEqualTo(BURST - room);
            assertAcceptsOnceThereIsRoom(b);
        }
    }

    /** What the burst saw: how many got in, and what each refused one read before the broker closed it. */
    private record Outcome(int admitted, List<String> refusedWith) {}

    /** One connection attempt: the socket, kept open, when admitted; else null, with what it read added to {@code refusals}. */
    private interface Attempt {
        Socket connect(List<String> refusals) throws IOException;
    }

    private static Outcome burst(Attempt attempt) throws Exception {
        List<String> refused = new CopyOnWriteArrayList<>();
        List<Socket> admitted = new CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < BURST / THREADS; i++) {
                        Socket s = attempt.connect(refused);
                        if (s != null) {
                            admitted.add(s);
                        }
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
            return new Outcome(admitted.size(), new ArrayList<>(refused));
        } finally {
            pool.shutdownNow();
            // Held open until the whole burst is over, so that each admitted one takes up room throughout.
            for (Socket s : admitted) {
                s.close();
            }
        }
    }

    /**
     * Sends PING at once: an admitted client reads +PONG; a refused one reads the error the broker
     * wrote on accepting it, then the close.
     */
    private static Socket respAttempt(int port, List<String> refusals) throws IOException {
        Socket s = Misbehaving.open(port);
        send(s, "*1\r\n$4\r\nPING\r\n");
        String first = readLine(s);
        if (first.equals("+PONG")) {
            return s;
        }
        refusals.add(first + "\r\n" + readToCloseOrReset(s));
        s.close();
        return null;
    }

    /** nats-server sends INFO, then the error, to a connection over max_connections; an admitted one answers PING. */
    private static Socket natsAttempt(int port, List<String> refusals) throws IOException {
        Socket s = Misbehaving.open(port);
        assertThat(readLine(s)).startsWith("INFO {");
        send(s, "CONNECT {\"verbose\":false}\r\nPING\r\n");
        String next = readLine(s);
        if (next.equals("PONG")) {
            return s;
        }
        refusals.add(next + "\r\n" + readToCloseOrReset(s));
        s.close();
        return null;
    }

    /**
     * What else arrives before the broker closes. Our PING may still be unread on the broker's side
     * when it closes, and Linux then sends a reset instead of a FIN; either ends the connection.
     */
    private static String readToCloseOrReset(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        byte[] buf = new byte[1024];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                b.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
            }
        } catch (SocketException reset) {
            // closed, as expected
        }
        return b.toString();
    }

    /** Once the healthy and burst connections are gone, a new client of each protocol is served. */
    private static void assertAcceptsOnceThereIsRoom(LightBroker b) throws IOException {
        awaitTrue(() -> registeredClients(b) == 0, "every connection to be gone");
        HealthyTraffic.assertAcceptsNewConnections(b);
    }
}
