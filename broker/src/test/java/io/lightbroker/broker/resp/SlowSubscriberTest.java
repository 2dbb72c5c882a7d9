package io.lightbroker.broker.resp;

import static io.lightbroker.broker.resp.RawConnection.cmd;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lightbroker.broker.server.LightBroker;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One subscriber stops reading: it is disconnected at the output-buffer limit, while the
 * publisher completes every publish and the healthy subscriber receives every message in order.
 */
class SlowSubscriberTest {
    private static final int MESSAGES = 30_000;
    private static final int PAYLOAD = 1024;
    private static final int WINDOW = 100;

    @Test
    void slowSubscriberIsDisconnectedAndNobodyElseNotices() throws Exception {
        try (LightBroker broker = LightBroker.builder().bind("127.0.0.1").respPort(0)
                .setting("resp-output-buffer-hard-limit", "4mb")
                .setting("resp-output-buffer-soft-limit", "0")
                .start();
             RawConnection slow = new RawConnection(broker.respPort(), 4096);
             RawConnection fast = new RawConnection(broker.respPort());
             RawConnection pub = new RawConnection(broker.respPort())) {
            slow.send(cmd("SUBSCRIBE", "feed"));
            slow.readExpected("*3\r\n$9\r\nsubscribe\r\n$4\r\nfeed\r\n:1\r\n");
            fast.send(cmd("SUBSCRIBE", "feed"));
            fast.readExpected("*3\r\n$9\r\nsubscribe\r\n$4\r\nfeed\r\n:2\r\n");

            CompletableFuture<Integer> received = CompletableFuture.supplyAsync(() -> readInOrder(fast));

            StringBuilder pad = new StringBuilder();
            while (pad.length() < PAYLOAD - 8) {
                pad.append('x');
            }
            // The publisher behaves like a real client: at most WINDOW publishes awaiting replies.
            DataInputStream replies = new DataInputStream(new BufferedInputStream(pub.socket.getInputStream()));
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < MESSAGES; i++) {
                batch.append(cmd("PUBLISH", "feed", String.format("%08d", i) + pad));
                if ((i + 1) % WINDOW == 0 || i == MESSAGES - 1) {
                    pub.send(batch.toString());
                    batch.setLength(0);
                    int outstanding = (i % WINDOW) + 1;
                    for (int r = 0; r < outstanding; r++) {
                        assertThat((char) replies.readByte()).isEqualTo(':');
                        while (replies.readByte() != '\n') {
                            // the receiver count drops to 1 once the slow subscriber is gone
                        }
                    }
                }
            }

            assertThat(received.get(60, TimeUnit.SECONDS)).isEqualTo(MESSAGES);
            assertThat(broker.broker().stats().slowConsumers.sum()).isEqualTo(1);
            slow.socket.setSoTimeout(10_000);
            await().atMost(Duration.ofSeconds(30)).until(() -> drainedToEof(slow.socket.getInputStream()));
        }
    }

    private static boolean drainedToEof(InputStream in) throws IOException {
        byte[] buf = new byte[65536];
        while (true) {
            int n = in.read(buf);
            if (n < 0) {
                return true;
            }
        }
    }

    /** Reads {@code message} frames and checks the sequence numbers; returns how many arrived. */
    private static Integer readInOrder(RawConnection c) {
        try {
            DataInputStream in = new DataInputStream(new BufferedInputStream(c.socket.getInputStream(), 65536));
            c.socket.setSoTimeout(30_000);
            String header = "*3\r\n$7\r\nmessage\r\n$4\r\nfeed\r\n$" + PAYLOAD + "\r\n";
            byte[] h = new byte[header.length()];
            byte[] payload = new byte[PAYLOAD + 2];
            for (int i = 0; i < MESSAGES; i++) {
                in.readFully(h);
                assertThat(new String(h, StandardCharsets.ISO_8859_1)).isEqualTo(header);
                in.readFully(payload);
                int seq = Integer.parseInt(new String(payload, 0, 8, StandardCharsets.ISO_8859_1));
                assertThat(seq).isEqualTo(i);
            }
            return MESSAGES;
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }
}
