package io.lightbroker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Exact bytes of every frame, as nats-server 2.9.10 sent them over a raw socket. */
class NatsEncoderTest {

    private static final byte[] SID = "7".getBytes(StandardCharsets.US_ASCII);

    private static String encode(Consumer<ByteBuf> writer) {
        ByteBuf out = PooledByteBufAllocator.DEFAULT.buffer(4);
        try {
            writer.accept(out);
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            out.release();
        }
    }

    private static ByteBuf buf(String s) {
        return Unpooled.wrappedBuffer(("__" + s).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void simpleControlFrames() {
        assertThat(encode(NatsEncoder::ok)).isEqualTo("+OK\r\n");
        assertThat(encode(NatsEncoder::ping)).isEqualTo("PING\r\n");
        assertThat(encode(NatsEncoder::pong)).isEqualTo("PONG\r\n");
        assertThat(encode(NatsEncoder::crlf)).isEqualTo("\r\n");
    }

    @Test
    void errQuotesTheTextAsNatsServerDoes() {
        assertThat(encode(out -> NatsEncoder.err(out, NatsErrors.UNKNOWN_PROTOCOL_OPERATION)))
            .isEqualTo("-ERR 'Unknown Protocol Operation'\r\n");
        assertThat(encode(out -> NatsEncoder.err(out, NatsErrors.MAXIMUM_CONTROL_LINE_EXCEEDED)))
            .isEqualTo("-ERR 'maximum control line exceeded'\r\n");
    }

    @Test
    void infoWrapsTheJson() {
        assertThat(encode(out -> NatsEncoder.info(out, "{\"server_id\":\"x\",\"max_payload\":1048576}")))
            .isEqualTo("INFO {\"server_id\":\"x\",\"max_payload\":1048576} \r\n");
        assertThat(encode(out -> NatsEncoder.info(out, "{}".getBytes(StandardCharsets.US_ASCII))))
            .isEqualTo("INFO {} \r\n");
    }

    @Test
    void msgWithoutReply() {
        // nats-server: SUB a 1 / PUB a 2 hi -> "MSG a 1 2\r\nhi\r\n"
        ByteBuf subject = buf("foo.bar");
        ByteBuf payload = buf("hello");
        assertThat(encode(out -> NatsEncoder.msg(out, subject, 2, 7, SID, null, 0, 0, payload, 2, 5)))
            .isEqualTo("MSG foo.bar 7 5\r\nhello\r\n");
    }

    @Test
    void msgWithReply() {
        // nats-server: PUB in.1 r 2 hi -> "MSG in.1 7 r 2\r\nhi\r\n"
        ByteBuf subject = buf("in.1");
        ByteBuf reply = buf("r");
        ByteBuf payload = buf("hi");
        assertThat(encode(out -> NatsEncoder.msg(out, subject, 2, 4, SID, reply, 2, 1, payload, 2, 2)))
            .isEqualTo("MSG in.1 7 r 2\r\nhi\r\n");
    }

    @Test
    void msgWithEmptyPayload() {
        ByteBuf subject = buf("a");
        assertThat(encode(out -> NatsEncoder.msg(out, subject, 2, 1, SID, null, 0, 0, Unpooled.EMPTY_BUFFER, 0, 0)))
            .isEqualTo("MSG a 7 0\r\n\r\n");
    }

    @Test
    void msgHeaderWritesOnlyTheControlLine() {
        ByteBuf subject = buf("a");
        ByteBuf reply = buf("_INBOX.x");
        assertThat(encode(out -> NatsEncoder.msgHeader(out, subject, 2, 1, "sid-22".getBytes(StandardCharsets.US_ASCII),
            reply, 2, 8, 1048576))).isEqualTo("MSG a sid-22 _INBOX.x 1048576\r\n");
    }

    @Test
    void hmsgCarriesHeaderAndTotalSizes() {
        // nats-server: HPUB in.1 12 14 -> "HMSG in.1 7 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"
        ByteBuf subject = buf("in.1");
        ByteBuf message = buf("NATS/1.0\r\n\r\nhi");
        assertThat(encode(out -> NatsEncoder.hmsg(out, subject, 2, 4, SID, null, 0, 0, message, 2, 12, 14)))
            .isEqualTo("HMSG in.1 7 12 14\r\nNATS/1.0\r\n\r\nhi\r\n");
        ByteBuf reply = buf("r.1");
        assertThat(encode(out -> NatsEncoder.hmsgHeader(out, subject, 2, 4, SID, reply, 2, 3, 12, 14)))
            .isEqualTo("HMSG in.1 7 r.1 12 14\r\n");
    }

    @Test
    void noRespondersIsAnHmsgToTheReplySubjectWithStatus503() {
        // nats-server: CONNECT {"headers":true,"no_responders":true}, SUB in.1 7, PUB nobody in.1 2
        //   -> "HMSG in.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n"
        ByteBuf reply = buf("in.1");
        assertThat(encode(out -> NatsEncoder.noResponders(out, reply, 2, 4, SID)))
            .isEqualTo("HMSG in.1 7 16 16\r\nNATS/1.0 503\r\n\r\n\r\n");
    }

    @Test
    void decimalsAreWrittenDigitByDigit() {
        for (int v : new int[] {0, 9, 10, 99, 100, 4096, 1048576, 999999999, Integer.MAX_VALUE}) {
            assertThat(encode(out -> NatsEncoder.writeDecimal(out, v))).isEqualTo(Integer.toString(v));
        }
    }
    @Test
    void headSidControlPayloadIsTheWholeFrameWithAndWithoutReplyAndHeaders() {
        ByteBuf subject = buf("orders.eu");
        ByteBuf reply = buf("_INBOX.x");
        ByteBuf message = buf("NATS/1.0\r\nA: b\r\n\r\npayload");
        int hdr = "NATS/1.0\r\nA: b\r\n\r\n".length();
        int total = hdr + "payload".length();
        byte[] sid = "123".getBytes(StandardCharsets.US_ASCII);
        for (int rl : new int[] {0, 8}) {
            assertThat(encode(out -> {
                NatsEncoder.frameHead(out, false, subject, 2, 9);
                out.writeBytes(sid);
                NatsEncoder.msgControl(out, reply, 2, rl, total - hdr);
                out.writeBytes(message, 2 + hdr, total - hdr);
                NatsEncoder.crlf(out);
            })).isEqualTo(encode(out -> NatsEncoder.msg(out, subject, 2, 9, sid, reply, 2, rl, message, 2 + hdr, total - hdr)));
            assertThat(encode(out -> {
                NatsEncoder.frameHead(out, true, subject, 2, 9);
                out.writeBytes(sid);
                NatsEncoder.hmsgControl(out, reply, 2, rl, hdr, total);
                out.writeBytes(message, 2, total);
                NatsEncoder.crlf(out);
            })).isEqualTo(encode(out -> NatsEncoder.hmsg(out, subject, 2, 9, sid, reply, 2, rl, message, 2, hdr, total)));
        }
        assertThat(encode(out -> {
            NatsEncoder.frameHead(out, false, subject, 2, 9);
            out.writeBytes(sid);
            NatsEncoder.msgControl(out, reply, 2, 8, total - hdr);
            out.writeBytes(message, 2 + hdr, total - hdr);
            NatsEncoder.crlf(out);
        })).isEqualTo("MSG orders.eu 123 _INBOX.x 7\r\npayload\r\n");
    }
}
