package io.lightbroker.broker.resp;

import static io.lightbroker.broker.resp.RawConnection.cmd;
import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Causal order across publishers, as Redis keeps it: once PUBLISH a has been answered, a PUBLISH b
 * sent afterwards by another client reaches a subscriber after a. With two event loops the
 * subscriber shares a loop with one publisher and not the other, so a arrives through the other
 * loop's queue while b is delivered on the subscriber's own loop; b must not overtake a.
 */
class CrossLoopOrderTest {

    @Test
    void aMessagePublishedAfterAnotherWasAnsweredArrivesAfterIt() throws Exception {
        int rounds = 3000;
        try (LightBroker b = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(-1).adminPort(-1).ioThreads(2).start();
             Socket sub = new Socket("127.0.0.1", b.respPort());
             RawConnection p1 = new RawConnection(b.respPort());
             RawConnection p2 = new RawConnection(b.respPort())) {
            sub.setTcpNoDelay(true);
            sub.getOutputStream().write(cmd("SUBSCRIBE", "ch").getBytes(StandardCharsets.US_ASCII));
            InputStream in = sub.getInputStream();
            String confirm = "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n";
            assertThat(new String(in.readNBytes(confirm.length()), StandardCharsets.US_ASCII)).isEqualTo(confirm);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < rounds; i++) {
                String x = "x" + i;
                String y = "y" + i;
                p1.send(cmd("PUBLISH", "ch", x));
                assertThat(p1.readExpected(":1\r\n")).isEqualTo(":1\r\n");
                p2.send(cmd("PUBLISH", "ch", y));
                assertThat(p2.readExpected(":1\r\n")).isEqualTo(":1\r\n");
                expected.add(x);
                expected.add(y);
            }
            List<String> got = new ArrayList<>();
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            // Each message frame: *3 $7 message $2 ch $<n> payload.
            while (got.size() < expected.size()) {
                assertThat(List.of(readLine(in, buf), readLine(in, buf), readLine(in, buf), readLine(in, buf), readLine(in, buf)))
                        .containsExactly("*3", "$7", "message", "$2", "ch");
                readLine(in, buf);
                got.add(readLine(in, buf));
            }
            assertThat(got).containsExactlyElementsOf(expected);
        }
    }

    private static String readLine(InputStream in, ByteArrayOutputStream buf) throws java.io.IOException {
        buf.reset();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] b = buf.toByteArray();
                return new String(b, 0, b.length - 1, StandardCharsets.US_ASCII);
            }
            buf.write(c);
        }
        throw new java.io.EOFException();
    }
}
