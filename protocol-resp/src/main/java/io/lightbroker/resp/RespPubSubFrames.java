package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * The pub/sub frames redis-server 7.0 sends, byte for byte. In RESP2 they are arrays; in RESP3 they are
 * push frames ({@code >}), and so are the subscribe/unsubscribe confirmations. Both headers are the same
 * size, so the size helpers serve both protocols.
 *
 * <p>A published message is encoded once per distinct frame and shared by reference count among the
 * receivers, which is why each writer has a size helper: allocate exactly, write once.
 *
 * <p>The {@code byte[]} constants are shared; never modify them.
 */
public final class RespPubSubFrames {

    public static final byte[] SUBSCRIBE = ascii("subscribe");
    public static final byte[] UNSUBSCRIBE = ascii("unsubscribe");
    public static final byte[] PSUBSCRIBE = ascii("psubscribe");
    public static final byte[] PUNSUBSCRIBE = ascii("punsubscribe");
    public static final byte[] SSUBSCRIBE = ascii("ssubscribe");
    public static final byte[] SUNSUBSCRIBE = ascii("sunsubscribe");

    private static final byte[] MESSAGE_RESP2 = ascii("*3\r\n$7\r\nmessage\r\n");
    private static final byte[] MESSAGE_RESP3 = ascii(">3\r\n$7\r\nmessage\r\n");
    private static final byte[] PMESSAGE_RESP2 = ascii("*4\r\n$8\r\npmessage\r\n");
    private static final byte[] PMESSAGE_RESP3 = ascii(">4\r\n$8\r\npmessage\r\n");
    private static final byte[] SMESSAGE_RESP2 = ascii("*3\r\n$8\r\nsmessage\r\n");
    private static final byte[] SMESSAGE_RESP3 = ascii(">3\r\n$8\r\nsmessage\r\n");
    private static final byte[] SUBSCRIPTION_RESP2 = ascii("*3\r\n");
    private static final byte[] SUBSCRIPTION_RESP3 = ascii(">3\r\n");
    private static final byte[] PONG_RESP2 = ascii("*2\r\n$4\r\npong\r\n");

    private RespPubSubFrames() {
    }

    /** {@code message <channel> <payload>}. */
    public static void message(ByteBuf out, boolean resp3, ByteBuf channel, int channelOffset, int channelLength,
                               ByteBuf payload, int payloadOffset, int payloadLength) {
        out.ensureWritable(messageSize(channelLength, payloadLength));
        out.writeBytes(resp3 ? MESSAGE_RESP3 : MESSAGE_RESP2);
        RespWriter.bulk(out, channel, channelOffset, channelLength);
        RespWriter.bulk(out, payload, payloadOffset, payloadLength);
    }

    public static int messageSize(int channelLength, int payloadLength) {
        return MESSAGE_RESP2.length + RespWriter.bulkSize(channelLength) + RespWriter.bulkSize(payloadLength);
    }

    /** {@code pmessage <pattern> <channel> <payload>}, one per matching pattern after the plain {@code message}. */
    public static void pmessage(ByteBuf out, boolean resp3, byte[] pattern,
                                ByteBuf channel, int channelOffset, int channelLength,
                                ByteBuf payload, int payloadOffset, int payloadLength) {
        out.ensureWritable(pmessageSize(pattern.length, channelLength, payloadLength));
        out.writeBytes(resp3 ? PMESSAGE_RESP3 : PMESSAGE_RESP2);
        RespWriter.bulk(out, pattern);
        RespWriter.bulk(out, channel, channelOffset, channelLength);
        RespWriter.bulk(out, payload, payloadOffset, payloadLength);
    }

    public static int pmessageSize(int patternLength, int channelLength, int payloadLength) {
        return PMESSAGE_RESP2.length + RespWriter.bulkSize(patternLength)
                + RespWriter.bulkSize(channelLength) + RespWriter.bulkSize(payloadLength);
    }

    /** {@code smessage <shard channel> <payload>}, sent for SPUBLISH. */
    public static void smessage(ByteBuf out, boolean resp3, ByteBuf channel, int channelOffset, int channelLength,
                                ByteBuf payload, int payloadOffset, int payloadLength) {
        out.ensureWritable(smessageSize(channelLength, payloadLength));
        out.writeBytes(resp3 ? SMESSAGE_RESP3 : SMESSAGE_RESP2);
        RespWriter.bulk(out, channel, channelOffset, channelLength);
        RespWriter.bulk(out, payload, payloadOffset, payloadLength);
    }

    public static int smessageSize(int channelLength, int payloadLength) {
        return SMESSAGE_RESP2.length + RespWriter.bulkSize(channelLength) + RespWriter.bulkSize(payloadLength);
    }

    /**
     * The confirmation {@code <kind> <name> <count>} for each (un)subscribed channel or pattern.
     * A null name is the reply to an unsubscribe without arguments while subscribed to nothing:
     * {@code UNSUBSCRIBE} then gives {@code *3 $11 unsubscribe $-1 :0} in RESP2 and
     * {@code >3 $11 unsubscribe _ :0} in RESP3.
     */
    public static void subscriptionReply(ByteBuf out, boolean resp3, byte[] kind, byte[] nameOrNull, long count) {
        out.ensureWritable(subscriptionReplySize(resp3, kind, nameOrNull, count));
        out.writeBytes(resp3 ? SUBSCRIPTION_RESP3 : SUBSCRIPTION_RESP2);
        RespWriter.bulk(out, kind);
        if (nameOrNull == null) {
            RespWriter.nullBulk(out, resp3);
        } else {
            RespWriter.bulk(out, nameOrNull);
        }
        RespWriter.integer(out, count);
    }

    /** As {@link #subscriptionReply(ByteBuf, boolean, byte[], byte[], long)} with the name a buffer slice. */
    public static void subscriptionReply(ByteBuf out, boolean resp3, byte[] kind,
                                         ByteBuf name, int nameOffset, int nameLength, long count) {
        out.writeBytes(resp3 ? SUBSCRIPTION_RESP3 : SUBSCRIPTION_RESP2);
        RespWriter.bulk(out, kind);
        RespWriter.bulk(out, name, nameOffset, nameLength);
        RespWriter.integer(out, count);
    }

    public static int subscriptionReplySize(boolean resp3, byte[] kind, byte[] nameOrNull, long count) {
        int name = nameOrNull == null ? RespWriter.nullBulkSize(resp3) : RespWriter.bulkSize(nameOrNull.length);
        return SUBSCRIPTION_RESP2.length + RespWriter.bulkSize(kind.length) + name + RespWriter.integerSize(count);
    }

    /**
     * PING from a RESP2 client in subscribed mode: {@code *2 $4 pong <argument or empty bulk>}.
     * (In RESP3, and outside subscribed mode, PING answers as usual: +PONG or the argument as a bulk.)
     */
    public static void subscribedPong(ByteBuf out, ByteBuf argument, int offset, int length) {
        out.writeBytes(PONG_RESP2);
        RespWriter.bulk(out, argument, offset, length);
    }

    /** {@link #subscribedPong(ByteBuf, ByteBuf, int, int)} without an argument: the second element is "". */
    public static void subscribedPong(ByteBuf out) {
        out.writeBytes(PONG_RESP2);
        RespWriter.bulkHeader(out, 0);
        RespWriter.crlf(out);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
