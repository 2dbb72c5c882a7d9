package io.lightbroker.nats;

import io.netty.buffer.ByteBuf;

/**
 * A reusable cursor over the '.'-separated tokens of a subject held in a {@code ByteBuf} or a
 * {@code byte[]}, so callers can walk subjects without allocating. Empty tokens (as in {@code a..b}
 * or a trailing dot) are reported as tokens of length 0; validity is {@link NatsSubjects}' business.
 *
 * <p>Typical use: {@code reset(buf, i, n); while (t.next()) { use t.tokenIndex(), t.tokenLength() }}.
 * Indices are absolute into the buffer or array given to {@code reset}. Not thread-safe.
 */
public final class SubjectTokens {

    private ByteBuf buf;
    private byte[] array;
    private int end;
    private int next;
    private int tokenIndex;
    private int tokenLength;
    private boolean done;

    public SubjectTokens reset(ByteBuf buf, int index, int length) {
        this.buf = buf;
        this.array = null;
        return start(index, length);
    }

    public SubjectTokens reset(byte[] array, int index, int length) {
        this.buf = null;
        this.array = array;
        return start(index, length);
    }

    private SubjectTokens start(int index, int length) {
        this.next = index;
        this.end = index + length;
        this.done = false;
        this.tokenIndex = index;
        this.tokenLength = 0;
        return this;
    }

    /** Advances to the next token; false when there are no more. An empty subject has one empty token. */
    public boolean next() {
        if (done) {
            return false;
        }
        int i = next;
        while (i < end && byteAt(i) != '.') {
            i++;
        }
        tokenIndex = next;
        tokenLength = i - next;
        if (i == end) {
            done = true;
        } else {
            next = i + 1;
        }
        return true;
    }

    public int tokenIndex() {
        return tokenIndex;
    }

    public int tokenLength() {
        return tokenLength;
    }

    /** Whether the current token is exactly the one byte {@code b}. */
    public boolean tokenIs(byte b) {
        return tokenLength == 1 && byteAt(tokenIndex) == b;
    }

    private byte byteAt(int i) {
        return array != null ? array[i] : buf.getByte(i);
    }
}
