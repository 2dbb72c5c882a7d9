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
 * One raw TCP connection to a RESP server, with the tiny {@code send}/{@code expect} helpers the raw
 * protocol tests use and the quiet-period reads the differential harness is built on.
 *
 * <p>All reads poll the socket in short slices, so a read never blocks longer than its deadline and
 * an end of stream (or a reset, which is how a server that closes with our bytes still unread looks
 * on Linux) is recorded as {@link #isClosedByPeer()} instead of being thrown.
 */
public final class RawRespConnection implements AutoCloseable {

    private static final int POLL_MILLIS = 10;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final byte[] readBuffer = new byte[16 * 1024];
    private boolean closedByPeer;

    private RawRespConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawRespConnection open(String host, int port) {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), 2_000);
            socket.setSoTimeout(POLL_MILLIS);
            return new RawRespConnection(socket);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // the connect failure is the error worth reporting
            }
            throw new UncheckedIOException("cannot connect to " + host + ":" + port, e);
        }
    }

    public static RawRespConnection open(RespTarget target) {
        return open(target.host(), target.port());
    }

    /** Sends bytes written in the {@link RespBytes#unescape escape syntax}, e.g. {@code "PING\\r\\n"}. */
    public RawRespConnection send(String escaped) {
        return sendBytes(RespBytes.unescape(escaped));
    }

    public RawRespConnection sendCommand(String... args) {
        return sendBytes(RespBytes.command(args));
    }

    public RawRespConnection sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("write of " + bytes.length + " bytes failed", e);
        }
    }

    /**
     * Reads exactly as many bytes as {@code escaped} decodes to (waiting up to two seconds) and
     * asserts they match.
     */
    public RawRespConnection expect(String escaped) {
        byte[] expected = RespBytes.unescape(escaped);
        Read got = readAtLeast(expected.length, Duration.ofSeconds(2));
        if (!Arrays.equals(expected, got.bytes())) {
            throw new AssertionError("expected <" + escaped + "> but got <" + RespBytes.escape(got.bytes())
                    + ">" + (got.closed() ? " and the server closed the connection" : ""));
        }
        return this;
    }

    /** Asserts the server closes the connection within two seconds without sending anything more. */
    public void expectClosed() {
        Read rest = awaitClose(Duration.ofSeconds(2));
        if (!rest.closed() || rest.bytes().length > 0) {
            throw new AssertionError("expected the server to close the connection; got <"
                    + RespBytes.escape(rest.bytes()) + ">" + (rest.closed() ? " then close" : " and it stayed open"));
        }
    }

    /**
     * Waits up to {@code firstByte} for the first byte, then keeps reading until nothing has arrived
     * for {@code quiet}. Returns immediately with what it has if the server closes.
     */
    public Read readUntilQuiet(Duration firstByte, Duration quiet) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
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
     * Reads until {@code frames} complete RESP frames have arrived (or the deadline passes, or the
     * server closes), then keeps reading while the server is still talking, until {@code quiet}
     * passes with nothing new. Extra bytes are therefore returned, not ignored.
     */
    public Read readFrames(int frames, Duration deadline, Duration quiet) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long start = System.nanoTime();
        long lastData = start;
        boolean enough = frames == 0;
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
                    enough = RespBytes.countCompleteFrames(soFar, soFar.length) >= frames;
                }
            }
        }
        return new Read(got.toByteArray(), closedByPeer);
    }

    /** Reads until the server closes the connection or the timeout passes; returns what arrived meanwhile. */
    public Read awaitClose(Duration timeout) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long start = System.nanoTime();
        while (!closedByPeer && System.nanoTime() - start < timeout.toNanos()) {
            pollInto(got);
        }
        return new Read(got.toByteArray(), closedByPeer);
    }

    private Read readAtLeast(int length, Duration timeout) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        long start = System.nanoTime();
        while (!closedByPeer && got.size() < length && System.nanoTime() - start < timeout.toNanos()) {
            pollInto(got);
        }
        return new Read(got.toByteArray(), closedByPeer);
    }

    /** One read slice; returns true if bytes arrived. */
    private boolean pollInto(ByteArrayOutputStream got) {
        try {
            int n = in.read(readBuffer);
            if (n < 0) {
                closedByPeer = true;
                return false;
            }
            got.write(readBuffer, 0, n);
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
