package io.lightbroker.nats.leaf;

import io.lightbroker.nats.NatsEncoder;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Leaf-to-hub frames: {@code LMSG}/{@code HMSG} (see {@link LeafParser} for the forms), CONNECT, interest lines. */
public final class LeafEncoder {
    private static final byte[] LMSG = "LMSG ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HMSG = "HMSG ".getBytes(StandardCharsets.US_ASCII);

    private LeafEncoder() {}

    /** The exact size of the frame {@link #message} writes. */
    public static int size(int sl, int rl, byte[][] queues, int queueCount, int hdr, int total) {
        int n = 5 + sl + 1;
        if (queueCount > 0) {
            n += 2 + (rl > 0 ? rl + 1 : 0);
            for (int i = 0; i < queueCount; i++) {
                n += queues[i].length + 1;
            }
        } else if (rl > 0) {
            n += rl + 1;
        }
        if (hdr > 0) {
            n += digits(hdr) + 1;
        }
        return n + digits(total) + 2 + total + 2;
    }

    private static int digits(int v) {
        int d = 1;
        while (v >= 10) {
            v /= 10;
            d++;
        }
        return d;
    }

    /**
     * One message: HMSG when {@code hdr > 0}, else LMSG; with {@code + reply q..} or
     * {@code | q..} when queue groups are named.
     */
    public static void message(ByteBuf out, ByteBuf subject, int so, int sl, ByteBuf reply, int ro, int rl,
                               byte[][] queues, int queueCount, ByteBuf msg, int mo, int hdr, int total) {
        out.writeBytes(hdr > 0 ? HMSG : LMSG);
        out.writeBytes(subject, so, sl);
        out.writeByte(' ');
        if (queueCount > 0) {
            if (rl > 0) {
                out.writeByte('+').writeByte(' ');
                out.writeBytes(reply, ro, rl);
                out.writeByte(' ');
            } else {
                out.writeByte('|').writeByte(' ');
            }
            for (int i = 0; i < queueCount; i++) {
                out.writeBytes(queues[i]);
                out.writeByte(' ');
            }
        } else if (rl > 0) {
            out.writeBytes(reply, ro, rl);
            out.writeByte(' ');
        }
        if (hdr > 0) {
            NatsEncoder.writeDecimal(out, hdr);
            out.writeByte(' ');
        }
        NatsEncoder.writeDecimal(out, total);
        NatsEncoder.crlf(out);
        out.writeBytes(msg, mo, total);
        NatsEncoder.crlf(out);
    }

    /** A control line ({@code LS+ ...}, {@code PING}, {@code CONNECT {...}}) with its CRLF. */
    public static void line(ByteBuf out, String line) {
        out.writeCharSequence(line, StandardCharsets.UTF_8);
        NatsEncoder.crlf(out);
    }
}
