package io.lightbroker.nats;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A strict, minimal JSON reader for the two JSON documents a NATS client sends: CONNECT and (rarely)
 * INFO. It exists because the codec module has no JSON library, and it accepts exactly what Go's
 * {@code encoding/json} accepts, since that is what decides in nats-server whether a CONNECT passes.
 *
 * <p>As in Go: whitespace is space, tab, CR and LF; no trailing commas, no single quotes, no leading
 * zeros, no raw control characters inside strings; nothing but whitespace after the value. Invalid
 * UTF-8 inside strings is accepted and decoded with replacement characters, as Go does.
 *
 * <p>A cursor over one (buffer, index, length) slice; not thread-safe, one instance per document.
 */
final class NatsJson {

    static final class SyntaxException extends Exception {
        private static final long serialVersionUID = 1L;

        SyntaxException(String message) {
            super(message, null, false, false);
        }
    }

    /** JSON value kinds, as returned by {@link #peekKind()}. */
    static final int OBJECT = 0;
    static final int ARRAY = 1;
    static final int STRING = 2;
    static final int NUMBER = 3;
    static final int TRUE = 4;
    static final int FALSE = 5;
    static final int NULL = 6;

    private static final int MAX_DEPTH = 10_000;

    private final ByteBuf buf;
    private final int end;
    private int pos;
    private final StringBuilder sb = new StringBuilder();

    NatsJson(ByteBuf buf, int index, int length) {
        this.buf = buf;
        this.pos = index;
        this.end = index + length;
    }

    /** Whether the slice is exactly one JSON value, surrounded by optional whitespace. */
    static boolean isValid(ByteBuf buf, int index, int length) {
        NatsJson json = new NatsJson(buf, index, length);
        try {
            json.skipValue();
            json.expectEnd();
            return true;
        } catch (SyntaxException e) {
            return false;
        }
    }

    void skipWhitespace() {
        while (pos < end) {
            byte b = buf.getByte(pos);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return;
            }
            pos++;
        }
    }

    void expectEnd() throws SyntaxException {
        skipWhitespace();
        if (pos != end) {
            throw new SyntaxException("invalid character after top-level value");
        }
    }

    int peekKind() throws SyntaxException {
        skipWhitespace();
        if (pos >= end) {
            throw new SyntaxException("unexpected end of JSON input");
        }
        byte b = buf.getByte(pos);
        return switch (b) {
            case '{' -> OBJECT;
            case '[' -> ARRAY;
            case '"' -> STRING;
            case 't' -> TRUE;
            case 'f' -> FALSE;
            case 'n' -> NULL;
            default -> {
                if (b == '-' || (b >= '0' && b <= '9')) {
                    yield NUMBER;
                }
                throw new SyntaxException("invalid character looking for beginning of value");
            }
        };
    }

    /**
     * Consumes '{' and returns whether a member follows; if not, the closing '}' is consumed too.
     * Iterate with {@link #readKey()}, one value, then {@link #afterMember()}.
     */
    boolean beginObject() throws SyntaxException {
        skipWhitespace();
        expect('{');
        skipWhitespace();
        if (pos < end && buf.getByte(pos) == '}') {
            pos++;
            return false;
        }
        return true;
    }

    /** Reads a member's key and the ':' after it. */
    String readKey() throws SyntaxException {
        String key = readString();
        skipWhitespace();
        expect(':');
        return key;
    }

    /** After a member's value: consumes ',' and returns true, or consumes '}' and returns false. */
    boolean afterMember() throws SyntaxException {
        skipWhitespace();
        if (pos >= end) {
            throw new SyntaxException("unexpected end of JSON input");
        }
        byte b = buf.getByte(pos++);
        if (b == ',') {
            return true;
        }
        if (b == '}') {
            return false;
        }
        throw new SyntaxException("invalid character after object key:value pair");
    }

    boolean readBoolean() throws SyntaxException {
        int kind = peekKind();
        if (kind == TRUE) {
            literal("true");
            return true;
        }
        if (kind == FALSE) {
            literal("false");
            return false;
        }
        throw new SyntaxException("not a boolean");
    }

    void readNull() throws SyntaxException {
        peekKind();
        literal("null");
    }

    /** Reads a number that Go would store in an int64: no fraction, no exponent, no overflow. */
    long readInteger() throws SyntaxException {
        skipWhitespace();
        int start = pos;
        boolean integral = skipNumber();
        if (!integral) {
            throw new SyntaxException("number is not an integer");
        }
        String text = buf.toString(start, pos - start, StandardCharsets.US_ASCII);
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new SyntaxException("number overflows int64");
        }
    }

    String readString() throws SyntaxException {
        skipWhitespace();
        expect('"');
        int start = pos;
        boolean plain = true;
        while (true) {
            if (pos >= end) {
                throw new SyntaxException("unexpected end of JSON input");
            }
            byte b = buf.getByte(pos);
            if (b == '"') {
                break;
            }
            if ((b & 0xff) < 0x20) {
                throw new SyntaxException("invalid character in string literal");
            }
            if (b == '\\') {
                plain = false;
                pos++;
                if (pos >= end) {
                    throw new SyntaxException("unexpected end of JSON input");
                }
                byte e = buf.getByte(pos);
                if (e == 'u') {
                    for (int k = 1; k <= 4; k++) {
                        if (pos + k >= end || hex(buf.getByte(pos + k)) < 0) {
                            throw new SyntaxException("invalid character in \\u escape");
                        }
                    }
                    pos += 4;
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    throw new SyntaxException("invalid escape in string literal");
                }
            }
            pos++;
        }
        int stop = pos;
        pos++;
        if (plain) {
            return buf.toString(start, stop - start, StandardCharsets.UTF_8);
        }
        return unescape(start, stop);
    }

    private String unescape(int start, int stop) {
        sb.setLength(0);
        int runStart = start;
        int i = start;
        while (i < stop) {
            if (buf.getByte(i) != '\\') {
                i++;
                continue;
            }
            sb.append(buf.toString(runStart, i - runStart, StandardCharsets.UTF_8));
            byte e = buf.getByte(i + 1);
            i += 2;
            switch (e) {
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'u' -> {
                    char c = (char) (hex(buf.getByte(i)) << 12 | hex(buf.getByte(i + 1)) << 8
                        | hex(buf.getByte(i + 2)) << 4 | hex(buf.getByte(i + 3)));
                    i += 4;
                    sb.append(c);
                }
                default -> sb.append((char) e);
            }
            runStart = i;
        }
        sb.append(buf.toString(runStart, stop - runStart, StandardCharsets.UTF_8));
        return replaceLoneSurrogates(sb);
    }

    /** Go decodes an unpaired {@code \\uD800}-style escape to U+FFFD; Java would keep it. */
    private static String replaceLoneSurrogates(StringBuilder sb) {
        for (int i = 0; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < sb.length() && Character.isLowSurrogate(sb.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                sb.setCharAt(i, '\uFFFD');
            }
        }
        return sb.toString();
    }

    void skipValue() throws SyntaxException {
        skipValue(0);
    }

    private void skipValue(int depth) throws SyntaxException {
        if (depth > MAX_DEPTH) {
            throw new SyntaxException("exceeded max depth");
        }
        switch (peekKind()) {
            case OBJECT -> {
                pos++;
                skipWhitespace();
                if (pos < end && buf.getByte(pos) == '}') {
                    pos++;
                    return;
                }
                do {
                    readString();
                    skipWhitespace();
                    expect(':');
                    skipValue(depth + 1);
                } while (afterMember());
            }
            case ARRAY -> {
                pos++;
                skipWhitespace();
                if (pos < end && buf.getByte(pos) == ']') {
                    pos++;
                    return;
                }
                while (true) {
                    skipValue(depth + 1);
                    skipWhitespace();
                    if (pos >= end) {
                        throw new SyntaxException("unexpected end of JSON input");
                    }
                    byte b = buf.getByte(pos++);
                    if (b == ']') {
                        return;
                    }
                    if (b != ',') {
                        throw new SyntaxException("invalid character after array element");
                    }
                }
            }
            case STRING -> readString();
            case NUMBER -> skipNumber();
            case TRUE -> literal("true");
            case FALSE -> literal("false");
            default -> literal("null");
        }
    }

    /** Consumes a JSON number; returns whether it had neither fraction nor exponent. */
    private boolean skipNumber() throws SyntaxException {
        boolean integral = true;
        if (pos < end && buf.getByte(pos) == '-') {
            pos++;
        }
        if (pos >= end) {
            throw new SyntaxException("unexpected end of JSON input");
        }
        byte b = buf.getByte(pos);
        if (b == '0') {
            pos++;
        } else if (b >= '1' && b <= '9') {
            skipDigits();
        } else {
            throw new SyntaxException("invalid character in numeric literal");
        }
        if (pos < end && buf.getByte(pos) == '.') {
            integral = false;
            pos++;
            requireDigits();
        }
        if (pos < end && (buf.getByte(pos) == 'e' || buf.getByte(pos) == 'E')) {
            integral = false;
            pos++;
            if (pos < end && (buf.getByte(pos) == '+' || buf.getByte(pos) == '-')) {
                pos++;
            }
            requireDigits();
        }
        return integral;
    }

    private void requireDigits() throws SyntaxException {
        if (pos >= end || buf.getByte(pos) < '0' || buf.getByte(pos) > '9') {
            throw new SyntaxException("invalid character in numeric literal");
        }
        skipDigits();
    }

    private void skipDigits() {
        while (pos < end && buf.getByte(pos) >= '0' && buf.getByte(pos) <= '9') {
            pos++;
        }
    }

    private void literal(String word) throws SyntaxException {
        if (end - pos < word.length()) {
            throw new SyntaxException("unexpected end of JSON input");
        }
        for (int k = 0; k < word.length(); k++) {
            if (buf.getByte(pos + k) != word.charAt(k)) {
                throw new SyntaxException("invalid character in literal");
            }
        }
        pos += word.length();
    }

    private void expect(char c) throws SyntaxException {
        if (pos >= end) {
            throw new SyntaxException("unexpected end of JSON input");
        }
        if (buf.getByte(pos) != c) {
            throw new SyntaxException("invalid character, expected '" + c + "'");
        }
        pos++;
    }

    private static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        if (b >= 'a' && b <= 'f') {
            return b - 'a' + 10;
        }
        if (b >= 'A' && b <= 'F') {
            return b - 'A' + 10;
        }
        return -1;
    }
}
