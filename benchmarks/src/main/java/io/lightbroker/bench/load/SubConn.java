package io.lightbroker.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.HdrHistogram.Histogram;

/**
 * One subscriber connection: its carried-over partial frame, delivery counters and per-publisher
 * order check.
 *
 * <p>Threading: everything here is touched only by the {@link SubscriberGroup} thread that owns the
 * connection, except the two volatile progress fields, which that thread publishes once per read
 * so that publishers (in-flight window) and the scenario (drain) can watch progress cheaply.
 *
 * <p>Order check: with {@code contiguous} every publisher's messages must arrive numbered 0, 1,
 * 2, ... (fan-out on one subject); otherwise this connection sees only a subset (wildcards) and
 * numbers need only increase. {@code outOfOrder} counts a number not above one already seen from
 * that publisher (reordering or duplicate); {@code gapMessages} counts numbers skipped (loss seen
 * in-stream). The scenario computes loss from totals, which also catches loss at the tail.
 */
final class SubConn {
    final SocketChannel channel;
    final Wire wire;
    final boolean contiguous;
    final int expectedAcks;

    byte[] carry = new byte[256];
    int carryLen;

    long received;
    long payloadBytes;
    long outOfOrder;
    long gapMessages;
    long lastReceiveNanos;
    int acks;
    long readNanos;
    Histogram latency;
    /** Samples no generator stall delayed (see {@link Stalls}), recorded only while {@link #stalls} is set. */
    Histogram unstalled;
    Stalls stalls;
    /** Latency is recorded only for message numbers from here on (the rest is JIT warm-up). */
    long recordFrom;
    private long[] next = new long[1];

    volatile long receivedProgress;
    volatile int acksProgress;
    volatile String error;

    SubConn(SocketChannel channel, Wire wire, boolean contiguous, int expectedAcks) {
        this.channel = channel;
        this.wire = wire;
        this.contiguous = contiguous;
        this.expectedAcks = expectedAcks;
    }

    void onMessage(byte[] b, int off, int len) {
        received++;
        payloadBytes += len;
        if (len < Payload.MIN_SIZE) {
            return; // not ours; counted as received, will show up as a count mismatch
        }
        long word = Payload.seqWord(b, off);
        int pub = Payload.publisherOf(word);
        long n = Payload.numberOf(word);
        if (pub >= next.length) {
            next = java.util.Arrays.copyOf(next, Math.min(Payload.MAX_PUBLISHERS, pub + 1));
        }
        long want = next[pub];
        if (n == want) {
            next[pub] = n + 1;
        } else if (n > want) {
            if (contiguous) {
                gapMessages += n - want;
            }
            next[pub] = n + 1;
        } else {
            outOfOrder++;
        }
        if (latency != null && n >= recordFrom) {
            long sent = Payload.sendNanos(b, off);
            long l = readNanos - sent;
            latency.recordValue(l < 0 ? 0 : l);
            if (stalls != null && !stalls.overlaps(sent, readNanos)) {
                unstalled.recordValue(l < 0 ? 0 : l);
            }
        }
    }

    void onAck() {
        acks++;
    }

    void onServerPing() throws IOException {
        ByteBuffer pong = ByteBuffer.wrap(NatsWire.PONG);
        // 6 bytes into an almost always empty socket buffer; give up rather than block a
        // selector thread shared with other connections.
        for (int i = 0; i < 1000 && pong.hasRemaining(); i++) {
            channel.write(pong);
        }
    }

    void keepCarry(byte[] b, int from, int end) {
        int n = end - from;
        if (n > carry.length) {
            carry = new byte[Math.max(n, carry.length * 2)];
        }
        System.arraycopy(b, from, carry, 0, n);
        carryLen = n;
    }

    void publishProgress() {
        if (received != receivedProgress) {
            lastReceiveNanos = readNanos;
            receivedProgress = received;
        }
        if (acks != acksProgress) {
            acksProgress = acks;
        }
    }
}
