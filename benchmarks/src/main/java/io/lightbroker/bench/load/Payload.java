package io.lightbroker.bench.load;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Layout of every benchmark payload: an 8-byte big-endian sequence word, an 8-byte big-endian
 * {@code System.nanoTime()} send timestamp, then padding up to the requested size.
 *
 * <p>The sequence word carries the publisher's index in its top 16 bits and that publisher's
 * message number (from 0) in the low 48, so a subscriber can check per-publisher order without
 * a header or a subject per publisher. The timestamp is the <em>intended</em> send time when the
 * publisher is rate-limited (latency scenario), which is what corrects for coordinated omission:
 * a publisher that falls behind its schedule is charged for the delay.
 *
 * <p>Padding bytes are whatever the reused output buffer held: both protocols delimit payloads by
 * length, so their content is irrelevant, and not clearing them saves a memset per message.
 */
final class Payload {
    static final int MIN_SIZE = 16;
    /** nats-server's default max_payload; also bounds the subscriber read buffers. */
    static final int MAX_SIZE = 1024 * 1024;
    static final int PUBLISHER_SHIFT = 48;
    static final long NUMBER_MASK = (1L << PUBLISHER_SHIFT) - 1;
    static final int MAX_PUBLISHERS = 1 << 15;

    private static final VarHandle LONG_BE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Payload() {
    }

    static long seqWord(int publisher, long number) {
        return ((long) publisher << PUBLISHER_SHIFT) | number;
    }

    static int publisherOf(long seqWord) {
        return (int) (seqWord >>> PUBLISHER_SHIFT);
    }

    static long numberOf(long seqWord) {
        return seqWord & NUMBER_MASK;
    }

    static void write(byte[] b, int off, long seqWord, long sendNanos) {
        LONG_BE.set(b, off, seqWord);
        LONG_BE.set(b, off + 8, sendNanos);
    }

    static long seqWord(byte[] b, int off) {
        return (long) LONG_BE.get(b, off);
    }

    static long sendNanos(byte[] b, int off) {
        return (long) LONG_BE.get(b, off + 8);
    }
}
