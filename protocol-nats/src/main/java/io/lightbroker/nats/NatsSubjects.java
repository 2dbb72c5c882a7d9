package io.lightbroker.nats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Subject rules and wildcard matching, as nats-server 2.9's {@code server/sublist.go} applies them.
 *
 * <p>A subject is a list of '.'-separated tokens. In a filter (a subscription subject) a token that
 * is exactly {@code *} matches any one token and a last token that is exactly {@code >} matches one
 * or more tokens, so {@code foo.>} does not match {@code foo}. Wildcard bytes inside a longer token
 * ({@code a*}, {@code b>}) are plain bytes. A published subject is compared literally, token by
 * token: publishing to {@code a.*} (allowed without pedantic) reaches filters {@code a.*},
 * {@code a.>} and {@code >}, not {@code a.b}. A subject with an empty token matches nothing.
 *
 * <p>Which check nats-server applies where:
 * <ul>
 *   <li>SUB: {@link #isValidSubscriptionSubject} (the subscription index's insert rule); a failure is
 *       {@code -ERR 'Invalid Subject'} and the connection stays open.</li>
 *   <li>PUB/HPUB in pedantic mode: {@link #isValidLiteralSubject}; a failure is
 *       {@code -ERR 'Invalid Publish Subject'}, the connection stays open.</li>
 *   <li>{@link #isValidSubject} and {@link #isValidPublishSubject} are nats-server's general
 *       predicates (configuration, permissions, internal subjects), which also reject whitespace.</li>
 * </ul>
 *
 * <p>Stateless and allocation-free on the {@code ByteBuf} paths; the {@code byte[]} overloads wrap.
 */
public final class NatsSubjects {

    private NatsSubjects() {
    }

    /** nats-server's {@code IsValidSubject}: non-empty tokens, no whitespace, nothing after {@code >}. */
    public static boolean isValidSubject(ByteBuf buf, int index, int length) {
        if (length == 0) {
            return false;
        }
        boolean afterFullWildcard = false;
        int tokenStart = index;
        int end = index + length;
        for (int i = index; i <= end; i++) {
            if (i < end) {
                byte b = buf.getByte(i);
                if (b != '.') {
                    if (isWhitespace(b)) {
                        return false;
                    }
                    continue;
                }
            }
            int tokenLength = i - tokenStart;
            if (tokenLength == 0 || afterFullWildcard) {
                return false;
            }
            if (tokenLength == 1 && buf.getByte(tokenStart) == '>') {
                afterFullWildcard = true;
            }
            tokenStart = i + 1;
        }
        return true;
    }

    /** The subscription index's rule for SUB subjects: non-empty tokens, nothing after {@code >}. */
    public static boolean isValidSubscriptionSubject(ByteBuf buf, int index, int length) {
        boolean afterFullWildcard = false;
        int tokenStart = index;
        int end = index + length;
        for (int i = index; i <= end; i++) {
            if (i < end && buf.getByte(i) != '.') {
                continue;
            }
            int tokenLength = i - tokenStart;
            if (tokenLength == 0 || afterFullWildcard) {
                return false;
            }
            if (tokenLength == 1 && buf.getByte(tokenStart) == '>') {
                afterFullWildcard = true;
            }
            tokenStart = i + 1;
        }
        return true;
    }

    /**
     * nats-server's {@code IsValidLiteralSubject}, the pedantic PUB check: non-empty tokens, none of
     * them exactly {@code *} or {@code >}. Whitespace is not checked (a PUB subject cannot hold a
     * space or tab anyway).
     */
    public static boolean isValidLiteralSubject(ByteBuf buf, int index, int length) {
        int tokenStart = index;
        int end = index + length;
        for (int i = index; i <= end; i++) {
            if (i < end && buf.getByte(i) != '.') {
                continue;
            }
            int tokenLength = i - tokenStart;
            if (tokenLength == 0) {
                return false;
            }
            if (tokenLength == 1 && isWildcard(buf.getByte(tokenStart))) {
                return false;
            }
            tokenStart = i + 1;
        }
        return true;
    }

    /** nats-server's {@code IsValidPublishSubject}: a valid subject without wildcard tokens. */
    public static boolean isValidPublishSubject(ByteBuf buf, int index, int length) {
        return isValidSubject(buf, index, length) && isValidLiteralSubject(buf, index, length);
    }

    /**
     * A queue group name: non-empty, without the blanks that separate SUB arguments. nats-server
     * 2.9 does not check queue names further, so every queue the parser delivers passes.
     */
    public static boolean isValidQueueName(ByteBuf buf, int index, int length) {
        if (length == 0) {
            return false;
        }
        for (int i = index; i < index + length; i++) {
            byte b = buf.getByte(i);
            if (b == ' ' || b == '\t' || b == '\r' || b == '\n') {
                return false;
            }
        }
        return true;
    }

    /** Whether the subject has a token that is exactly {@code *} or {@code >}. */
    public static boolean hasWildcard(ByteBuf buf, int index, int length) {
        int tokenStart = index;
        int end = index + length;
        for (int i = index; i <= end; i++) {
            if (i < end && buf.getByte(i) != '.') {
                continue;
            }
            if (i - tokenStart == 1 && isWildcard(buf.getByte(tokenStart))) {
                return true;
            }
            tokenStart = i + 1;
        }
        return false;
    }

    /**
     * Whether a published subject matches a (valid) filter, as nats-server's subscription index
     * decides it. A subject with an empty token, or an empty subject, matches nothing.
     */
    public static boolean matches(byte[] filter, ByteBuf subject, int index, int length) {
        if (length == 0) {
            return false;
        }
        int f = 0;
        int flen = filter.length;
        int s = index;
        int send = index + length;
        while (true) {
            int sEnd = s;
            while (sEnd < send && subject.getByte(sEnd) != '.') {
                sEnd++;
            }
            if (sEnd == s || f > flen) {
                return false;
            }
            int fEnd = f;
            while (fEnd < flen && filter[fEnd] != '.') {
                fEnd++;
            }
            int fLen = fEnd - f;
            if (fLen == 1 && filter[f] == '>') {
                return fEnd == flen && noEmptyToken(subject, sEnd, send);
            }
            if (!(fLen == 1 && filter[f] == '*')) {
                if (fLen != sEnd - s) {
                    return false;
                }
                for (int k = 0; k < fLen; k++) {
                    if (filter[f + k] != subject.getByte(s + k)) {
                        return false;
                    }
                }
            }
            if (sEnd == send) {
                return fEnd == flen;
            }
            s = sEnd + 1;
            f = fEnd + 1;
        }
    }

    public static boolean matches(byte[] filter, byte[] subject) {
        return matches(filter, Unpooled.wrappedBuffer(subject), 0, subject.length);
    }

    public static boolean isValidSubject(byte[] subject) {
        return isValidSubject(Unpooled.wrappedBuffer(subject), 0, subject.length);
    }

    public static boolean isValidSubscriptionSubject(byte[] subject) {
        return isValidSubscriptionSubject(Unpooled.wrappedBuffer(subject), 0, subject.length);
    }

    public static boolean isValidLiteralSubject(byte[] subject) {
        return isValidLiteralSubject(Unpooled.wrappedBuffer(subject), 0, subject.length);
    }

    public static boolean isValidPublishSubject(byte[] subject) {
        return isValidPublishSubject(Unpooled.wrappedBuffer(subject), 0, subject.length);
    }

    public static boolean isValidQueueName(byte[] queue) {
        return isValidQueueName(Unpooled.wrappedBuffer(queue), 0, queue.length);
    }

    /** Whether {@code subject[from, end)}, which starts at a separator or the end, has no empty token. */
    private static boolean noEmptyToken(ByteBuf subject, int from, int end) {
        for (int i = from; i < end; i++) {
            if (subject.getByte(i) == '.' && (i + 1 == end || subject.getByte(i + 1) == '.')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isWildcard(byte b) {
        return b == '*' || b == '>';
    }

    private static boolean isWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r' || b == '\f';
    }
}
