package io.lightbroker.broker.core;

import io.netty.buffer.ByteBuf;
import io.netty.util.internal.PlatformDependent;

/**
 * A message frame given as pieces shared by every receiver of one publish around one piece that
 * differs per receiver: {@code head + middle + tail}, where the tail is either encoded in full
 * or, for a large payload, a control line followed by the payload referenced where it is, and a
 * CRLF. A NATS fan-out uses it with the subscription's sid in the middle ({@code MSG <subject> }
 * + sid + {@code  [reply ]<#bytes>\r\n<payload>\r\n}), so head and tail are encoded once per
 * publish. A small payload is copied into the encoded tail (two copies per receiver, but three
 * calls instead of five); a large one is copied straight from the publisher's read buffer into
 * each receiver's buffer (one copy per receiver, none into an intermediate frame).
 *
 * <p>Mutable and reused: owned by one {@link FrameScratch}, valid for the duration of one
 * fan-out; receivers copy it before {@link Outbound#deliver(SplitFrame, byte[], LoopContext)} returns.
 */
public final class SplitFrame {
    private static final short CRLF = ('\r' << 8) | '\n';

    ByteBuf pieces;
    int headIndex = -1;
    int headLength;
    int tailIndex;
    int tailLength;
    /** The payload after the encoded tail, or null when the tail holds it and its CRLF. */
    ByteBuf payload;
    int payloadIndex;
    int payloadLength;

    boolean encoded() {
        return headIndex >= 0;
    }

    void clear() {
        headIndex = -1;
        pieces = null;
        payload = null;
    }

    /** Bytes of the frame with {@code middle} in it. */
    int length(byte[] middle) {
        return headLength + middle.length + tailLength + (payload == null ? 0 : payloadLength + 2);
    }

    /**
     * Appends the frame with {@code middle} in it to {@code out}. This runs once per receiver,
     * and the pieces of a small message are a few bytes each: through {@code writeBytes} each
     * piece paid its own bounds and capacity checks, which was the largest frame of a 1->100
     * fan-out profile (JFR). With every buffer in native memory the pieces, and a large payload
     * with its CRLF, are copied by address after one capacity check.
     */
    void writeTo(ByteBuf out, byte[] middle) {
        int n = headLength + middle.length + tailLength;
        if (out.hasMemoryAddress() && pieces.hasMemoryAddress()
                && (payload == null || payload.hasMemoryAddress())) {
            int total = payload == null ? n : n + payloadLength + 2;
            out.ensureWritable(total);
            int w = out.writerIndex();
            long dst = out.memoryAddress() + w;
            long src = pieces.memoryAddress();
            PlatformDependent.copyMemory(src + headIndex, dst, headLength);
            dst += headLength;
            PlatformDependent.copyMemory(middle, 0, dst, middle.length);
            dst += middle.length;
            PlatformDependent.copyMemory(src + tailIndex, dst, tailLength);
            if (payload != null) {
                dst += tailLength;
                PlatformDependent.copyMemory(payload.memoryAddress() + payloadIndex, dst, payloadLength);
                dst += payloadLength;
                PlatformDependent.putByte(dst, (byte) '\r');
                PlatformDependent.putByte(dst + 1, (byte) '\n');
            }
            out.writerIndex(w + total);
            return;
        }
        out.writeBytes(pieces, headIndex, headLength)
            .writeBytes(middle)
            .writeBytes(pieces, tailIndex, tailLength);
        if (payload != null) {
            out.writeBytes(payload, payloadIndex, payloadLength).writeShort(CRLF);
        }
    }
}
