package io.lightbroker.bench.load;

import java.io.IOException;

/**
 * One protocol's encoders and inbound parsers, as the load generator needs them.
 *
 * <p>Parsers work on a byte range of a caller-owned array and return the index of the first byte
 * they did not consume: an incomplete frame is left in place (the caller carries it over to the
 * next read) rather than buffered here, so a parser holds no state and can be shared by every
 * connection. Frames are re-scanned from their start when they complete; they are small, and this
 * keeps the hot path to one pass over plain arrays with no allocation.
 */
interface Wire {
    Proto proto();

    /** Bytes every connection sends first (NATS CONNECT; nothing for RESP). */
    byte[] connect();

    /** A ping that the server answers in order with all earlier commands. */
    byte[] ping();

    byte[] subscribe(String subject, int sid);

    byte[] patternSubscribe(String pattern, int sid);

    /** A pattern matching {@code prefix.N.<one more token>}. */
    String tokenPattern(String prefix, int n);

    /** A pattern matching every subject under {@code prefix.}. */
    String catchAllPattern(String prefix);

    /** The complete frame prefix up to the payload bytes; the caller appends payload and CRLF. */
    byte[] publishHeader(String subject, int payloadLen);

    /** True if each publish gets its own reply (RESP's integer), false if acked by ping (NATS). */
    boolean repliesToEachPublish();

    /** Acknowledgements a subscriber connection waits for after {@code subs} subscriptions. */
    int subscribeAcks(int subs);

    /** True if a ping should follow the subscriptions (its pong is then the one ack). */
    boolean pingAfterSubscribe();

    int parseSubscriber(byte[] b, int pos, int end, SubConn c) throws IOException;

    int parsePublisherReplies(byte[] b, int pos, int end, Publisher p) throws IOException;

    static int indexOf(byte[] b, int from, int end, byte v) {
        for (int i = from; i < end; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    static String line(byte[] b, int from, int nl) {
        int e = nl > from && b[nl - 1] == '\r' ? nl - 1 : nl;
        return new String(b, from, e - from, java.nio.charset.StandardCharsets.UTF_8);
    }
}
