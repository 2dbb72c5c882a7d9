package io.lightbroker.bench.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * All subscriber connections of a run, spread over a few selector threads.
 *
 * <p>Why selectors and not a thread per connection: the connections scenario holds thousands of
 * sockets, and on a two-core box a thread per fan-out subscriber would spend the generator's one
 * core on context switches. A selector thread reads every ready socket into one large array it
 * owns, parses in place, and copies only a trailing partial frame into the connection's small
 * carry buffer, so memory is per thread, not per connection.
 *
 * <p>Lifecycle: {@link #open} connects and writes all subscriptions before any thread starts (no
 * cross-thread registration); {@link #start}; wait with {@link #awaitSubscribed}; measure; then
 * {@link #stop}, which joins the threads, after which all counters may be read plainly.
 */
final class SubscriberGroup implements AutoCloseable {
    /** One frame of the largest payload plus its header must fit. */
    private static final int READ_BUFFER = Payload.MAX_SIZE + 64 * 1024;

    private final List<SubConn> conns = new ArrayList<>();
    private final List<Loop> loops = new ArrayList<>();
    private final boolean recordLatency;

    SubscriberGroup(int threads, boolean recordLatency) throws IOException {
        this.recordLatency = recordLatency;
        for (int i = 0; i < threads; i++) {
            loops.add(new Loop(i));
        }
    }

    /** Connects one subscriber connection holding the given subscriptions (patterns if asked). */
    SubConn open(Proto proto, InetSocketAddress addr, List<String> subjects, boolean patterns,
            boolean contiguous) throws IOException {
        Wire wire = proto.wire();
        SocketChannel ch = Net.connect(addr);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + subjects.size() * 32);
        out.writeBytes(wire.connect());
        int sid = 1;
        for (String s : subjects) {
            out.writeBytes(patterns ? wire.patternSubscribe(s, sid++) : wire.subscribe(s, sid++));
        }
        if (wire.pingAfterSubscribe()) {
            out.writeBytes(wire.ping());
        }
        Net.writeFully(ch, ByteBuffer.wrap(out.toByteArray()));
        ch.configureBlocking(false);
        SubConn c = new SubConn(ch, wire, contiguous, wire.subscribeAcks(subjects.size()));
        Loop loop = loops.get(conns.size() % loops.size());
        ch.register(loop.selector, SelectionKey.OP_READ, c);
        if (recordLatency) {
            c.latency = loop.histogram;
            c.unstalled = loop.unstalledHistogram;
        }
        conns.add(c);
        return c;
    }

    List<SubConn> connections() {
        return conns;
    }

    void start() {
        for (Loop l : loops) {
            l.startThread();
        }
    }

    /**
     * Reads whatever has arrived on every connection, without blocking. Only while the reading
     * threads are stopped ({@link #stop}, then {@link #start} again later: connections stay
     * registered), and only from one thread at a time. The latency scenario publishes and reads
     * on one thread this way: see {@link Scenarios#latency}.
     */
    void pollNow() {
        for (Loop l : loops) {
            l.pollNow();
        }
    }

    /** Waits until every connection has all its subscription acknowledgements. */
    void awaitSubscribed(long deadlineNanos) throws IOException {
        for (SubConn c : conns) {
            while (c.acksProgress < c.expectedAcks) {
                checkErrors();
                if (System.nanoTime() - deadlineNanos > 0) {
                    throw new IOException("no subscription acknowledgement within the setup timeout ("
                            + c.acksProgress + "/" + c.expectedAcks + " on one connection; does the server speak "
                            + c.wire.proto().label() + "?)");
                }
                sleepMillis(1);
            }
        }
        checkErrors();
    }

    void checkErrors() throws IOException {
        for (SubConn c : conns) {
            String e = c.error;
            if (e != null) {
                throw new IOException("subscriber connection failed: " + e);
            }
        }
    }

    String firstError() {
        for (SubConn c : conns) {
            if (c.error != null) {
                return c.error;
            }
        }
        return null;
    }

    long receivedTotal() {
        long t = 0;
        for (SubConn c : conns) {
            t += c.receivedProgress;
        }
        return t;
    }

    /** Fewest messages any connection has received: the fan-out's slowest subscriber. */
    long receivedMin() {
        long m = Long.MAX_VALUE;
        for (SubConn c : conns) {
            long r = c.receivedProgress;
            if (r < m) {
                m = r;
            }
        }
        return m == Long.MAX_VALUE ? 0 : m;
    }

    /**
     * Waits until {@code expected} messages arrived in total, or nothing arrived for
     * {@code idleNanos}, or the deadline passed. Returns true if all arrived.
     */
    boolean awaitDelivered(long expected, long idleNanos, long deadlineNanos) {
        long last = -1;
        long lastChange = System.nanoTime();
        while (true) {
            long now = System.nanoTime();
            long got = receivedTotal();
            if (got >= expected) {
                return true;
            }
            if (got != last) {
                last = got;
                lastChange = now;
            } else if (now - lastChange > idleNanos || now - deadlineNanos > 0 || firstError() != null) {
                return false;
            }
            sleepMillis(1);
        }
    }

    /** Stops and joins the threads; afterwards every counter can be read without races. */
    void stop() {
        for (Loop l : loops) {
            l.running = false;
            l.selector.wakeup();
        }
        for (Loop l : loops) {
            if (l.thread == null) {
                continue;
            }
            try {
                l.thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * From now on every connection also records the samples that none of {@code stalls} delayed;
     * the generator's thread reports its stalls there (see {@link Stalls}).
     */
    void trackStalls(Stalls stalls) {
        for (SubConn c : conns) {
            c.stalls = stalls;
        }
    }

    Histogram unstalledLatency() {
        Histogram h = new Histogram(3);
        for (Loop l : loops) {
            h.add(l.unstalledHistogram);
        }
        return h;
    }

    Histogram latency() {
        Histogram h = new Histogram(3);
        for (Loop l : loops) {
            h.add(l.histogram);
        }
        return h;
    }

    @Override
    public void close() {
        stop();
        for (SubConn c : conns) {
            Net.closeQuietly(c.channel);
        }
        for (Loop l : loops) {
            try {
                l.selector.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Loop implements Runnable {
        final Selector selector;
        final int index;
        Thread thread;
        final byte[] buf = new byte[READ_BUFFER];
        final ByteBuffer bb = ByteBuffer.wrap(buf);
        final Histogram histogram = new Histogram(3);
        final Histogram unstalledHistogram = new Histogram(3);
        volatile boolean running = true;

        Loop(int index) throws IOException {
            selector = Selector.open();
            this.index = index;
        }

        void startThread() {
            running = true;
            thread = new Thread(this, "sub-" + index);
            thread.setDaemon(true);
            thread.start();
        }

        void pollNow() {
            try {
                if (selector.selectNow() > 0) {
                    readSelected();
                }
            } catch (IOException e) {
                failAll(e);
            }
        }

        @Override
        public void run() {
            try {
                while (running) {
                    if (selector.select(50) > 0) {
                        readSelected();
                    }
                }
            } catch (IOException e) {
                failAll(e);
            }
        }

        private void readSelected() {
            Iterator<SelectionKey> it = selector.selectedKeys().iterator();
            while (it.hasNext()) {
                SelectionKey k = it.next();
                it.remove();
                SubConn c = (SubConn) k.attachment();
                try {
                    read(c);
                } catch (IOException | RuntimeException e) {
                    c.error = String.valueOf(e.getMessage() == null ? e : e.getMessage());
                    k.cancel();
                    Net.closeQuietly(c.channel);
                }
            }
        }

        private void failAll(IOException e) {
            for (SubConn c : conns) {
                if (c.error == null) {
                    c.error = "selector failed: " + e;
                }
            }
        }

        /* Reads until the socket is drained (or a bounded number of times, to stay fair). */
        private void read(SubConn c) throws IOException {
            for (int round = 0; round < 4; round++) {
                int start = c.carryLen;
                System.arraycopy(c.carry, 0, buf, 0, start);
                bb.clear().position(start);
                int n = c.channel.read(bb);
                if (n < 0) {
                    throw new IOException("connection closed by the server after "
                            + c.received + " messages");
                }
                if (n == 0) {
                    return;
                }
                int end = bb.position();
                c.readNanos = System.nanoTime();
                if (c.stalls != null) {
                    c.stalls.read(c.readNanos);
                }
                int used = c.wire.parseSubscriber(buf, 0, end, c);
                c.keepCarry(buf, used, end);
                c.publishProgress();
                if (end < buf.length) {
                    return;
                }
            }
        }
    }
}
