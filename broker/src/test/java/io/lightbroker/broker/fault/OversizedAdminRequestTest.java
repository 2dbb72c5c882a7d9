package io.lightbroker.broker.fault;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Requests to the admin port that are too big in each part an HTTP server bounds: the request
 * line, one header, all headers, the body (announced, chunked, or claimed and never sent). Each
 * gets the matching error status, the admin API then still answers {@code GET /healthz}, and the
 * message traffic on the other ports never notices.
 */
class OversizedAdminRequestTest {
    private static final int HUGE = 64 * 1024;

    private LightBroker broker;
    private HealthyTraffic healthy;

    @BeforeEach
    void start() throws IOException {
        broker = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).adminPort(0).ioThreads(2).start();
        healthy = HealthyTraffic.start(broker);
        healthy.awaitPublished(50);
    }

    @AfterEach
    void stop() {
        healthy.close();
        broker.close();
    }

    @Test
    void hugeRequestLineIsAnswered414() throws Exception {
        assertThat(exchange("GET /" + "a".repeat(HUGE) + " HTTP/1.1\r\nHost: x\r\n\r\n")).startsWith("HTTP/1.1 414 ");
        assertStillServing();
    }

    @Test
    void hugeHeaderIsAnswered431() throws Exception {
        assertThat(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(HUGE) + "\r\n\r\n"))
                .startsWith("HTTP/1.1 431 ");
        assertStillServing();
    }

    @Test
    void tooManyHeadersAreAnswered431() throws Exception {
        StringBuilder many = new StringBuilder("GET /healthz HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 4000; i++) {
            many.append("X-H").append(i).append(": v\r\n");
        }
        assertThat(exchange(many.append("\r\n").toString())).startsWith("HTTP/1.1 431 ");
        assertStillServing();
    }

    @Test
    void bigBodyIsAnswered413() throws Exception {
        int length = 1024 * 1024;
        assertThat(exchange("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: " + length + "\r\n\r\n" + "c".repeat(length)))
                .startsWith("HTTP/1.1 413 ");
        assertStillServing();
    }

    @Test
    void bigChunkedBodyIsAnswered413() throws Exception {
        StringBuilder chunked = new StringBuilder("POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
        String chunk = "d".repeat(16 * 1024);
        for (int i = 0; i < 64; i++) {
            chunked.append(Integer.toHexString(chunk.length())).append("\r\n").append(chunk).append("\r\n");
        }
        assertThat(exchange(chunked.append("0\r\n\r\n").toString())).startsWith("HTTP/1.1 413 ");
        assertStillServing();
    }

    @Test
    void bodyClaimedHugeButNeverSentIsAnswered413AtOnce() throws Exception {
        assertThat(exchange("POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000000\r\n\r\n")).startsWith("HTTP/1.1 413 ");
        assertStillServing();
    }

    /** The admin API answers probes, and every healthy message arrived while it was abused. */
    private void assertStillServing() throws IOException {
        assertThat(exchange("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).startsWith("HTTP/1.1 200 ");
        healthy.finish(200);
        HealthyTraffic.assertAcceptsNewConnections(broker);
    }

    /**
     * Sends a request on a new connection and returns the response's status line, or "" when the
     * server closed without answering. A server may answer and close before it has read all of a
     * big request; then the rest of our write fails, and the answer is still there to read.
     */
    private String exchange(String request) throws IOException {
        try (Socket s = Misbehaving.open(broker.adminPort())) {
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (SocketException closedEarly) {
                // read what was answered before the close
            }
            return statusLine(s.getInputStream());
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                b.append((char) c);
            }
        } catch (SocketException reset) {
            // a reset ends the answer like a close
        }
        return b.toString().strip();
    }
}
