package io.lightbroker.nats.leaf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hub's side of the leaf protocol, with the frames nats-server 2.9.10 sent a raw leaf on this
 * machine (recorded in docs/leaf-nodes.md), each also fed split at every byte position.
 */
class LeafParserTest {
    private static final String CONVERSATION = "INFO {\"server_id\":\"N1\",\"headers\":true,\"connect_info\":true}\r\n"
            + "LS+ work q1 1\r\nLS+ $LDS.CCJ3MGKlQnbeNjvvnrJklX\r\nLS+ foo\r\nLS+ bar.*\r\nPONG\r\nPING\r\n"
            + "LS+ work q1 2\r\nLS- baz\r\nLS- work q1\r\n"
            + "LMSG news 5\r\nhello\r\n"
            + "LMSG news reply.1 5\r\nhello\r\n"
            + "HMSG news 20 25\r\nNATS/1.0\r\nX-A: 1\r\n\r\nhello\r\n"
            + "HMSG news reply.2 20 25\r\nNATS/1.0\r\nX-A: 1\r\n\r\nhello\r\n"
            + "LMSG work | q1 2\r\nw4\r\n"
            + "LMSG work + rw q1 q2 2\r\nw5\r\n"
            + "LMSG empty 0\r\n\r\n"
            + "-ERR 'Stale Connection'\r\n";

    private static final List<String> EXPECTED = List.of(
            "info {\"server_id\":\"N1\",\"headers\":true,\"connect_info\":true}",
            "+ work q1 1", "+ $LDS.CCJ3MGKlQnbeNjvvnrJklX null 0", "+ foo null 0", "+ bar.* null 0", "pong", "ping",
            "+ work q1 2", "- baz null 0", "- work q1 0",
            "msg news reply= queues=null hdr=0 [hello]",
            "msg news reply=reply.1 queues=null hdr=0 [hello]",
            "msg news reply= queues=null hdr=20 [NATS/1.0\r\nX-A: 1\r\n\r\nhello]",
            "msg news reply=reply.2 queues=null hdr=20 [NATS/1.0\r\nX-A: 1\r\n\r\nhello]",
            "msg work reply= queues=[q1] hdr=0 [w4]",
            "msg work reply=rw queues=[q1, q2] hdr=0 [w5]",
            "msg empty reply= queues=null hdr=0 []",
            "err Stale Connection");

    static final class Recorder implements LeafParser.Handler {
        final List<String> events = new ArrayList<>();

        @Override
        public void info(String json) {
            events.add("info " + json);
        }

        @Override
        public void interest(boolean add, String subject, String queue, int weight) {
            events.add((add ? "+ " : "- ") + subject + " " + queue + " " + weight);
        }

        @Override
        public void message(ByteBuf buf, int so, int sl, int ro, int rl, List<String> queues, int mo, int hdr, int total) {
            events.add("msg " + buf.toString(so, sl, StandardCharsets.UTF_8) + " reply=" + buf.toString(ro, rl, StandardCharsets.UTF_8)
                    + " queues=" + queues + " hdr=" + hdr + " [" + buf.toString(mo, total, StandardCharsets.UTF_8) + "]");
        }

        @Override
        public void ping() {
            events.add("ping");
        }

        @Override
        public void pong() {
            events.add("pong");
        }

        @Override
        public void ok() {
            events.add("ok");
        }

        @Override
        public void err(String text) {
            events.add("err " + text);
        }
    }

    private static List<String> parseInPieces(byte[] bytes, int... cuts) {
        LeafParser p = new LeafParser(4096, 1 << 20);
        Recorder r = new Recorder();
        ByteBuf acc = Unpooled.buffer();
        int from = 0;
        List<Integer> points = new ArrayList<>();
        for (int c : cuts) {
            points.add(c);
        }
        points.add(bytes.length);
        for (int to : points) {
            acc.writeBytes(bytes, from, to - from);
            p.parse(acc, r);
            acc.discardReadBytes();
            from = to;
        }
        assertThat(acc.readableBytes()).isZero();
        return r.events;
    }

    @Test
    void parsesEveryFrameNatsServerSendsALeaf() {
        assertThat(parseInPieces(CONVERSATION.getBytes(StandardCharsets.UTF_8))).containsExactlyElementsOf(EXPECTED);
    }

    @Test
    void givesTheSameFramesWhenTheBytesArriveSplitAtAnyPosition() {
        byte[] bytes = CONVERSATION.getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            assertThat(parseInPieces(bytes, cut)).as("split at %d", cut).containsExactlyElementsOf(EXPECTED);
        }
    }

    @Test
    void rejectsMalformedAndOversizedFrames() {
        LeafParser p = new LeafParser(64, 16);
        Recorder r = new Recorder();
        assertThatThrownBy(() -> p.parse(Unpooled.copiedBuffer("FOO bar\r\n", StandardCharsets.US_ASCII), r))
                .isInstanceOf(LeafProtocolException.class).hasMessage("Unknown Protocol Operation");
        assertThatThrownBy(() -> p.parse(Unpooled.copiedBuffer("LMSG big 17\r\n", StandardCharsets.US_ASCII), r))
                .isInstanceOf(LeafProtocolException.class).hasMessage("Maximum Payload Violation");
        assertThatThrownBy(() -> p.parse(Unpooled.copiedBuffer("LMSG x xx q 1\r\na\r\n", StandardCharsets.US_ASCII), r))
                .isInstanceOf(LeafProtocolException.class);
        assertThatThrownBy(() -> p.parse(Unpooled.copiedBuffer("LS+ a b\r\n", StandardCharsets.US_ASCII), r))
                .isInstanceOf(LeafProtocolException.class);
        assertThatThrownBy(() -> p.parse(Unpooled.copiedBuffer("LMSG a 1\r\nab\r\n", StandardCharsets.US_ASCII), r))
                .isInstanceOf(LeafProtocolException.class);
        assertThatThrownBy(() -> p.parse(Unpooled.copiedBuffer("LS+ " + "x".repeat(100), StandardCharsets.US_ASCII), r))
                .isInstanceOf(LeafProtocolException.class).hasMessage("Maximum Control Line Exceeded");
    }

    @Test
    void encodesMessagesInTheFormsTheHubAccepts() {
        ByteBuf s = Unpooled.copiedBuffer("work", StandardCharsets.US_ASCII);
        ByteBuf reply = Unpooled.copiedBuffer("rw", StandardCharsets.US_ASCII);
        ByteBuf msg = Unpooled.copiedBuffer("NATS/1.0\r\nX-A: 1\r\n\r\nhello", StandardCharsets.US_ASCII);
        byte[][] q = {"q1".getBytes(StandardCharsets.US_ASCII), "q2".getBytes(StandardCharsets.US_ASCII)};
        assertThat(encode(s, null, 0, q, 0, msg, 20, 0)).isEqualTo("LMSG work 5\r\nhello\r\n");
        assertThat(encode(s, reply, 2, q, 0, msg, 20, 0)).isEqualTo("LMSG work rw 5\r\nhello\r\n");
        assertThat(encode(s, null, 0, q, 1, msg, 20, 0)).isEqualTo("LMSG work | q1 5\r\nhello\r\n");
        assertThat(encode(s, reply, 2, q, 2, msg, 20, 0)).isEqualTo("LMSG work + rw q1 q2 5\r\nhello\r\n");
        assertThat(encode(s, reply, 2, q, 0, msg, 0, 20)).isEqualTo("HMSG work rw 20 25\r\nNATS/1.0\r\nX-A: 1\r\n\r\nhello\r\n");
        assertThat(encode(s, null, 0, q, 1, msg, 0, 20)).isEqualTo("HMSG work | q1 20 25\r\nNATS/1.0\r\nX-A: 1\r\n\r\nhello\r\n");
    }

    private static String encode(ByteBuf s, ByteBuf reply, int rl, byte[][] q, int qc, ByteBuf msg, int skip, int hdr) {
        ByteBuf out = Unpooled.buffer();
        LeafEncoder.message(out, s, 0, s.readableBytes(), reply, 0, rl, q, qc, msg, skip, hdr, msg.readableBytes() - skip);
        assertThat(out.readableBytes()).isEqualTo(LeafEncoder.size(s.readableBytes(), rl, q, qc, hdr, msg.readableBytes() - skip));
        return out.toString(StandardCharsets.US_ASCII);
    }
}
