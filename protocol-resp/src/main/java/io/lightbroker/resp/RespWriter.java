package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;

/**
 * Reply encoders for RESP2 and RESP3, writing straight into the caller's buffer: numbers digit by digit,
 * strings byte by byte, no intermediate Strings or arrays. Methods that differ between protocol versions
 * take {@code resp3} and produce what redis-server 7.0 sends to a client in that mode.
 *
 * <p>Status and error texts are written as ISO-8859-1 (one byte per char, as {@link RespErrors} builds
 * them) with '\r' and '\n' turned into spaces, so a reply can never break the framing.
 *
 * <p>The {@code *Size} methods return the exact number of bytes the matching writer produces, so a
 * frame shared by many subscribers can be allocated once at its final size.
 */
public final class RespWriter {

    private static final short CRLF = ('\r' << 8) | '\n';
    private static final byte[] NULL_BULK_RESP2 = {'$', '-', '1', '\r', '\n'};
    private static final byte[] NULL_ARRAY_RESP2 = {'*', '-', '1', '\r', '\n'};
    private static final byte[] NULL_RESP3 = {'_', '\r', '\n'};
    private static final byte[] TRUE_RESP3 = {'#', 't', '\r', '\n'};
    private static final byte[] FALSE_RESP3 = {'#', 'f', '\r', '\n'};
    private static final byte[] ONE_RESP2 = {':', '1', '\r', '\n'};
    private static final byte[] ZERO_RESP2 = {':', '0', '\r', '\n'};
    private static final byte[] OK = {'+', 'O', 'K', '\r', '\n'};

    private RespWriter() {
    }

    public static void ok(ByteBuf out) {
        out.writeBytes(OK);
    }

    public static void simpleString(ByteBuf out, String text) {
        out.writeByte('+');
        writeLine(out, text);
    }

    /** {@code -} + the message (which carries its code, e.g. "ERR ...") + CRLF. */
    public static void error(ByteBuf out, String messageWithoutDash) {
        out.writeByte('-');
        writeLine(out, messageWithoutDash);
    }

    public static void integer(ByteBuf out, long value) {
        out.writeByte(':');
        RespNumbers.writeDecimal(out, value);
        out.writeShort(CRLF);
    }

    public static int integerSize(long value) {
        return 1 + RespNumbers.decimalLength(value) + 2;
    }

    public static void bulk(ByteBuf out, ByteBuf src, int offset, int length) {
        bulkHeader(out, length);
        out.writeBytes(src, offset, length);
        out.writeShort(CRLF);
    }

    public static void bulk(ByteBuf out, byte[] bytes) {
        bulkHeader(out, bytes.length);
        out.writeBytes(bytes);
        out.writeShort(CRLF);
    }

    /** The string's chars as ISO-8859-1 bytes; a char above U+00FF is written as '?'. */
    public static void bulk(ByteBuf out, String latin1) {
        bulkHeader(out, latin1.length());
        writeLatin1(out, latin1);
        out.writeShort(CRLF);
    }

    /** {@code $<length>\r\n}; the caller writes the payload and its CRLF (see {@link #crlf}). */
    public static void bulkHeader(ByteBuf out, int length) {
        header(out, '$', length);
    }

    public static void crlf(ByteBuf out) {
        out.writeShort(CRLF);
    }

    /** Bytes of a whole bulk string of {@code length} payload bytes. */
    public static int bulkSize(int length) {
        return 1 + RespNumbers.digits(length) + 2 + length + 2;
    }

    public static void nullBulk(ByteBuf out, boolean resp3) {
        out.writeBytes(resp3 ? NULL_RESP3 : NULL_BULK_RESP2);
    }

    public static int nullBulkSize(boolean resp3) {
        return resp3 ? NULL_RESP3.length : NULL_BULK_RESP2.length;
    }

    public static void nullArray(ByteBuf out, boolean resp3) {
        out.writeBytes(resp3 ? NULL_RESP3 : NULL_ARRAY_RESP2);
    }

    public static void arrayHeader(ByteBuf out, int n) {
        header(out, '*', n);
    }

    /** Bytes of a {@code *n} / {@code >n} / {@code ~n} header. */
    public static int aggregateHeaderSize(long n) {
        return 1 + RespNumbers.decimalLength(n) + 2;
    }

    /** Out-of-band data (pub/sub messages): {@code >n} in RESP3, a plain array in RESP2. */
    public static void pushHeader(ByteBuf out, int n, boolean resp3) {
        header(out, resp3 ? '>' : '*', n);
    }

    /** A map of {@code pairs} entries: {@code %pairs} in RESP3, a flat array of 2*pairs in RESP2. */
    public static void mapHeader(ByteBuf out, int pairs, boolean resp3) {
        if (resp3) {
            header(out, '%', pairs);
        } else {
            header(out, '*', 2L * pairs);
        }
    }

    public static void setHeader(ByteBuf out, int n, boolean resp3) {
        header(out, resp3 ? '~' : '*', n);
    }

    /**
     * Text meant for humans, as Redis sends INFO and CLIENT LIST: RESP3 {@code =<len+4>\r\ntxt:<text>\r\n},
     * RESP2 a plain bulk string.
     */
    public static void verbatim(ByteBuf out, String text, boolean resp3) {
        verbatim(out, text, "txt", resp3);
    }

    /** {@code format} is Redis's three-letter type: "txt" or "mkd". */
    public static void verbatim(ByteBuf out, String text, String format, boolean resp3) {
        if (!resp3) {
            bulk(out, text);
            return;
        }
        if (format.length() != 3) {
            throw new IllegalArgumentException("verbatim format must be three characters: " + format);
        }
        header(out, '=', text.length() + 4L);
        writeLatin1(out, format);
        out.writeByte(':');
        writeLatin1(out, text);
        out.writeShort(CRLF);
    }

    /** RESP3 {@code #t}/{@code #f}; RESP2 the integers 1 and 0, as Redis's {@code addReplyBool}. */
    public static void bool(ByteBuf out, boolean value, boolean resp3) {
        if (resp3) {
            out.writeBytes(value ? TRUE_RESP3 : FALSE_RESP3);
        } else {
            out.writeBytes(value ? ONE_RESP2 : ZERO_RESP2);
        }
    }

    /**
     * A double as Redis's {@code addReplyDouble}: C's {@code %.17g} text, in a bulk string in RESP2 and
     * as {@code ,<text>} in RESP3; infinities are "inf" and "-inf". Allocates (formatting a double
     * exactly is not worth hand-rolling for the rare command that replies with one).
     */
    public static void doubleValue(ByteBuf out, double value, boolean resp3) {
        String text = RespDoubles.formatG17(value);
        if (resp3) {
            out.writeByte(',');
            writeLatin1(out, text);
            out.writeShort(CRLF);
        } else {
            bulk(out, text);
        }
    }

    private static void header(ByteBuf out, char type, long n) {
        out.writeByte(type);
        RespNumbers.writeDecimal(out, n);
        out.writeShort(CRLF);
    }

    private static void writeLine(ByteBuf out, String text) {
        int length = text.length();
        out.ensureWritable(length + 2);
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            out.writeByte(c == '\r' || c == '\n' ? ' ' : latin1(c));
        }
        out.writeShort(CRLF);
    }

    private static void writeLatin1(ByteBuf out, String text) {
        int length = text.length();
        out.ensureWritable(length);
        for (int i = 0; i < length; i++) {
            out.writeByte(latin1(text.charAt(i)));
        }
    }

    private static int latin1(char c) {
        return c <= 0xff ? c : '?';
    }
}
