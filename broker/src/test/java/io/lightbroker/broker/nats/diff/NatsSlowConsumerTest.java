package io.lightbroker.broker.nats.diff;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lightbroker.broker.testsupport.EmbeddedNatsBroker;
import io.lightbroker.broker.testsupport.NatsServerOptions;
import io.lightbroker.broker.testsupport.NatsServerProcess;
import io.lightbroker.broker.testsupport.NatsTarget;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A NATS subscriber that stops reading while a publisher sends steadily. Run against the real
 * nats-server and against lightbroker with the same small max_pending: on both, the stalled
 * subscriber is disconnected and counted as a slow consumer, a healthy subscriber of the same
 * subject gets every message in order, and the publisher (which paces itself with PING/PONG, as
 * NATS clients' flush does) completes.
 *
 * <p>The volume (20,000 messages of 1 KB) is far more than max_pending plus what the kernel's
 * socket buffers on both sides can absorb, so the server must hold bytes it cannot write.
 */
class NatsSlowConsumerTest {

    private static final int MESSAGES = 20_000;
    private static final int PAYLOAD = 1024;
    private static final int BATCH = 50;
    // nats-server refuses to start with max_payload above max_pending, so max_payload comes down too.
    private static final NatsServerOptions OPTIONS = NatsServerOptions.of(
            "max_pending", Integer.toString(512 * 1024), "max_payload", Integer.toString(64 * 1024));

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nats-server", "lightbroker"})
    void stalledSubscriberIsDisconnectedWhileHealthySubscriberGetsEveryMessageInOrder(String server) throws Exception {
        NatsServerProcess natsServer = server.equals("nats-server") ? NatsServerProcess.start(OPTIONS, true) : null;
        EmbeddedNatsBroker lightbroker = natsServer == null ? EmbeddedNatsBroker.start(OPTIONS) : null;
        NatsTarget target = natsServer != null ? natsServer : lightbroker;
        try (target;
                Frames slow = Frames.open(target, 4096);
                Frames healthy = Frames.open(target, 0);
                Frames publisher = Frames.open(target, 0)) {
            slow.handshake("SUB data 1\r\n");
            healthy.handshake("SUB data 2\r\n");
            publisher.handshake("");
            CompletableFuture<List<Integer>> healthyReceived = CompletableFuture.supplyAsync(() -> healthy.readSequence(MESSAGES));

            byte[] padding = new byte[PAYLOAD - 8];
            Arrays.fill(padding, (byte) 'x');
            for (int batch = 0; batch < MESSAGES / BATCH; batch++) {
                ByteArrayOutputStream pubs = new ByteArrayOutputStream();
                for (int i = batch * BATCH; i < (batch + 1) * BATCH; i++) {
                    pubs.writeBytes(("PUB data " + PAYLOAD + "\r\n" + String.format("%08d", i)).getBytes(US_ASCII));
                    pubs.writeBytes(padding);
                    pubs.writeBytes("\r\n".getBytes(US_ASCII));
                }
                pubs.writeBytes("PING\r\n".getBytes(US_ASCII));
                publisher.write(pubs.toByteArray());
                publisher.awaitPong();
            }

            List<Integer> got = healthyReceived.get(60, TimeUnit.SECONDS);
            assertThat(got).hasSize(MESSAGES);
            for (int i = 0; i < MESSAGES; i++) {
                if (got.get(i) != i) {
                    throw new AssertionError("healthy subscriber: message " + i + " was " + got.get(i));
                }
            }
            assertThat(slow.drainUntilClosed()).as("the stalled subscriber was disconnected").isTrue();
            assertThat(slowConsumers(natsServer, lightbroker)).isEqualTo(1);
        }
    }

    private static long slowConsumers(NatsServerProcess natsServer, EmbeddedNatsBroker lightbroker) throws Exception {
        if (lightbroker != null) {
            return lightbroker.broker().broker().stats().slowConsumers.sum();
        }
        HttpResponse<String> varz = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + natsServer.monitorPort() + "/varz")).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(varz.body()).get("slow_consumers").asLong();
    }

    /** A blocking raw NATS connection that reads whole frames; enough for one scripted client. */
    private static final class Frames implements AutoCloseable {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;

        private Frames(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        }

        /** {@code receiveBuffer > 0} shrinks the socket's receive buffer, so a stalled reader backs up quickly. */
        static Frames open(NatsTarget target, int receiveBuffer) throws IOException {
            Socket s = new Socket();
            if (receiveBuffer > 0) {
                s.setReceiveBufferSize(receiveBuffer);
            }
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(target.host(), target.port()), 2_000);
            s.setSoTimeout(30_000);
            return new Frames(s);
        }

        void write(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** Reads INFO, sends CONNECT, the given operations and a PING, and waits for the PONG. */
        void handshake(String ops) throws IOException {
            String info = line();
            assertThat(info).startsWith("INFO ");
            write(("CONNECT {\"verbose\":false,\"pedantic\":false}\r\n" + ops + "PING\r\n").getBytes(US_ASCII));
            awaitPong();
        }

        void awaitPong() throws IOException {
            while (true) {
                String l = line();
                if (l.equals("PONG")) {
                    return;
                }
                if (l.equals("PING")) {
                    write("PONG\r\n".getBytes(US_ASCII));
                } else {
                    throw new AssertionError("expected PONG, got " + l);
                }
            }
        }

        /** Reads MSG frames until {@code count} arrived; returns the sequence numbers at the start of each payload. */
        List<Integer> readSequence(int count) {
            List<Integer> seq = new ArrayList<>(count);
            try {
                while (seq.size() < count) {
                    String l = line();
                    if (l.equals("PING")) {
                        write("PONG\r\n".getBytes(US_ASCII));
                        continue;
                    }
                    if (!l.startsWith("MSG ")) {
                        throw new AssertionError("healthy subscriber got '" + l + "' after " + seq.size() + " messages");
                    }
                    byte[] payload = new byte[Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1)) + 2];
                    in.readFully(payload);
                    seq.add(Integer.parseInt(new String(payload, 0, 8, US_ASCII)));
                }
                return seq;
            } catch (IOException e) {
                throw new AssertionError("healthy subscriber lost its connection after " + seq.size() + " messages", e);
            }
        }

        /** Reads and discards whatever was queued; true if the server then closed the connection. */
        boolean drainUntilClosed() {
            byte[] buf = new byte[64 * 1024];
            try {
                while (in.read(buf) >= 0) {
                    // discard
                }
                return true;
            } catch (SocketException reset) {
                return true;
            } catch (IOException stillOpen) {
                return false;
            }
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new EOFException("connection closed after '" + sb + "'");
                }
                if (b == '\n' && sb.length() > 0 && sb.charAt(sb.length() - 1) == '\r') {
                    sb.setLength(sb.length() - 1);
                    return sb.toString();
                }
                sb.append((char) b);
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
