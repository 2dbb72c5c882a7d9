package io.lightbroker.broker.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;

/**
 * One raw TCP connection to a NATS server, with the tiny {@code send}/{@code expect} helpers the raw
 * protocol tests use and the quiet-period reads the differential harness is built on. Same design as
 * the RESP side's {@code RawRespConnection}: reads poll the socket in short slices, so no read blocks
 * past its deadline, and an end of stream or a reset is recorded as {@link #isClosedByPeer()}.
 */
public final class RawNatsConnection implements AutoCloseable {

    private static final int POLL_MILLIS = 10;
    private static final Duration EXPECT_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private boolean closedByPeer;
    /** Bytes read past the end of what an {@code expect} consumed; served first by the next read. */
    private byte[] leftover = new byte[0];

    private RawNatsConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawNatsConnection open(String host, int port) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(POLL_MILLIS);
            return new RawNatsConnection(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the connect failure is the error worth reporting
            }
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    public static RawNatsConnection open(NatsTarget target) {
        return open(target.host(), target.port());
    }

    /** Sends bytes written in the {@link NatsBytes#unescape escape syntax}, e.g. {@code "PING\\r\\n"}. */
    public RawNatsConnection send(String escaped) {
        return sendBytes(NatsBytes.unescape(escaped));
    }

    public RawNatsConnection sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("write of " + bytes.length + " bytes failed", e);
        }
    }

    /** Reads the server's greeting and asserts it is an INFO line. */
    public RawNatsConnection expectInfo() {
        byte[] frame = readFrame(EXPECT_TIMEOUT);
        if (!NatsBytes.latin1(frame).startsWith("INFO {")) {
            throw new AssertionError("expected an INFO line but got <" + NatsBytes.escape(frame) + ">");
        }
        return this;
    }

    /** Reads exactly as many bytes as {@code escaped} decodes to and asserts they match. */
    public RawNatsConnection expect(String escaped) {
        byte[] expected = NatsBytes.unescape(escaped);
        byte[] got = readExactly(expected.length, EXPECT_TIMEOUT);
        if (!Arrays.equals(expected, got)) {
            throw new AssertionError("expected <" + escaped + "> but got <" + NatsBytes.escape(got) + ">"
                    + (closedByPeer ? " and the server closed the connection" : ""));
        }
        return this;
    }

    /** Reads one complete server frame (a line, or a MSG/HMSG with its payload). */
    public byte[] readFrame(Duration timeout) {
        ByteArrayOutputStream got = takeLeftover();
        long start = System.nanoTime();
        while (true) {
            byte[] soFar = got.toByteArray();
            int end = NatsBytes.frameEnd(soFar, 0, soFar.length);
            if (end >= 0) {
                leftover = Arrays.copyOfRange(soFar, end, soFar.length);
                return Arrays.copyOf(soFar, end);
            }
            if (closedByPeer || System.nanoTime() - start >= timeout.toNanos()) {
                throw new AssertionError("no complete frame within " + timeout + "; got <" + NatsBytes.escape(soFar) + ">"
                        + (closedByPeer ? " then close" : ""));
            }
            pollInto(got);
        }
    }

    /** Asserts the server closes the connection within two seconds without sending anything more. */
    public void expectClosed() {
        Read rest = awaitClose(Duration.ofSeconds(2));
        if (!rest.closed() || rest.bytes().length > 0) {
            throw new AssertionError("expected the server to close the connection; got <"
                    + NatsBytes.escape(rest.bytes()) + ">" + (rest.closed() ? " then close" : " and it stayed open"));
        }
    }

    /**
     * Waits up to {@code firstByte} for the first byte, then reads until nothing has arrived for
     * {@code quiet}. Returns at once with what it has if the server closes.
     */
    public Read readUntilQuiet(Duration firstByte, Duration quiet) {
        ByteArrayOutputStream got = takeLeftover();
        long start = System.nanoTime();
        long lastData = start;
        while (!closedByPeer) {
            long now = System.nanoTime();
            if (got.size() == 0 && now - start >= firstByte.toNanos()) {
                break;
            }
            if (got.size() > 0 && now - lastData >= quiet.toNanos()) {
                break;
            }
            if (pollInto(got)) {
                lastData = System.nanoTime();
            }
        }
        return new Read(got.toByteArray(), closedByPeer);
    }

    /**
     * Reads until {@code frames} complete frames have arrived (or the deadline passes, or the server
     * closes), then keeps reading until {@code quiet} passes with nothing new, so extra bytes are
     * returned rather than left for the next read.
     */
    public Read readFrames(int frames, Duration deadline, Duration quiet) {
        ByteArrayOutputStream got = takeLeftover();
        long start = System.nanoTime();
        long lastData = start;
        byte[] initial = got.toByteArray();
        boolean enough = NatsBytes.countCompleteFrames(initial, initial.length) >= frames;
        while (!closedByPeer) {
            long now = System.nanoTime();
            if (!enough && now - start >= deadline.toNanos()) {
                break;
            }
            if (enough && now - lastData >= quiet.toNanos()) {
                break;
            }
            if (pollInto(got)) {
                lastData = System.nanoTime();
                if (!enough) {
                    byte[] soFar = got.toByteArray();
                    enough = NatsBytes.countCompleteFrames(soFar, soFar.length) >= frames;
                }
            }
        }
        return new Read(got.toByteArray(), closedByPeer);
    }

    /** Reads until the server closes the connection or the timeout passes; returns what arrived meanwhile. */
    public Read awaitClose(Duration timeout) {
        ByteArrayOutputStream got = takeLeftover();
        long start = System.nanoTime();
        while (!closedByPeer && System.nanoTime() - start < timeout.toNanos()) {
            pollInto(got);
        }
        return new Read(got.toByteArray(), closedByPeer);
    }

    private byte[] readExactly(int length, Duration timeout) {
        ByteArrayOutputStream got = takeLeftover();
        long start = System.nanoTime();
        while (!closedByPeer && got.size() < length && System.nanoTime() - start < timeout.toNanos()) {
            pollInto(got);
        }
        byte[] all = got.toByteArray();
        if (all.length > length) {
            leftover = Arrays.copyOfRange(all, length, all.length);
            return Arrays.copyOf(all, length);
        }
        return all;
    }

    /** Puts bytes already read back in front of the stream, so the next read sees them first. */
    public void unread(byte[] bytes) {
        byte[] joined = Arrays.copyOf(bytes, bytes.length + leftover.length);
        System.arraycopy(leftover, 0, joined, bytes.length, leftover.length);
        leftover = joined;
    }

    private ByteArrayOutputStream takeLeftover() {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        got.writeBytes(leftover);
        leftover = new byte[0];
        return got;
    }

    /** One read slice; returns true if bytes arrived. */
    private boolean pollInto(ByteArrayOutputStream got) {
        byte[] buf = new byte[64 * 1024];
        try {
            int n = in.read(buf);
            if (n < 0) {
                closedByPeer = true;
                return false;
            }
            got.write(buf, 0, n);
            return n > 0;
        } catch (SocketTimeoutException quietSlice) {
            return false;
        } catch (SocketException reset) {
            closedByPeer = true;
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public boolean isClosedByPeer() {
        return closedByPeer;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket cannot fail in a way that matters to the test
        }
    }

    /** Bytes received by one read, and whether the server had closed the connection by its end. */
    public record Read(byte[] bytes, boolean closed) {}
}
