package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The arguments of the command being delivered to a {@link RespCommandSink}, as slices of byte buffers.
 *
 * <p>One instance belongs to one {@link RespRequestParser} and is reused for every command, so a sink
 * must not keep it, nor any buffer or index it hands out, past {@code onCommand}: the next command
 * overwrites it and the caller may discard or reuse the input buffer. Copy with {@link #bytes} or
 * {@link #string} (or retain a slice yourself) to keep anything.
 *
 * <p>Multibulk arguments always point into the parser's input buffer. Inline arguments point into the
 * input buffer too unless they were written with quotes, whose escapes have to be decoded; those live
 * in a scratch buffer owned by this object. Offsets are stored relative to the start of the command and
 * made absolute on access, which is what lets the parser resume after the caller compacts or replaces
 * its cumulation buffer between reads.
 *
 * <p>To keep a payload without copying (fan-out of a PUBLISH), retain a slice of {@link #buffer} only when
 * {@link #isInputSlice} is true: the scratch buffer is overwritten by the next inline command.
 *
 * <p>Not thread-safe; touched only by the thread running the parser.
 */
public final class RespArgs {

    private static final int INITIAL_CAPACITY = 16;

    private ByteBuf input;
    private int base;
    private int count;
    private int[] offsets = new int[INITIAL_CAPACITY];
    private int[] lengths = new int[INITIAL_CAPACITY];
    /** Bit i set: argument i lives in {@link #scratch}; only inline commands set bits. */
    private long[] inScratch = new long[1];
    private boolean anyInScratch;

    private byte[] scratchBytes = new byte[0];
    private ByteBuf scratch = Unpooled.wrappedBuffer(scratchBytes);
    private int scratchLength;

    private final long[] parsedLong = new long[1];

    RespArgs() {
    }

    /**
     * Arguments backed by an unpooled heap buffer of their ISO-8859-1 bytes, for tests and for callers
     * that synthesise commands. Allocates.
     */
    public static RespArgs of(String... args) {
        int total = 0;
        for (String a : args) {
            total += a.length();
        }
        ByteBuf buf = Unpooled.buffer(total);
        RespArgs result = new RespArgs();
        result.start(buf, 0);
        for (String a : args) {
            int off = buf.writerIndex();
            buf.writeCharSequence(a, StandardCharsets.ISO_8859_1);
            result.add(off, a.length());
        }
        return result;
    }

    public int count() {
        return count;
    }

    public ByteBuf buffer(int i) {
        checkIndex(i);
        return isInScratch(i) ? scratch : input;
    }

    public int offset(int i) {
        checkIndex(i);
        return isInScratch(i) ? offsets[i] : base + offsets[i];
    }

    public int length(int i) {
        checkIndex(i);
        return lengths[i];
    }

    /** True when argument i is a slice of the parser's input buffer rather than of the reused scratch buffer. */
    public boolean isInputSlice(int i) {
        checkIndex(i);
        return !isInScratch(i);
    }

    public byte[] bytes(int i) {
        return ByteBufUtil.getBytes(buffer(i), offset(i), length(i));
    }

    /** The raw bytes as ISO-8859-1, which maps each byte to one char and back without loss. */
    public String string(int i) {
        return buffer(i).toString(offset(i), length(i), StandardCharsets.ISO_8859_1);
    }

    /**
     * ASCII case-insensitive comparison with a constant written in upper case, as Redis's
     * {@code strcasecmp} does for command names and options: only a-z are folded.
     */
    public boolean equalsIgnoreCase(int i, byte[] upperAscii) {
        int len = length(i);
        if (len != upperAscii.length) {
            return false;
        }
        ByteBuf buf = buffer(i);
        int off = offset(i);
        for (int j = 0; j < len; j++) {
            byte b = buf.getByte(off + j);
            byte u = upperAscii[j];
            if (b != u && !(b >= 'a' && b <= 'z' && b - ('a' - 'A') == u)) {
                return false;
            }
        }
        return true;
    }

    /** Redis {@code string2ll}: no '+', no spaces, no leading zeros except "0" itself, within long range. */
    public long parseLong(int i) throws NumberFormatException {
        if (!RespNumbers.parse(buffer(i), offset(i), length(i), parsedLong)) {
            throw new NumberFormatException("not a Redis integer: argument " + i);
        }
        return parsedLong[0];
    }

    /** Like {@link #parseLong} but reports failure by returning false, leaving the value in {@code result[0]}. */
    public boolean tryParseLong(int i, long[] result) {
        return RespNumbers.parse(buffer(i), offset(i), length(i), result);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("RespArgs[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append('"').append(string(i)).append('"');
        }
        return sb.append(']').toString();
    }

    void start(ByteBuf input, int base) {
        this.input = input;
        this.base = base;
        this.count = 0;
        this.scratchLength = 0;
        if (anyInScratch) {
            Arrays.fill(inScratch, 0L);
            anyInScratch = false;
        }
    }

    void rebase(ByteBuf input, int base) {
        this.input = input;
        this.base = base;
    }

    void clear() {
        start(null, 0);
    }

    /** Adds an argument at {@code relativeOffset} from the start of the command in the input buffer. */
    void add(int relativeOffset, int length) {
        ensureCapacity(count + 1);
        offsets[count] = relativeOffset;
        lengths[count] = length;
        count++;
    }

    /** Starts an argument in the scratch buffer; bytes follow through {@link #appendScratch}. */
    void beginScratchArg() {
        ensureCapacity(count + 1);
        offsets[count] = scratchLength;
        lengths[count] = 0;
        inScratch[count >>> 6] |= 1L << count;
        anyInScratch = true;
        count++;
    }

    void appendScratch(byte b) {
        if (scratchLength == scratchBytes.length) {
            scratchBytes = Arrays.copyOf(scratchBytes, Math.max(64, scratchBytes.length * 2));
            scratch = Unpooled.wrappedBuffer(scratchBytes);
        }
        scratchBytes[scratchLength++] = b;
        lengths[count - 1]++;
    }

    private boolean isInScratch(int i) {
        return anyInScratch && (inScratch[i >>> 6] & (1L << i)) != 0;
    }

    private void ensureCapacity(int needed) {
        if (needed > offsets.length) {
            int newCapacity = Math.max(needed, offsets.length * 2);
            offsets = Arrays.copyOf(offsets, newCapacity);
            lengths = Arrays.copyOf(lengths, newCapacity);
        }
        if ((needed + 63) >>> 6 > inScratch.length) {
            inScratch = Arrays.copyOf(inScratch, Math.max((needed + 63) >>> 6, inScratch.length * 2));
        }
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("argument " + i + " of " + count);
        }
    }
}
