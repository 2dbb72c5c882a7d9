package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

/**
 * Redis glob matching with the byte-level semantics of redis-server 7.0's {@code stringmatchlen}
 * (case-sensitive, as PSUBSCRIBE and PUBSUB CHANNELS use it), quirks included:
 * <ul>
 *   <li>{@code *} any run of bytes, {@code ?} one byte, {@code \x} the byte x (a trailing lone
 *       {@code \} is a literal backslash);</li>
 *   <li>{@code [...]} one byte from a set; {@code [^...]} negates; {@code \} escapes inside; {@code a-c}
 *       is a range and a reversed range {@code c-a} means the same. A range takes whatever byte follows
 *       the '-', even ']', so {@code [a-]} is the range ']'..'a' and has no closing bracket. Ranges
 *       compare bytes as C's signed {@code char}, so bytes 0x80-0xff sort below 0x00.</li>
 *   <li>a set missing its ']' runs to the end of the pattern; a lone {@code [} matches nothing and a
 *       lone {@code [^} matches any byte;</li>
 *   <li>the empty string is matched only by the empty pattern: even {@code *} does not match it;</li>
 *   <li>at most 1000 nested {@code *} are explored; deeper alternatives count as no match. That is the
 *       guard 7.0 added against abusive patterns, and with it the shortcut that stops retrying earlier
 *       stars once the rest of the pattern failed to match anywhere in the rest of the string, which
 *       bounds the work to roughly pattern length times string length per star level.</li>
 * </ul>
 * Recursion depth is bounded by the 1000-star guard. Stateless and thread-safe.
 */
public final class RespGlob {

    private static final int MATCH = 1;
    private static final int NO_MATCH = 0;
    /** No match, and no earlier star may retry with a longer run either. */
    private static final int ABANDON = -1;

    private static final int MAX_NESTING = 1000;

    private RespGlob() {
    }

    public static boolean match(byte[] pattern, byte[] string) {
        return match(pattern, Unpooled.wrappedBuffer(string), 0, string.length);
    }

    public static boolean match(byte[] pattern, ByteBuf s, int offset, int length) {
        return match(pattern, 0, pattern.length, s, offset, length, 0) == MATCH;
    }

    /**
     * The number of bytes before the first {@code * ? [ \} — every string the pattern matches starts with
     * exactly these bytes, so patterns can be indexed by them. Equal to the pattern's length when the
     * pattern has no special byte, in which case it matches only itself.
     */
    public static int literalPrefixLength(byte[] pattern) {
        for (int i = 0; i < pattern.length; i++) {
            byte b = pattern[i];
            if (b == '*' || b == '?' || b == '[' || b == '\\') {
                return i;
            }
        }
        return pattern.length;
    }

    /** True when the pattern has no special byte at all and so matches only the identical string. */
    public static boolean isLiteral(byte[] pattern) {
        return literalPrefixLength(pattern) == pattern.length;
    }

    private static int match(byte[] pattern, int p, int patternEnd, ByteBuf s, int si, int stringLeft, int nesting) {
        if (nesting > MAX_NESTING) {
            return NO_MATCH;
        }
        while (p < patternEnd && stringLeft > 0) {
            byte pc = pattern[p];
            if (pc == '*') {
                while (p + 1 < patternEnd && pattern[p + 1] == '*') {
                    p++;
                }
                if (p + 1 == patternEnd) {
                    return MATCH;
                }
                while (stringLeft > 0) {
                    int r = match(pattern, p + 1, patternEnd, s, si, stringLeft, nesting + 1);
                    if (r != NO_MATCH) {
                        return r;
                    }
                    si++;
                    stringLeft--;
                }
                return ABANDON;
            } else if (pc == '?') {
                p++;
            } else if (pc == '[') {
                byte c = s.getByte(si);
                p++;
                boolean negate = p < patternEnd && pattern[p] == '^';
                if (negate) {
                    p++;
                }
                boolean matched = false;
                while (true) {
                    if (p + 1 < patternEnd && pattern[p] == '\\') {
                        p++;
                        matched |= pattern[p] == c;
                        p++;
                    } else if (p < patternEnd && pattern[p] == ']') {
                        p++;
                        break;
                    } else if (p == patternEnd) {
                        break;
                    } else if (p + 2 < patternEnd && pattern[p + 1] == '-') {
                        byte from = pattern[p];
                        byte to = pattern[p + 2];
                        if (from > to) {
                            byte t = from;
                            from = to;
                            to = t;
                        }
                        matched |= c >= from && c <= to;
                        p += 3;
                    } else {
                        matched |= pattern[p] == c;
                        p++;
                    }
                }
                if (matched == negate) {
                    return NO_MATCH;
                }
            } else {
                if (pc == '\\' && p + 1 < patternEnd) {
                    p++;
                }
                if (pattern[p] != s.getByte(si)) {
                    return NO_MATCH;
                }
                p++;
            }
            si++;
            stringLeft--;
            if (stringLeft == 0) {
                while (p < patternEnd && pattern[p] == '*') {
                    p++;
                }
                break;
            }
        }
        return p == patternEnd && stringLeft == 0 ? MATCH : NO_MATCH;
    }
}
