package io.lightbroker.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * One publishing connection on its own thread: fills a large array with as many frames as flow
 * control allows, writes it with one call, then reads whatever replies have arrived.
 *
 * <p>Flow control is what real clients do, so a slow server is measured rather than flooded:
 * <ul>
 *   <li>NATS: a PING after every {@code pingEvery} messages; at most {@code window} messages may
 *       be sent ahead of the last PONG (nats-server answers a PING only after processing
 *       everything before it).
 *   <li>RESP: every PUBLISH returns an integer; at most {@code window} may be outstanding.
 * </ul>
 * Optionally also an end-to-end bound: no more than {@code backlogLimit} messages published but
 * not yet received by the slowest subscriber. Without it a generator whose subscribers are slower
 * than the server would push the server into its slow-consumer policy (disconnect) and report
 * loss that is the generator's fault.
 *
 * <p>Rate mode (latency): message i is due at {@code start + i * interval} and carries that
 * intended time as its timestamp, so falling behind schedule shows up as latency (coordinated
 * omission correction) and is never silently skipped.
 *
 * <p>Threading: {@link #connect} runs on the caller's thread; {@link #run} on the publisher's own.
 * Callers read results only after {@link #done} counts down; {@link #sentProgress} is the one
 * field read while running.
 */
final class Publisher implements Runnable {
    private static final int OUT_BUFFER = 256 * 1024;
    private static final int IN_BUFFER = 64 * 1024;

    private final int index;
    private final Wire wire;
    private final InetSocketAddress addr;
    private final byte[][] headers;
    private final int payloadLen;
    private final long quota;
    private final long durationNanos;
    private final long intervalNanos;
    private final int pingEvery;
    private final long window;
    private final CountDownLatch go;
    final CountDownLatch done = new CountDownLatch(1);
    private LongSupplier backlog;
    private Runnable idle;
    private long stallFrom = Long.MAX_VALUE;
    private Stalls stalls;
    private boolean countingStalls;
    private long backlogLimit;
    private long hardDeadline;
    private long startNanos;

    private SocketChannel ch;
    private Selector selector;
    private SelectionKey key;
    private final byte[] out;
    private final ByteBuffer outBuf;
    private final byte[] in = new byte[IN_BUFFER];
    private final ByteBuffer inBuf = ByteBuffer.wrap(in);
    private final int maxBatch;

    private long sent;
    private long acked;
    private long[] pingMarks;
    private int pingHead;
    private int pingTail;
    private boolean ready;
    private boolean pongOwed;
    private int headerIndex;

    volatile long sentProgress;
    long firstSendNanos;
    long lastAckNanos;
    long publishReplies;
    volatile Throwable error;

    Publisher(int index, Proto proto, InetSocketAddress addr, byte[][] headers, int payloadLen,
            long quota, long durationNanos, long intervalNanos, int pingEvery, long window,
            CountDownLatch go) {
        this.index = index;
        this.wire = proto.wire();
        this.addr = addr;
        this.headers = headers;
        this.payloadLen = payloadLen;
        this.quota = quota;
        this.durationNanos = durationNanos;
        this.intervalNanos = intervalNanos;
        this.pingEvery = pingEvery;
        this.window = Math.max(1, window);
        this.go = go;
        int maxHeader = 0;
        for (byte[] h : headers) {
            maxHeader = Math.max(maxHeader, h.length);
        }
        int frameMax = maxHeader + payloadLen + 2 + wire.ping().length;
        out = new byte[Math.max(OUT_BUFFER, frameMax + 64)];
        outBuf = ByteBuffer.wrap(out);
        maxBatch = Math.max(1, (out.length - 64) / frameMax);
        pingMarks = new long[(int) Math.min(1 << 20, window / Math.max(1, pingEvery) + 8)];
    }

    /**
     * Work to do instead of sleeping while a paced send is not yet due: the latency scenario
     * reads its subscribers here, so the whole generator is one busy thread that the scheduler
     * never has to wake.
     */
    void whileWaiting(Runnable idle, Stalls stalls, long countStallsFromMessage) {
        this.idle = idle;
        this.stalls = stalls;
        this.stallFrom = countStallsFromMessage;
    }

    void limitBacklog(LongSupplier backlog, long limit) {
        this.backlog = backlog;
        this.backlogLimit = limit;
    }

    /** Connects and waits for the server's first pong, so setup errors surface before timing. */
    void connect(long setupDeadlineNanos, long deadlineNanos) throws IOException {
        this.hardDeadline = setupDeadlineNanos;
        ch = Net.connect(addr);
        byte[] c = wire.connect();
        byte[] p = wire.ping();
        ByteBuffer hello = ByteBuffer.allocate(c.length + p.length).put(c).put(p).flip();
        Net.writeFully(ch, hello);
        ch.configureBlocking(false);
        selector = Selector.open();
        key = ch.register(selector, SelectionKey.OP_READ);
        while (!ready) {
            awaitReplies(); // bounded by the setup deadline
        }
        this.hardDeadline = deadlineNanos;
    }

    void setStart(long startNanos) {
        this.startNanos = startNanos;
    }

    long sent() {
        return sent;
    }

    @Override
    public void run() {
        try {
            go.await();
            publish();
        } catch (Throwable e) {
            error = e;
        } finally {
            sentProgress = sent;
            done.countDown();
        }
    }

    void close() {
        if (ch != null) {
            Net.closeQuietly(ch);
        }
        if (selector != null) {
            try {
                selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void publish() throws IOException {
        final long t0 = startNanos;
        final long end = durationNanos > 0 && intervalNanos == 0 ? t0 + durationNanos : Long.MAX_VALUE;
        firstSendNanos = System.nanoTime();
        while (sent < quota) {
            long now = System.nanoTime();
            if (idle != null) {
                turn(now);
            }
            if (end != Long.MAX_VALUE && now - end >= 0) {
                break;
            }
            checkDeadline(now);
            long allowed = quota - sent;
            if (intervalNanos > 0) {
                long due = (now - t0) / intervalNanos + 1 - sent;
                if (due <= 0) {
                    if (sent != acked) {
                        pollReplies();
                    }
                    pace(t0 + sent * intervalNanos - System.nanoTime());
                    continue;
                }
                allowed = Math.min(allowed, due);
            }
            long room = window - (sent - acked);
            if (room <= 0) {
                awaitReplies();
                continue;
            }
            if (backlog != null && backlog.getAsLong() > backlogLimit) {
                pollReplies();
                LockSupport.parkNanos(20_000);
                continue;
            }
            int n = (int) Math.min(Math.min(allowed, room), maxBatch);
            int len = fill(n, now, t0);
            flush(len);
            sentProgress = sent;
            pollReplies();
            if (idle != null) {
                idle.run();
            }
        }
        int len = 0;
        if (!wire.repliesToEachPublish() && (pingHead == pingTail ? acked : lastMark()) != sent) {
            len = appendPing(len);
        }
        if (pongOwed) {
            len = appendPong(len);
        }
        flush(len);
        while (acked < sent) {
            checkDeadline(System.nanoTime());
            awaitReplies();
        }
        lastAckNanos = System.nanoTime();
        if (stalls != null) {
            stalls.stop();
        }
    }

    private int fill(int n, long now, long t0) {
        byte[] o = out;
        int pos = 0;
        if (pongOwed) {
            pos = appendPong(pos);
        }
        int hi = headerIndex;
        byte[][] hs = headers;
        int plen = payloadLen;
        boolean pings = !wire.repliesToEachPublish();
        long s = sent;
        for (int i = 0; i < n; i++) {
            byte[] h = hs[hi];
            if (++hi == hs.length) {
                hi = 0;
            }
            System.arraycopy(h, 0, o, pos, h.length);
            pos += h.length;
            Payload.write(o, pos, Payload.seqWord(index, s), intervalNanos > 0 ? t0 + s * intervalNanos : now);
            pos += plen;
            o[pos++] = '\r';
            o[pos++] = '\n';
            s++;
            if (pings && s % pingEvery == 0) {
                sent = s;
                pos = appendPing(pos);
            }
        }
        sent = s;
        headerIndex = hi;
        return pos;
    }

    private int appendPing(int pos) {
        byte[] p = wire.ping();
        System.arraycopy(p, 0, out, pos, p.length);
        if (pingTail - pingHead == pingMarks.length) {
            long[] bigger = new long[pingMarks.length * 2];
            for (int i = pingHead; i < pingTail; i++) {
                bigger[i - pingHead] = pingMarks[i % pingMarks.length];
            }
            pingTail -= pingHead;
            pingHead = 0;
            pingMarks = bigger;
        }
        pingMarks[pingTail++ % pingMarks.length] = sent;
        return pos + p.length;
    }

    private long lastMark() {
        return pingMarks[(pingTail - 1) % pingMarks.length];
    }

    private int appendPong(int pos) {
        System.arraycopy(NatsWire.PONG, 0, out, pos, NatsWire.PONG.length);
        pongOwed = false;
        return pos + NatsWire.PONG.length;
    }

    /* Writes out[0, len) completely, reading replies while the socket is full so that neither
     * side can block the other. */
    private void flush(int len) throws IOException {
        outBuf.clear().limit(len);
        while (outBuf.hasRemaining()) {
            if (ch.write(outBuf) == 0) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                selector.select(100);
                selector.selectedKeys().clear();
                key.interestOps(SelectionKey.OP_READ);
                pollReplies();
                checkDeadline(System.nanoTime());
            }
        }
    }

    private void awaitReplies() throws IOException {
        if (pollReplies() > 0) {
            return;
        }
        if (idle != null) {
            idle.run();
            long t = System.nanoTime();
            turn(t);
            checkDeadline(t);
            return;
        }
        selector.select(100);
        selector.selectedKeys().clear();
        pollReplies();
        checkDeadline(System.nanoTime());
    }

    private int pollReplies() throws IOException {
        int total = 0;
        while (true) {
            int n = ch.read(inBuf);
            if (n < 0) {
                throw new IOException("connection closed by the server after " + sent + " messages sent, "
                        + acked + " acknowledged");
            }
            if (n == 0) {
                return total;
            }
            total += n;
            int end = inBuf.position();
            int used = wire.parsePublisherReplies(in, 0, end, this);
            System.arraycopy(in, used, in, 0, end - used);
            inBuf.clear().position(end - used);
            if (end - used == in.length) {
                throw new IOException("reply line longer than " + in.length + " bytes");
            }
        }
    }

    /* Sleeps are coarse (a park overshoots by ~50-60 us on Linux: the timer slack plus the
     * wake-up) and spinning would take the core from our own subscriber threads when the
     * generator is pinned to one core, so: park for long waits, yield for short ones. A late
     * wake-up is charged as latency anyway. With an idle task (the latency scenario) there is no
     * other thread to make room for: run it until the send is due. */
    private void pace(long waitNanos) {
        if (idle != null) {
            long t = System.nanoTime();
            long due = t + waitNanos;
            do {
                idle.run();
                t = System.nanoTime();
                turn(t);
            } while (due - t > 0);
        } else if (waitNanos > 120_000) {
            LockSupport.parkNanos(waitNanos - 70_000);
        } else {
            Thread.yield();
        }
    }

    /* With an idle task the loop never sleeps, so the gaps between its turns are time the
     * generator was not running; see Stalls. */
    private void turn(long t) {
        if (!countingStalls && sent >= stallFrom) {
            countingStalls = true;
            stalls.countFrom(t);
        }
        stalls.turn(t);
    }

    private void checkDeadline(long now) throws IOException {
        if (hardDeadline != 0 && now - hardDeadline > 0) {
            throw new IOException(ready
                    ? "hard timeout: publisher " + index + " sent " + sent + ", acknowledged " + acked
                    : "publisher " + index + " got no answer to its first ping from " + addr
                            + " within the setup timeout (does it speak " + wire.proto().label() + "?)");
        }
    }

    void onPong() {
        if (!ready) {
            ready = true;
            return;
        }
        if (pingHead == pingTail) {
            return; // unsolicited; nothing outstanding
        }
        acked = pingMarks[pingHead++ % pingMarks.length];
    }

    void onPublishReply() {
        publishReplies++;
        acked++;
    }

    void onServerPing() {
        pongOwed = true;
    }
}
