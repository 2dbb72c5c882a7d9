package io.lightbroker.broker.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The well-behaved clients every fault test keeps running while it misbehaves elsewhere: one RESP
 * and one NATS publisher, each numbering its messages ({@code r0000042}, {@code n0000042}), and one
 * RESP and one NATS subscriber, each checking that it gets every number of each publisher exactly
 * once and in order. Both protocols share one subject space, so each subscriber hears both
 * publishers.
 *
 * <p>Publishing runs in a background thread in small pipelined batches, each waited for (RESP
 * replies, a NATS PING/PONG), so the publishers never outrun the broker and a broken publisher
 * connection shows up at once. A test starts it, waits for some messages ({@link #awaitPublished}),
 * runs its fault, and then {@link #finish}es: that lets a further number of messages go out, stops,
 * and checks both subscribers. So every run has messages before, during and after the fault, and
 * no assertion depends on how fast anything is.
 *
 * <p>A payload that is not a sequence number (a fault test's own publish) is kept in
 * {@link Subscriber#others()}, so a test can assert that a half-sent message never arrived and a
 * slowly sent one arrived once.
 */
final class HealthyTraffic implements AutoCloseable {
    static final String SUBJECT = "fault.feed";
    private static final int BATCH = 10;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(20);

    private final int payloadBytes;
    private final long pauseMillis;
    private final Subscriber resp;
    private final Subscriber nats;
    private final Wire respPub;
    private final Wire natsPub;
    private final AtomicLong published = new AtomicLong();
    private volatile long stopAt = Long.MAX_VALUE;
    private volatile Throwable publishFailure;
    private final Thread publisher;

    private HealthyTraffic(LightBroker broker, int payloadBytes, long pauseMillis) throws IOException {
        this.payloadBytes = payloadBytes;
        this.pauseMillis = pauseMillis;
        this.resp = Subscriber.resp(broker.respPort());
        this.nats = Subscriber.nats(broker.natsPort());
        this.respPub = Wire.connect(broker.respPort());
        this.natsPub = Wire.connect(broker.natsPort());
        natsPub.line();
        natsPub.send("CONNECT {\"verbose\":false,\"pedantic\":false}\r\n");
        this.publisher = new Thread(this::publishLoop, "healthy-publisher");
        publisher.setDaemon(true);
    }

    /** Connects the four clients, subscribes, and starts publishing small messages. */
    static HealthyTraffic start(LightBroker broker) throws IOException {
        return start(broker, 0);
    }

    /** As {@link #start(LightBroker)}, each payload padded to {@code payloadBytes} (for tests that need volume). */
    static HealthyTraffic start(LightBroker broker, int payloadBytes) throws IOException {
        return start(broker, payloadBytes, 1);
    }

    /** As {@link #start(LightBroker, int)}, pausing {@code pauseMillis} after each batch of ten (a soak's steady rate). */
    static HealthyTraffic start(LightBroker broker, int payloadBytes, long pauseMillis) throws IOException {
        HealthyTraffic t = new HealthyTraffic(broker, payloadBytes, pauseMillis);
        t.publisher.start();
        return t;
    }

    /** The healthy connections this holds open: two subscribers, two publishers. */
    static int connections() {
        return 4;
    }

    /** Messages each publisher has sent so far. */
    long published() {
        return published.get();
    }

    Subscriber respSubscriber() {
        return resp;
    }

    Subscriber natsSubscriber() {
        return nats;
    }

    /** Blocks until each publisher has sent at least {@code n} messages. */
    void awaitPublished(long n) {
        awaitTrue(() -> published.get() >= n || publishFailure != null, "publishers to reach " + n + " messages");
        rethrowPublishFailure();
    }

    /**
     * Lets each publisher send {@code more} messages beyond what it has sent now, stops them, and
     * asserts that both subscribers got every message of both publishers exactly once, in order.
     */
    void finish(long more) {
        stopAt = published.get() + more;
        try {
            publisher.join(DELIVERY_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        rethrowPublishFailure();
        assertThat(publisher.isAlive()).as("publisher still running after %s", DELIVERY_TIMEOUT).isFalse();
        long total = published.get();
        for (Subscriber s : List.of(resp, nats)) {
            awaitTrue(() -> s.received('r') >= total && s.received('n') >= total || s.failure() != null,
                    s.name + " to receive " + total + " messages from each publisher");
            s.assertInOrder(total);
        }
    }

    private void publishLoop() {
        try {
            long seq = 0;
            while (seq < stopAt) {
                StringBuilder r = new StringBuilder();
                StringBuilder n = new StringBuilder();
                int batch = (int) Math.min(BATCH, stopAt - seq);
                for (int i = 0; i < batch; i++) {
                    String rp = payload('r', seq + i);
                    String np = payload('n', seq + i);
                    r.append("*3\r\n$7\r\nPUBLISH\r\n$").append(SUBJECT.length()).append("\r\n").append(SUBJECT)
                            .append("\r\n$").append(rp.length()).append("\r\n").append(rp).append("\r\n");
                    n.append("PUB ").append(SUBJECT).append(' ').append(np.length()).append("\r\n").append(np).append("\r\n");
                }
                respPub.send(r.toString());
                natsPub.send(n.append("PING\r\n").toString());
                for (int i = 0; i < batch; i++) {
                    String reply = respPub.line();
                    if (!reply.startsWith(":")) {
                        throw new AssertionError("RESP publisher got <" + reply + "> to a PUBLISH");
                    }
                }
                awaitPong(natsPub);
                seq += batch;
                published.set(seq);
                // A steady trickle, not a flood: the faults, not the load, are under test here.
                Thread.sleep(pauseMillis);
            }
        } catch (Throwable t) {
            publishFailure = t;
        }
    }

    static void awaitPong(Wire w) throws IOException {
        while (true) {
            String l = w.line();
            if (l.equals("PONG")) {
                return;
            }
            if (l.equals("PING")) {
                w.send("PONG\r\n");
            } else if (!l.equals("+OK") && !l.startsWith("INFO ")) {
                throw new AssertionError("NATS publisher got <" + l + "> while waiting for PONG");
            }
        }
    }

    private String payload(char source, long seq) {
        String p = String.format("%c%07d", source, seq);
        if (p.length() >= payloadBytes) {
            return p;
        }
        return p + ".".repeat(payloadBytes - p.length());
    }

    private void rethrowPublishFailure() {
        Throwable t = publishFailure;
        if (t != null) {
            throw new AssertionError("healthy publisher failed after " + published.get() + " messages", t);
        }
    }

    static void awaitTrue(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DELIVERY_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + DELIVERY_TIMEOUT + " waiting for " + what);
            }
            try {
                TimeUnit.MILLISECONDS.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }

    /** A fresh RESP and a fresh NATS connection each get an answer: the listeners survived the fault. */
    static void assertAcceptsNewConnections(LightBroker broker) throws IOException {
        try (Wire r = Wire.connect(broker.respPort())) {
            r.send("*1\r\n$4\r\nPING\r\n");
            assertThat(r.line()).isEqualTo("+PONG");
        }
        try (Wire n = Wire.connect(broker.natsPort())) {
            assertThat(n.line()).startsWith("INFO {");
            n.send("CONNECT {\"verbose\":false}\r\nPING\r\n");
            assertThat(n.line()).isEqualTo("PONG");
        }
    }

    @Override
    public void close() {
        stopAt = 0;
        respPub.close();
        natsPub.close();
        resp.close();
        nats.close();
        try {
            publisher.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** One healthy subscriber: a background thread reading its stream and checking the numbers. */
    static final class Subscriber implements AutoCloseable {
        final String name;
        private final Wire wire;
        private final boolean natsProtocol;
        private final AtomicLong nextR = new AtomicLong();
        private final AtomicLong nextN = new AtomicLong();
        private final List<String> violations = new CopyOnWriteArrayList<>();
        private final List<String> others = new CopyOnWriteArrayList<>();
        private volatile Throwable failure;
        private volatile boolean closing;

        private Subscriber(String name, Wire wire, boolean natsProtocol) {
            this.name = name;
            this.wire = wire;
            this.natsProtocol = natsProtocol;
        }

        static Subscriber resp(int port) throws IOException {
            Wire w = Wire.connect(port);
            w.send("*2\r\n$9\r\nSUBSCRIBE\r\n$" + SUBJECT.length() + "\r\n" + SUBJECT + "\r\n");
            List<String> confirm = w.respArray();
            assertThat(confirm).containsExactly("subscribe", SUBJECT, "1");
            return new Subscriber("RESP subscriber", w, false).startReading();
        }

        static Subscriber nats(int port) throws IOException {
            Wire w = Wire.connect(port);
            assertThat(w.line()).startsWith("INFO {");
            w.send("CONNECT {\"verbose\":false,\"pedantic\":false}\r\nSUB " + SUBJECT + " 1\r\nPING\r\n");
            awaitPong(w);
            return new Subscriber("NATS subscriber", w, true).startReading();
        }

        private Subscriber startReading() {
            Thread t = new Thread(this::readLoop, name);
            t.setDaemon(true);
            t.start();
            return this;
        }

        private void readLoop() {
            try {
                while (!closing) {
                    String payload = natsProtocol ? nextNatsPayload() : nextRespPayload();
                    if (payload != null) {
                        accept(payload);
                    }
                }
            } catch (Throwable t) {
                if (!closing) {
                    failure = t;
                }
            }
        }

        private String nextRespPayload() throws IOException {
            List<String> frame = wire.respArray();
            if (frame.size() != 3 || !frame.get(0).equals("message") || !frame.get(1).equals(SUBJECT)) {
                violations.add("unexpected RESP frame " + frame);
                return null;
            }
            return frame.get(2);
        }

        private String nextNatsPayload() throws IOException {
            String l = wire.line();
            if (l.equals("PING")) {
                wire.send("PONG\r\n");
                return null;
            }
            if (l.startsWith("MSG ")) {
                String[] t = l.split(" ");
                if (!t[1].equals(SUBJECT)) {
                    violations.add("MSG on unexpected subject: " + l);
                }
                return wire.counted(Integer.parseInt(t[t.length - 1]));
            }
            if (!l.equals("PONG") && !l.equals("+OK") && !l.startsWith("INFO ")) {
                violations.add("unexpected NATS line <" + l + ">");
            }
            return null;
        }

        private void accept(String payload) {
            char source = payload.isEmpty() ? ' ' : payload.charAt(0);
            if ((source != 'r' && source != 'n') || payload.length() < 8 || !isDigits(payload, 1, 8)) {
                others.add(payload);
                return;
            }
            long seq = Long.parseLong(payload.substring(1, 8));
            AtomicLong next = source == 'r' ? nextR : nextN;
            long expected = next.get();
            if (seq != expected) {
                violations.add("expected " + source + expected + " but got " + source + seq);
            }
            next.set(seq + 1);
        }

        private static boolean isDigits(String s, int from, int to) {
            for (int i = from; i < to; i++) {
                if (!Character.isDigit(s.charAt(i))) {
                    return false;
                }
            }
            return true;
        }

        /** How many sequence messages of {@code source} ('r' or 'n') arrived in order so far. */
        long received(char source) {
            return (source == 'r' ? nextR : nextN).get();
        }

        Throwable failure() {
            return failure;
        }

        /** Payloads that were not sequence numbers, in arrival order. */
        List<String> others() {
            return new ArrayList<>(others);
        }

        void assertInOrder(long total) {
            if (failure != null) {
                throw new AssertionError(name + " stopped reading after r" + nextR.get() + "/n" + nextN.get(), failure);
            }
            assertThat(violations).as("%s: sequence violations", name).isEmpty();
            assertThat(received('r')).as("%s: messages from the RESP publisher", name).isEqualTo(total);
            assertThat(received('n')).as("%s: messages from the NATS publisher", name).isEqualTo(total);
        }

        @Override
        public void close() {
            closing = true;
            wire.close();
        }
    }
}
