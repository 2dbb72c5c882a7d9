package io.lightbroker.broker.fault;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A blocking client socket that reads CRLF lines and counted byte runs: enough to follow RESP
 * and NATS streams in a background thread. Unlike the raw send/expect helpers it never polls, so
 * a reader thread costs nothing while it waits.
 */
final class Wire implements AutoCloseable {
    final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Wire(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
        this.out = socket.getOutputStream();
    }

    static Wire connect(int port) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            // A reader that hears nothing for this long fails rather than hangs the test.
            s.setSoTimeout(20_000);
            return new Wire(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    void send(String latin1) throws IOException {
        out.write(latin1.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One line without its CRLF. */
    String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(64);
        int prev = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed after <" + b.toString(StandardCharsets.ISO_8859_1) + ">");
            }
            if (prev == '\r' && c == '\n') {
                byte[] bytes = b.toByteArray();
                return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
            }
            b.write(c);
            prev = c;
        }
    }

    /** {@code n} bytes and the CRLF behind them. */
    String counted(int n) throws IOException {
        byte[] b = in.readNBytes(n + 2);
        if (b.length < n + 2) {
            throw new EOFException("connection closed inside a " + n + "-byte payload");
        }
        if (b[n] != '\r' || b[n + 1] != '\n') {
            throw new IOException("payload of " + n + " bytes not followed by CRLF");
        }
        return new String(b, 0, n, StandardCharsets.ISO_8859_1);
    }

    /** A RESP2 array of bulk strings and integers, the only frames a subscribed connection gets. */
    List<String> respArray() throws IOException {
        String head = line();
        if (!head.startsWith("*")) {
            throw new IOException("expected a RESP array, got <" + head + ">");
        }
        int n = Integer.parseInt(head.substring(1));
        List<String> items = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String l = line();
            if (l.startsWith("$")) {
                items.add(counted(Integer.parseInt(l.substring(1))));
            } else if (l.startsWith(":")) {
                items.add(l.substring(1));
            } else {
                throw new IOException("unexpected RESP element <" + l + ">");
            }
        }
        return items;
    }

    /** Ends the connection with an RST instead of a FIN. */
    void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing below is what matters
        }
        close();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // a test socket that fails to close has nothing more to tell
        }
    }
}
