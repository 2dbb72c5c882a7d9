package io.lightbroker.broker.resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** A raw socket with tiny send/expect helpers, for protocol tests (nats-server's test.go style). */
public final class RawConnection implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public RawConnection(int port) throws IOException {
        this(port, 0);
    }

    RawConnection(int port, int receiveBuffer) throws IOException {
        socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
        socket.setSoTimeout(5000);
        socket.setTcpNoDelay(true);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    public RawConnection send(String s) throws IOException {
        return send(s.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawConnection send(byte[] b) throws IOException {
        out.write(b);
        out.flush();
        return this;
    }

    /** Reads exactly as many bytes as {@code expected} has and returns them as text. */
    String read(int n) throws IOException {
        byte[] buf = in.readNBytes(n);
        return new String(buf, StandardCharsets.ISO_8859_1);
    }

    public String readExpected(String expected) throws IOException {
        return read(expected.getBytes(StandardCharsets.ISO_8859_1).length);
    }

    /** True when the server closed the connection (EOF) within the timeout. */
    public boolean closedByPeer() throws IOException {
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Whatever arrives within {@code millis}. */
    public String drain(int millis) throws IOException {
        socket.setSoTimeout(millis);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                b.write(buf, 0, n);
            }
        } catch (SocketTimeoutException done) {
            // quiet for the whole window
        } finally {
            socket.setSoTimeout(5000);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    public static String cmd(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.getBytes(StandardCharsets.ISO_8859_1).length).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }

    static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
