package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;

/**
 * Redis's {@code string2ll} rules over raw bytes: an optional '-', then either the single digit "0" or a
 * digit 1-9 followed by digits, within the range of a signed 64-bit integer. No '+', no spaces, no
 * leading zeros, no "-0", and nothing of 21 bytes or more. The parser uses these rules for the
 * {@code *}/{@code $} counts, so "*01" and "$+3" are protocol errors exactly as in Redis.
 *
 * <p>{@link #parse} reports failure through its return value and leaves the number in a caller-owned
 * one-element array, so the parser's hot path neither allocates nor throws.
 */
final class RespNumbers {

    /** Redis's LONG_STR_SIZE: a string this long or longer is never a valid number. */
    private static final int LONG_STR_SIZE = 21;

    private RespNumbers() {
    }

    static boolean parse(ByteBuf buf, int offset, int length, long[] result) {
        if (length == 0 || length >= LONG_STR_SIZE) {
            return false;
        }
        if (length == 1 && buf.getByte(offset) == '0') {
            result[0] = 0;
            return true;
        }
        int i = offset;
        int end = offset + length;
        boolean negative = false;
        if (buf.getByte(i) == '-') {
            negative = true;
            if (++i == end) {
                return false;
            }
        }
        byte first = buf.getByte(i++);
        if (first < '1' || first > '9') {
            return false;
        }
        // Accumulated negatively so that Long.MIN_VALUE, whose magnitude has no positive long, fits.
        long acc = -(first - '0');
        long limit = negative ? Long.MIN_VALUE : -Long.MAX_VALUE;
        long multiplyLimit = limit / 10;
        for (; i < end; i++) {
            byte b = buf.getByte(i);
            if (b < '0' || b > '9') {
                return false;
            }
            int digit = b - '0';
            if (acc < multiplyLimit) {
                return false;
            }
            acc *= 10;
            if (acc < limit + digit) {
                return false;
            }
            acc -= digit;
        }
        result[0] = negative ? acc : -acc;
        return true;
    }

    /** Decimal digits of a non-negative value, for sizing length headers exactly. */
    static int digits(long nonNegative) {
        long threshold = 10;
        for (int d = 1; d < 19; d++) {
            if (nonNegative < threshold) {
                return d;
            }
            threshold *= 10;
        }
        return 19;
    }

    /** Bytes needed to write {@code value} in decimal, including a '-' sign. */
    static int decimalLength(long value) {
        if (value >= 0) {
            return digits(value);
        }
        if (value == Long.MIN_VALUE) {
            return 20;
        }
        return 1 + digits(-value);
    }

    /** Writes {@code value} in decimal, digit by digit, with no intermediate String. */
    static void writeDecimal(ByteBuf out, long value) {
        int len = decimalLength(value);
        out.ensureWritable(len);
        int start = out.writerIndex();
        int pos = start + len - 1;
        if (value < 0) {
            out.setByte(start, '-');
            // Digits are produced from the negative value so Long.MIN_VALUE needs no special case.
            while (value != 0) {
                out.setByte(pos--, (int) ('0' - value % 10));
                value /= 10;
            }
        } else {
            do {
                out.setByte(pos--, (int) ('0' + value % 10));
                value /= 10;
            } while (value != 0);
        }
        out.writerIndex(start + len);
    }
}
