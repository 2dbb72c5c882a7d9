package io.lightbroker.broker.fault;

import static io.lightbroker.broker.fault.HealthyTraffic.SUBJECT;
import static io.lightbroker.broker.fault.HealthyTraffic.awaitTrue;
import static io.lightbroker.broker.fault.Misbehaving.registeredClients;
import static io.lightbroker.broker.fault.Misbehaving.send;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.core.ClientInfo;
import io.lightbroker.broker.core.LimitHits.Limit;
import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A subscriber that never reads: the broker holds at most its byte budget for it, then disconnects
 * it as a slow consumer (Redis's {@code client-output-buffer-limit pubsub}, nats-server's
 * {@code max_pending}), while the healthy subscribers of the same subject get every message and
 * the publishers never wait.
 *
 * <p>The healthy payloads are 1 KB here, so the few thousand messages of a run are far more than
 * the budget plus what the kernel's socket buffers can absorb (up to 4 MB of send buffer on
 * loopback): the broker must hold bytes it cannot write.
 */
class NeverReadingSubscriberTest {
    private static final long BUDGET = 256 * 1024;
    /**
     * Pending bytes are read from another thread as two counters (ours and Netty's) while bytes
     * move from one to the other, so a sample may count one aggregation buffer (64 KB) twice.
     */
    private static final long SAMPLE_SLACK = 64 * 1024 + 4 * 1024;
    private static final int PAYLOAD = 1024;

    @Test
    void respSubscriberThatNeverReadsIsDisconnectedAtTheOutputBufferLimit() throws Exception {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).ioThreads(2)
                .setting("resp-output-buffer-hard-limit", Long.toString(BUDGET))
                .setting("resp-output-buffer-soft-limit", "0").start();
             HealthyTraffic healthy = HealthyTraffic.start(b, PAYLOAD);
             Socket stalled = stalledSocket(b.respPort())) {
            send(stalled, "*2\r\n$9\r\nSUBSCRIBE\r\n$" + SUBJECT.length() + "\r\n" + SUBJECT + "\r\n");
            assertDisconnectedWithinBudget(b, healthy, stalled);
        }
    }

    @Test
    void natsSubscriberThatNeverReadsIsDisconnectedAtMaxPending() throws Exception {
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).ioThreads(2)
                .setting("nats-max-pending", Long.toString(BUDGET)).setting("nats-max-payload", "64kb").start();
             HealthyTraffic healthy = HealthyTraffic.start(b, PAYLOAD);
             Socket stalled = stalledSocket(b.natsPort())) {
            // Not even the INFO greeting is read.
            send(stalled, "CONNECT {\"verbose\":false}\r\nSUB " + SUBJECT + " 1\r\n");
            assertDisconnectedWithinBudget(b, healthy, stalled);
        }
    }

    /** A tiny receive window, set before connecting so that the kernel advertises it from the start. */
    private static Socket stalledSocket(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }

    private static void assertDisconnectedWithinBudget(LightBroker b, HealthyTraffic healthy, Socket stalled) throws Exception {
        awaitTrue(() -> b.broker().index().totalSubscriptions() == 3, "the stalled subscription to be in place");
        ClientInfo session = sessionOf(b, stalled);
        AtomicLong maxPending = new AtomicLong();
        long before = b.broker().stats().slowConsumers.sum();
        awaitTrue(() -> {
            maxPending.accumulateAndGet(session.pendingBytes(), Math::max);
            return b.broker().stats().slowConsumers.sum() > before;
        }, "the stalled subscriber to be disconnected as a slow consumer");
        healthy.finish(300);

        assertThat(b.broker().stats().slowConsumers.sum()).isEqualTo(before + 1);
        assertThat(b.broker().stats().limitHits.count(Limit.MAX_PENDING)).isEqualTo(1);
        assertThat(maxPending.get()).as("largest pending bytes seen for the stalled subscriber")
                .isPositive().isLessThanOrEqualTo(BUDGET + SAMPLE_SLACK);
        assertThat(drainsToEnd(stalled)).as("the stalled subscriber's socket is closed by the broker").isTrue();
        awaitTrue(() -> registeredClients(b) == HealthyTraffic.connections(), "the stalled session to be gone");
        assertThat(b.broker().index().totalSubscriptions()).isEqualTo(2);
        HealthyTraffic.assertAcceptsNewConnections(b);
    }

    private static ClientInfo sessionOf(LightBroker b, Socket s) {
        String remote = "127.0.0.1:" + s.getLocalPort();
        return b.broker().clients().all().stream()
                .filter(c -> c.remoteAddress().equals(remote))
                .findFirst().orElseThrow(() -> new AssertionError("no session for " + remote));
    }

    /** Reads what the kernel still holds until the end of the stream (or a reset, which ends it too). */
    private static boolean drainsToEnd(Socket s) throws IOException {
        s.setSoTimeout(10_000);
        InputStream in = s.getInputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            while (in.read(buf) >= 0) {
                // discard: only the end matters
            }
            return true;
        } catch (SocketException reset) {
            return true;
        }
    }
}
