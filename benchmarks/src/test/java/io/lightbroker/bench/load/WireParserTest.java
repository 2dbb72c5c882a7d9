package io.lightbroker.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The subscriber and publisher-reply parsers, fed whole and split at every byte position the way
 * {@link SubscriberGroup} feeds them: what a parse leaves unconsumed is carried in front of the
 * next read.
 */
class WireParserTest {

    private static byte[] natsStream(int messages, int payloadLen) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("INFO {\"server_id\":\"x\",\"max_payload\":1048576}\r\n"));
        for (int i = 0; i < messages; i++) {
            out.writeBytes(ascii(i % 2 == 0 ? "MSG bench 1 " + payloadLen + "\r\n" : "MSG bench.7.x 12 reply.to " + payloadLen + "\r\n"));
            out.writeBytes(payload(0, i, payloadLen));
            out.writeBytes(ascii("\r\n"));
            if (i == 1) {
                out.writeBytes(ascii("PONG\r\n+OK\r\n"));
            }
        }
        return out.toByteArray();
    }

    private static byte[] respStream(int messages, int payloadLen) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(ascii("*3\r\n$9\r\nsubscribe\r\n$5\r\nbench\r\n:1\r\n"));
        out.writeBytes(ascii("*3\r\n$10\r\npsubscribe\r\n$7\r\nbench.*\r\n:2\r\n"));
        for (int i = 0; i < messages; i++) {
            if (i % 2 == 0) {
                out.writeBytes(ascii("*3\r\n$7\r\nmessage\r\n$5\r\nbench\r\n$" + payloadLen + "\r\n"));
            } else {
                out.writeBytes(ascii("*4\r\n$8\r\npmessage\r\n$7\r\nbench.*\r\n$9\r\nbench.7.x\r\n$" + payloadLen + "\r\n"));
            }
            out.writeBytes(payload(0, i, payloadLen));
            out.writeBytes(ascii("\r\n"));
        }
        return out.toByteArray();
    }

    private static byte[] payload(int publisher, long n, int len) {
        byte[] p = new byte[len];
        Arrays.fill(p, (byte) '\n'); // padding that looks like line ends must not confuse the parser
        Payload.write(p, 0, Payload.seqWord(publisher, n), 42);
        return p;
    }

    /* Parses b in two reads split at `split`, carrying the unconsumed tail as SubscriberGroup does. */
    private static SubConn feed(Wire w, byte[] b, int split) throws IOException {
        SubConn c = new SubConn(null, w, true, 0);
        int used = w.parseSubscriber(b, 0, split, c);
        byte[] second = new byte[split - used + b.length - split];
        System.arraycopy(b, used, second, 0, split - used);
        System.arraycopy(b, split, second, split - used, b.length - split);
        int rest = w.parseSubscriber(second, 0, second.length, c);
        assertThat(rest).as("everything consumed after split at %d", split).isEqualTo(second.length);
        return c;
    }

    @Test
    void natsMessagesSurviveASplitAtEveryByte() throws IOException {
        byte[] b = natsStream(4, 20);
        for (int split = 0; split <= b.length; split++) {
            SubConn c = feed(NatsWire.INSTANCE, b, split);
            assertThat(c.received).as("split at %d", split).isEqualTo(4);
            assertThat(c.outOfOrder + c.gapMessages).isZero();
            assertThat(c.acks).isEqualTo(1);
        }
    }

    @Test
    void respMessagesAndPmessagesSurviveASplitAtEveryByte() throws IOException {
        byte[] b = respStream(4, 20);
        for (int split = 0; split <= b.length; split++) {
            SubConn c = feed(RespWire.INSTANCE, b, split);
            assertThat(c.received).as("split at %d", split).isEqualTo(4);
            assertThat(c.outOfOrder + c.gapMessages).isZero();
            assertThat(c.acks).isEqualTo(2);
        }
    }

    @Test
    void orderCheckCountsGapsAndReorderingPerPublisher() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long[][] seq = {{0, 0}, {1, 0}, {0, 1}, {0, 3}, {0, 2}, {1, 1}};
        for (long[] s : seq) {
            out.writeBytes(ascii("MSG bench 1 16\r\n"));
            out.writeBytes(payload((int) s[0], s[1], 16));
            out.writeBytes(ascii("\r\n"));
        }
        SubConn c = new SubConn(null, NatsWire.INSTANCE, true, 0);
        NatsWire.INSTANCE.parseSubscriber(out.toByteArray(), 0, out.size(), c);

        assertThat(c.received).isEqualTo(6);
        assertThat(c.gapMessages).isEqualTo(1); // publisher 0 jumped from 1 to 3
        assertThat(c.outOfOrder).isEqualTo(1); // then 2 arrived late
    }

    @Test
    void serverErrorsSurfaceWithTheServersText() {
        byte[] nats = ascii("-ERR 'Maximum Connections Exceeded'\r\n");
        byte[] resp = ascii("-ERR max number of clients reached\r\n");
        assertThatThrownBy(() -> NatsWire.INSTANCE.parseSubscriber(nats, 0, nats.length, new SubConn(null, NatsWire.INSTANCE, true, 0)))
                .hasMessageContaining("Maximum Connections Exceeded");
        assertThatThrownBy(() -> RespWire.INSTANCE.parseSubscriber(resp, 0, resp.length, new SubConn(null, RespWire.INSTANCE, true, 0)))
                .hasMessageContaining("max number of clients reached");
    }

    @Test
    void publishHeadersAreTheExactWireFrames() {
        assertThat(new String(NatsWire.INSTANCE.publishHeader("bench", 16), StandardCharsets.US_ASCII))
                .isEqualTo("PUB bench 16\r\n");
        assertThat(new String(RespWire.INSTANCE.publishHeader("bench", 16), StandardCharsets.US_ASCII))
                .isEqualTo("*3\r\n$7\r\nPUBLISH\r\n$5\r\nbench\r\n$16\r\n");
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
