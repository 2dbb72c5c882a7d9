package io.lightbroker.broker.fault;

import static io.lightbroker.broker.fault.HealthyTraffic.SUBJECT;
import static io.lightbroker.broker.fault.HealthyTraffic.awaitTrue;
import static io.lightbroker.broker.fault.Misbehaving.leave;
import static io.lightbroker.broker.fault.Misbehaving.natsPub;
import static io.lightbroker.broker.fault.Misbehaving.registeredClients;
import static io.lightbroker.broker.fault.Misbehaving.respPublish;
import static io.lightbroker.broker.fault.Misbehaving.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.fault.Misbehaving.Exit;
import io.lightbroker.broker.server.LightBroker;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clients that disappear in the middle of a frame, by FIN or by RST: what they half-sent is never
 * executed, their sessions and subscriptions are gone afterwards, and the healthy clients notice
 * nothing. Each command is cut at every byte, so every parser state sees a vanishing client.
 */
class VanishingClientTest {
    private static final String PAYLOAD = "vanished";

    private LightBroker broker;

    @BeforeEach
    void start() {
        // Two loops, so that publishers and receivers sit on different loops and messages cross between them.
        broker = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).ioThreads(2).start();
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void respPublishCutAtEveryByteIsNeverDeliveredAndOthersNoticeNothing() throws Exception {
        String command = respPublish(SUBJECT, PAYLOAD);
        try (HealthyTraffic healthy = HealthyTraffic.start(broker)) {
            healthy.awaitPublished(50);
            for (int cut = 1; cut < command.length(); cut++) {
                Socket s = Misbehaving.open(broker.respPort());
                send(s, command.substring(0, cut));
                leave(s, cut % 2 == 0 ? Exit.CLOSE : Exit.RESET);
            }
            // The control: the whole command and a FIN is executed, so the check below can see a delivery.
            Socket whole = Misbehaving.open(broker.respPort());
            send(whole, command);
            leave(whole, Exit.CLOSE);

            healthy.finish(200);
            assertThat(healthy.respSubscriber().others()).containsExactly(PAYLOAD);
            assertThat(healthy.natsSubscriber().others()).containsExactly(PAYLOAD);
            awaitTrue(() -> registeredClients(broker) == HealthyTraffic.connections(), "the vanished sessions to be gone");
            HealthyTraffic.assertAcceptsNewConnections(broker);
        }
    }

    @Test
    void natsPubCutAtEveryByteIsNeverDeliveredAndOthersNoticeNothing() throws Exception {
        String command = natsPub(SUBJECT, PAYLOAD);
        try (HealthyTraffic healthy = HealthyTraffic.start(broker)) {
            healthy.awaitPublished(50);
            for (int cut = 1; cut < command.length(); cut++) {
                Socket s = Misbehaving.natsConnected(broker.natsPort());
                send(s, command.substring(0, cut));
                leave(s, cut % 2 == 0 ? Exit.CLOSE : Exit.RESET);
            }
            Socket whole = Misbehaving.natsConnected(broker.natsPort());
            send(whole, command);
            leave(whole, Exit.CLOSE);

            healthy.finish(200);
            assertThat(healthy.respSubscriber().others()).containsExactly(PAYLOAD);
            assertThat(healthy.natsSubscriber().others()).containsExactly(PAYLOAD);
            awaitTrue(() -> registeredClients(broker) == HealthyTraffic.connections(), "the vanished sessions to be gone");
            HealthyTraffic.assertAcceptsNewConnections(broker);
        }
    }

    @Test
    void natsPayloadShorterThanAnnouncedThenCloseIsDropped() throws Exception {
        try (HealthyTraffic healthy = HealthyTraffic.start(broker)) {
            healthy.awaitPublished(50);
            for (Exit how : Exit.values()) {
                Socket s = Misbehaving.natsConnected(broker.natsPort());
                send(s, "PUB " + SUBJECT + " 10\r\nabc");
                leave(s, how);
            }
            healthy.finish(200);
            assertThat(healthy.respSubscriber().others()).isEmpty();
            assertThat(healthy.natsSubscriber().others()).isEmpty();
            awaitTrue(() -> registeredClients(broker) == HealthyTraffic.connections(), "the vanished sessions to be gone");
            HealthyTraffic.assertAcceptsNewConnections(broker);
        }
    }

    @Test
    void subscribersResetWhileMessagesFlowToThemLeaveNoSubscriptionBehind() throws Exception {
        try (HealthyTraffic healthy = HealthyTraffic.start(broker)) {
            List<Socket> subscribers = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                Socket r = Misbehaving.open(broker.respPort());
                send(r, "*2\r\n$9\r\nSUBSCRIBE\r\n$" + SUBJECT.length() + "\r\n" + SUBJECT + "\r\n");
                subscribers.add(r);
                Socket n = Misbehaving.natsConnected(broker.natsPort());
                send(n, "SUB " + SUBJECT + " 1\r\nSUB fault.* 2\r\n");
                subscribers.add(n);
            }
            awaitTrue(() -> broker.broker().index().totalSubscriptions() == 2 + 20 * 3, "every subscription to be in place");
            long now = healthy.published();
            healthy.awaitPublished(now + 100);
            for (int i = 0; i < subscribers.size(); i++) {
                leave(subscribers.get(i), (i / 2) % 2 == 0 ? Exit.RESET : Exit.CLOSE);
            }

            healthy.finish(200);
            awaitTrue(() -> registeredClients(broker) == HealthyTraffic.connections(), "the vanished sessions to be gone");
            assertThat(broker.broker().index().totalSubscriptions()).isEqualTo(2);
            HealthyTraffic.assertAcceptsNewConnections(broker);
        }
    }
}
