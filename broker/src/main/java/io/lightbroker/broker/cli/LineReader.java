package io.lightbroker.broker.cli;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * CRLF-terminated lines and counted payloads from a buffered stream: all both text protocols
 * need on the client side. Lines are capped so a confused peer cannot make the client buffer
 * without bound.
 */
final class LineReader {
    private static final int MAX_LINE = 64 * 1024;

    private final InputStream in;
    private final byte[] line = new byte[MAX_LINE];

    LineReader(InputStream in) {
        this.in = in;
    }

    /** The next line without its CRLF; null at end of stream before any byte of a line. */
    String readLine() throws IOException {
        int n = 0;
        while (true) {
            int c = in.read();
            if (c == -1) {
                if (n == 0) {
                    return null;
                }
                throw new EOFException("connection closed in the middle of a line");
            }
            if (c == '\n') {
                if (n > 0 && line[n - 1] == '\r') {
                    n--;
                }
                return new String(line, 0, n, StandardCharsets.UTF_8);
            }
            if (n == MAX_LINE) {
                throw new ProtocolException("protocol line longer than " + MAX_LINE + " bytes");
            }
            line[n++] = (byte) c;
        }
    }

    /** Exactly {@code len} bytes followed by CRLF. */
    byte[] readPayload(int len) throws IOException {
        byte[] b = in.readNBytes(len);
        if (b.length != len || in.read() != '\r' || in.read() != '\n') {
            throw new EOFException("connection closed in the middle of a payload");
        }
        return b;
    }
}
