package io.lightbroker.nats;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Writes server-to-client frames into a caller's {@code ByteBuf}, byte for byte as nats-server 2.9
 * does, without intermediate Strings: numbers are written digit by digit, subjects and sids are
 * copied from their slices.
 *
 * <p>{@code msgHeader}/{@code hmsgHeader} write only the control line, so a fan-out can write the
 * line per subscriber and share one payload buffer (the payload must then be followed by
 * {@link #crlf}). Slices are absolute (index, length) pairs; a reply of length 0 means none.
 */
public final class NatsEncoder {

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] MSG = ascii("MSG ");
    private static final byte[] HMSG = ascii("HMSG ");
    private static final byte[] INFO = ascii("INFO ");
    private static final byte[] INFO_END = ascii(" \r\n");
    private static final byte[] OK = ascii("+OK\r\n");
    private static final byte[] PING = ascii("PING\r\n");
    private static final byte[] PONG = ascii("PONG\r\n");
    private static final byte[] ERR = ascii("-ERR '");
    private static final byte[] ERR_END = ascii("'\r\n");
    /** The status headers of the no-responders reply: {@code NATS/1.0 503} and an empty line. */
    public static final byte[] NO_RESPONDERS_HEADERS = ascii("NATS/1.0 503\r\n\r\n");

    private NatsEncoder() {
    }

    /** {@code INFO <json> \r\n}: nats-server 2.9 puts a space before the CRLF. The JSON is written as UTF-8. */
    public static void info(ByteBuf out, CharSequence json) {
        out.writeBytes(INFO);
        out.writeCharSequence(json, StandardCharsets.UTF_8);
        out.writeBytes(INFO_END);
    }

    public static void info(ByteBuf out, byte[] json) {
        out.writeBytes(INFO).writeBytes(json).writeBytes(INFO_END);
    }

    public static void ok(ByteBuf out) {
        out.writeBytes(OK);
    }

    public static void ping(ByteBuf out) {
        out.writeBytes(PING);
    }

    public static void pong(ByteBuf out) {
        out.writeBytes(PONG);
    }

    public static void crlf(ByteBuf out) {
        out.writeBytes(CRLF);
    }

    /**
     * {@code -ERR '<text>'\r\n}, the quotes added here as nats-server adds them; pass a
     * {@link NatsErrors} text. Written as UTF-8 (permission errors may quote any subject).
     */
    public static void err(ByteBuf out, String text) {
        out.writeBytes(ERR);
        out.writeCharSequence(text, StandardCharsets.UTF_8);
        out.writeBytes(ERR_END);
    }

    /** {@code MSG <subject> <sid> [reply] <#bytes>\r\n}, the control line only. */
    public static void msgHeader(ByteBuf out, ByteBuf subject, int subjectIndex, int subjectLength, byte[] sid,
                                 ByteBuf reply, int replyIndex, int replyLength, int payloadLength) {
        out.writeBytes(MSG);
        subjectSidReply(out, subject, subjectIndex, subjectLength, sid, reply, replyIndex, replyLength);
        writeDecimal(out, payloadLength);
        out.writeBytes(CRLF);
    }

    /** {@code MSG <subject> <sid> [reply] <#bytes>\r\n<payload>\r\n}. */
    public static void msg(ByteBuf out, ByteBuf subject, int subjectIndex, int subjectLength, byte[] sid,
                           ByteBuf reply, int replyIndex, int replyLength,
                           ByteBuf payload, int payloadIndex, int payloadLength) {
        msgHeader(out, subject, subjectIndex, subjectLength, sid, reply, replyIndex, replyLength, payloadLength);
        out.writeBytes(payload, payloadIndex, payloadLength);
        out.writeBytes(CRLF);
    }

    /** {@code HMSG <subject> <sid> [reply] <#header bytes> <#total bytes>\r\n}, the control line only. */
    public static void hmsgHeader(ByteBuf out, ByteBuf subject, int subjectIndex, int subjectLength, byte[] sid,
                                  ByteBuf reply, int replyIndex, int replyLength, int headerLength, int totalLength) {
        out.writeBytes(HMSG);
        subjectSidReply(out, subject, subjectIndex, subjectLength, sid, reply, replyIndex, replyLength);
        writeDecimal(out, headerLength);
        out.writeByte(' ');
        writeDecimal(out, totalLength);
        out.writeBytes(CRLF);
    }

    /** {@code HMSG ... <#hdr> <#total>\r\n<headers+payload>\r\n}; the message starts at {@code messageIndex}. */
    public static void hmsg(ByteBuf out, ByteBuf subject, int subjectIndex, int subjectLength, byte[] sid,
                            ByteBuf reply, int replyIndex, int replyLength,
                            ByteBuf message, int messageIndex, int headerLength, int totalLength) {
        hmsgHeader(out, subject, subjectIndex, subjectLength, sid, reply, replyIndex, replyLength,
            headerLength, totalLength);
        out.writeBytes(message, messageIndex, totalLength);
        out.writeBytes(CRLF);
    }

    /**
     * The reply nats-server sends a requester that asked for no_responders when nothing is
     * subscribed to the request subject: {@code HMSG <reply subject> <sid> 16 16\r\nNATS/1.0 503\r\n\r\n\r\n},
     * addressed to the requester's reply subject, with no reply field.
     */
    public static void noResponders(ByteBuf out, ByteBuf replySubject, int replyIndex, int replyLength, byte[] sid) {
        int n = NO_RESPONDERS_HEADERS.length;
        out.writeBytes(HMSG);
        out.writeBytes(replySubject, replyIndex, replyLength);
        out.writeByte(' ');
        out.writeBytes(sid);
        out.writeByte(' ');
        writeDecimal(out, n);
        out.writeByte(' ');
        writeDecimal(out, n);
        out.writeBytes(CRLF);
        out.writeBytes(NO_RESPONDERS_HEADERS);
        out.writeBytes(CRLF);
    }

    /** Writes a non-negative int in decimal ASCII without allocating. */
    public static void writeDecimal(ByteBuf out, int value) {
        if (value < 0) {
            throw new IllegalArgumentException("negative: " + value);
        }
        if (value < 10) {
            out.writeByte('0' + value);
            return;
        }
        int digits = 1;
        for (int v = value / 10; v != 0; v /= 10) {
            digits++;
        }
        int at = out.writerIndex();
        out.ensureWritable(digits);
        for (int i = at + digits - 1; i >= at; i--) {
            out.setByte(i, '0' + value % 10);
            value /= 10;
        }
        out.writerIndex(at + digits);
    }

    /**
     * The part of a {@code MSG}/{@code HMSG} frame before the sid: {@code MSG <subject> } or
     * {@code HMSG <subject> }. Only the sid differs between the subscriptions a message fans
     * out to, so a fan-out writes head and control line ({@link #msgControl},
     * {@link #hmsgControl}) once and copies them, the sid and the payload per subscription.
     */
    public static void frameHead(ByteBuf out, boolean headers, ByteBuf subject, int subjectIndex, int subjectLength) {
        out.writeBytes(headers ? HMSG : MSG);
        out.writeBytes(subject, subjectIndex, subjectLength);
        out.writeByte(' ');
    }

    /**
     * The control-line end of a {@code MSG} frame, after the sid: {@code  [reply ]<#bytes>\r\n}.
     * The frame is {@code frameHead + sid + msgControl + payload + CRLF} (see {@link #frameHead}).
     */
    public static void msgControl(ByteBuf out, ByteBuf reply, int replyIndex, int replyLength, int payloadLength) {
        out.writeByte(' ');
        if (reply != null && replyLength > 0) {
            out.writeBytes(reply, replyIndex, replyLength);
            out.writeByte(' ');
        }
        writeDecimal(out, payloadLength);
        out.writeBytes(CRLF);
    }

    /**
     * The control-line end of an {@code HMSG} frame, after the sid:
     * {@code  [reply ]<#hdr> <#total>\r\n}. The frame is
     * {@code frameHead + sid + hmsgControl + headers and payload + CRLF}.
     */
    public static void hmsgControl(ByteBuf out, ByteBuf reply, int replyIndex, int replyLength,
                                   int headerLength, int totalLength) {
        out.writeByte(' ');
        if (reply != null && replyLength > 0) {
            out.writeBytes(reply, replyIndex, replyLength);
            out.writeByte(' ');
        }
        writeDecimal(out, headerLength);
        out.writeByte(' ');
        writeDecimal(out, totalLength);
        out.writeBytes(CRLF);
    }

    private static void subjectSidReply(ByteBuf out, ByteBuf subject, int subjectIndex, int subjectLength,
                                        byte[] sid, ByteBuf reply, int replyIndex, int replyLength) {
        out.writeBytes(subject, subjectIndex, subjectLength);
        out.writeByte(' ');
        out.writeBytes(sid);
        out.writeByte(' ');
        if (reply != null && replyLength > 0) {
            out.writeBytes(reply, replyIndex, replyLength);
            out.writeByte(' ');
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
