package io.lightbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A {@link SplitFrame} writes the same bytes whichever path it takes: by address when every
 * buffer is native, through {@code writeBytes} otherwise, with the payload inline or referenced.
 */
class SplitFrameTest {

    private static final byte[] SID = "42".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @ValueSource(strings = {"direct", "heap", "direct-out-heap-pieces", "heap-out-direct-pieces"})
    void writesHeadSidTailAndAReferencedPayloadOnEveryPath(String kind) {
        IntFunction<ByteBuf> piecesAlloc = kind.equals("heap") || kind.endsWith("heap-pieces")
                ? Unpooled::buffer : PooledByteBufAllocator.DEFAULT::directBuffer;
        IntFunction<ByteBuf> outAlloc = kind.equals("direct") || kind.startsWith("direct-out")
                ? PooledByteBufAllocator.DEFAULT::directBuffer : Unpooled::buffer;
        String payload = "p".repeat(300) + "end";
        ByteBuf pieces = piecesAlloc.apply(64);
        ByteBuf msg = piecesAlloc.apply(512);
        ByteBuf out = outAlloc.apply(8);
        try {
            SplitFrame f = frame(pieces, "junk", "MSG orders.eu ", " 303\r\n");
            msg.writeCharSequence("PUB orders.eu 303\r\n", StandardCharsets.US_ASCII);
            f.payload = msg;
            f.payloadIndex = msg.writerIndex();
            f.payloadLength = payload.length();
            msg.writeCharSequence(payload + "\r\n", StandardCharsets.US_ASCII);
            out.writeCharSequence("before|", StandardCharsets.US_ASCII);

            f.writeTo(out, SID);
            f.writeTo(out, "7".getBytes(StandardCharsets.US_ASCII));

            String expected = "before|MSG orders.eu 42 303\r\n" + payload + "\r\n"
                    + "MSG orders.eu 7 303\r\n" + payload + "\r\n";
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo(expected);
            assertThat(f.length(SID)).isEqualTo(("MSG orders.eu 42 303\r\n" + payload + "\r\n").length());
        } finally {
            pieces.release();
            msg.release();
            out.release();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesAnInlinePayloadWithItsTail(boolean direct) {
        ByteBuf pieces = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(64) : Unpooled.buffer(64);
        ByteBuf out = direct ? PooledByteBufAllocator.DEFAULT.directBuffer(4) : Unpooled.buffer(4);
        try {
            SplitFrame f = frame(pieces, "", "MSG a ", " 2\r\nhi\r\n");
            f.writeTo(out, SID);
            assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("MSG a 42 2\r\nhi\r\n");
        } finally {
            pieces.release();
            out.release();
        }
    }

    /** Head and tail encoded after some unrelated bytes, as in a loop's shared scratch buffer. */
    private static SplitFrame frame(ByteBuf pieces, String before, String head, String tail) {
        pieces.writeCharSequence(before, StandardCharsets.US_ASCII);
        SplitFrame f = new SplitFrame();
        f.pieces = pieces;
        f.headIndex = pieces.writerIndex();
        f.headLength = head.length();
        pieces.writeCharSequence(head, StandardCharsets.US_ASCII);
        f.tailIndex = pieces.writerIndex();
        f.tailLength = tail.length();
        pieces.writeCharSequence(tail, StandardCharsets.US_ASCII);
        return f;
    }
}
