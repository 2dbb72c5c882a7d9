package io.lightbroker.broker.fault;

import static io.lightbroker.broker.fault.HealthyTraffic.SUBJECT;
import static io.lightbroker.broker.fault.HealthyTraffic.awaitTrue;
import static io.lightbroker.broker.fault.Misbehaving.natsPub;
import static io.lightbroker.broker.fault.Misbehaving.registeredClients;
import static io.lightbroker.broker.fault.Misbehaving.respPublish;
import static io.lightbroker.broker.fault.Misbehaving.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.core.LimitHits.Limit;
import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Connections that are open but say nothing, or stopped sending (shutdownOutput, a FIN with the
 * socket still reading). Redis keeps a silent client (its {@code timeout} is 0 by default) and
 * closes a client whose input ended once it has answered what came before; nats-server drops a
 * client that stops answering its PINGs as a stale connection.
 */
class HalfOpenConnectionTest {
    private static final int SILENT = 30;

    private static LightBroker.Builder broker() {
        return LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).ioThreads(2);
    }

    @Test
    void silentRespClientsStayOpenAndCostTheOthersNothing() throws Exception {
        List<Socket> silent = new ArrayList<>();
        try (LightBroker b = broker().start();
             HealthyTraffic healthy = HealthyTraffic.start(b)) {
            try {
                healthy.awaitPublished(50);
                for (int i = 0; i < SILENT; i++) {
                    silent.add(Misbehaving.open(b.respPort()));
                }
                awaitTrue(() -> registeredClients(b) == HealthyTraffic.connections() + SILENT, "the silent clients to be registered");
                healthy.finish(300);
                assertThat(registeredClients(b)).isEqualTo(HealthyTraffic.connections() + SILENT);
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
            awaitTrue(() -> registeredClients(b) == HealthyTraffic.connections(), "the silent clients to be gone once closed");
            HealthyTraffic.assertAcceptsNewConnections(b);
        }
    }

    @Test
    void silentNatsClientsAreDroppedAsStaleWhileHealthyOnesAnswerPings() throws Exception {
        List<Socket> silent = new ArrayList<>();
        try (LightBroker b = broker().setting("nats-ping-interval", "200ms").setting("nats-ping-max", "2").start();
             HealthyTraffic healthy = HealthyTraffic.start(b)) {
            try {
                healthy.awaitPublished(50);
                for (int i = 0; i < SILENT; i++) {
                    silent.add(Misbehaving.open(b.natsPort()));
                }
                // Never read before the end: the broker must not need the client to read in order to drop it.
                for (Socket s : silent) {
                    String rest = readToEnd(s);
                    assertThat(rest).startsWith("INFO {").endsWith("PING\r\nPING\r\n-ERR 'Stale Connection'\r\n");
                }
                // Counted before finish(): once the healthy publisher stops it stops answering PINGs too.
                assertThat(b.broker().stats().limitHits.count(Limit.STALE_CONNECTION)).isEqualTo(SILENT);
                healthy.finish(300);
            } finally {
                for (Socket s : silent) {
                    s.close();
                }
            }
            awaitTrue(() -> registeredClients(b) == HealthyTraffic.connections(), "the stale clients to be gone");
            HealthyTraffic.assertAcceptsNewConnections(b);
        }
    }

    @Test
    void halfClosedClientsGetTheirLastRepliesThenAreClosed() throws Exception {
        try (LightBroker b = broker().start();
             HealthyTraffic healthy = HealthyTraffic.start(b)) {
            healthy.awaitPublished(50);
            try (Socket r = Misbehaving.open(b.respPort());
                 Socket n = Misbehaving.natsConnected(b.natsPort())) {
                send(r, respPublish(SUBJECT, "half-closed resp") + "*1\r\n$4\r\nPING\r\n");
                r.shutdownOutput();
                send(n, natsPub(SUBJECT, "half-closed nats") + "PING\r\n");
                n.shutdownOutput();

                // Two receivers: the healthy RESP and NATS subscribers.
                assertThat(readToEnd(r)).isEqualTo(":2\r\n+PONG\r\n");
                assertThat(readToEnd(n)).isEqualTo("PONG\r\n");
            }
            healthy.finish(300);
            assertThat(healthy.respSubscriber().others()).containsExactlyInAnyOrder("half-closed resp", "half-closed nats");
            assertThat(healthy.natsSubscriber().others()).containsExactlyInAnyOrder("half-closed resp", "half-closed nats");
            awaitTrue(() -> registeredClients(b) == HealthyTraffic.connections(), "the half-closed clients to be gone");
            HealthyTraffic.assertAcceptsNewConnections(b);
        }
    }

    @Test
    void halfClosedSubscribersLoseTheirSubscriptions() throws Exception {
        try (LightBroker b = broker().start();
             HealthyTraffic healthy = HealthyTraffic.start(b)) {
            healthy.awaitPublished(50);
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 10; i++) {
                    Socket r = Misbehaving.open(b.respPort());
                    send(r, "*2\r\n$9\r\nSUBSCRIBE\r\n$" + SUBJECT.length() + "\r\n" + SUBJECT + "\r\n");
                    clients.add(r);
                    Socket n = Misbehaving.natsConnected(b.natsPort());
                    send(n, "SUB " + SUBJECT + " 1\r\nPING\r\n");
                    clients.add(n);
                }
                awaitTrue(() -> b.broker().index().totalSubscriptions() == 2 + 20, "every subscription to be in place");
                for (Socket s : clients) {
                    s.shutdownOutput();
                }
                for (Socket s : clients) {
                    readToEnd(s);
                }
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
            healthy.finish(300);
            awaitTrue(() -> registeredClients(b) == HealthyTraffic.connections(), "the half-closed clients to be gone");
            assertThat(b.broker().index().totalSubscriptions()).isEqualTo(2);
            HealthyTraffic.assertAcceptsNewConnections(b);
        }
    }

    /** Everything until the broker closes; fails if it keeps the connection open past the socket timeout. */
    private static String readToEnd(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder b = new StringBuilder();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            b.append(new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1));
        }
        return b.toString();
    }
}
