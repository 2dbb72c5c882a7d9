package io.lightbroker.resp;

/**
 * Size limits the request parser enforces while it reads a header, before anything is allocated.
 *
 * <p>{@link #DEFAULTS} are redis-server 7.0's: {@code proto-max-bulk-len} 512mb, a multibulk count up
 * to {@code INT_MAX} (7.0 dropped the older 1024*1024 cap: {@code *2147483647} is accepted and
 * {@code *2147483648} is "invalid multibulk length"), and {@code PROTO_INLINE_MAX_SIZE} 64kb, which
 * Redis applies to an inline line and to the {@code *}/{@code $} count lines alike.
 *
 * @param maxBulkLength      largest accepted {@code $} length; larger is "invalid bulk length"
 * @param maxMultibulkLength largest accepted {@code *} count; larger is "invalid multibulk length"
 * @param maxInlineLength    unread bytes without a line end after which the request is "too big"
 */
public record RespLimits(long maxBulkLength, int maxMultibulkLength, int maxInlineLength) {

    public static final long REDIS_PROTO_MAX_BULK_LEN = 512L * 1024 * 1024;
    public static final int REDIS_MAX_MULTIBULK_LEN = Integer.MAX_VALUE;
    public static final int REDIS_PROTO_INLINE_MAX_SIZE = 64 * 1024;

    /** Before AUTH, Redis accepts at most this many arguments ({@code ll > 10 && authRequired}). */
    public static final int UNAUTHENTICATED_MAX_MULTIBULK_LEN = 10;
    /** Before AUTH, Redis accepts bulks of at most this many bytes ({@code ll > 16384 && authRequired}). */
    public static final int UNAUTHENTICATED_MAX_BULK_LEN = 16384;

    /** A ByteBuf holds at most {@code Integer.MAX_VALUE} bytes, and a bulk needs its CRLF too. */
    private static final long LARGEST_REPRESENTABLE_BULK = Integer.MAX_VALUE - 2;

    public static final RespLimits DEFAULTS =
            new RespLimits(REDIS_PROTO_MAX_BULK_LEN, REDIS_MAX_MULTIBULK_LEN, REDIS_PROTO_INLINE_MAX_SIZE);

    public RespLimits {
        if (maxBulkLength < 0 || maxBulkLength > LARGEST_REPRESENTABLE_BULK) {
            throw new IllegalArgumentException(
                    "maxBulkLength must be between 0 and " + LARGEST_REPRESENTABLE_BULK + ", was " + maxBulkLength);
        }
        if (maxMultibulkLength < 0) {
            throw new IllegalArgumentException("maxMultibulkLength must not be negative, was " + maxMultibulkLength);
        }
        if (maxInlineLength < 1) {
            throw new IllegalArgumentException("maxInlineLength must be positive, was " + maxInlineLength);
        }
    }
}
