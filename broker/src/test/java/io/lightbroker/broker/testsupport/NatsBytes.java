package io.lightbroker.broker.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte-level helpers for the raw NATS tests: the escape syntax used in test sources and conversation
 * files (the same syntax the RESP tests use), and a scanner for the frames a NATS server sends.
 *
 * <p>Server-to-client NATS frames are lines ({@code INFO}, {@code +OK}, {@code -ERR}, {@code PING},
 * {@code PONG}) or a {@code MSG}/{@code HMSG} line followed by a payload whose length is the line's
 * last field, and a CRLF. The scanner only finds where a frame ends; the differential harness uses it
 * to wait for as many frames from the candidate as the reference sent, even when a normalised INFO
 * line gives the two replies different lengths.
 */
public final class NatsBytes {

    private NatsBytes() {}

    /** Decodes {@code \r \n \t \0 \\ \" \xHH}; every other character is one byte (0..255). */
    public static byte[] unescape(String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != '\\') {
                if (c > 0xFF) {
                    throw new IllegalArgumentException("non-latin1 character '" + c + "' in: " + text + " (use \\xHH)");
                }
                out.write(c);
                continue;
            }
            if (i + 1 >= text.length()) {
                throw new IllegalArgumentException("dangling backslash at end of: " + text);
            }
            char e = text.charAt(++i);
            switch (e) {
                case 'r' -> out.write('\r');
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case '0' -> out.write(0);
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case 'x' -> {
                    if (i + 2 >= text.length()) {
                        throw new IllegalArgumentException("truncated \\x escape in: " + text);
                    }
                    out.write(Integer.parseInt(text.substring(i + 1, i + 3), 16));
                    i += 2;
                }
                default -> throw new IllegalArgumentException("unknown escape \\" + e + " in: " + text);
            }
        }
        return out.toByteArray();
    }

    /** Renders bytes in the syntax {@link #unescape} reads, so a diff can be pasted back into a test. */
    public static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length + 16);
        for (byte value : bytes) {
            int b = value & 0xFF;
            switch (b) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (b >= 0x20 && b < 0x7F) {
                        sb.append((char) b);
                    } else {
                        sb.append(String.format("\\x%02x", b));
                    }
                }
            }
        }
        return sb.toString();
    }

    public static String latin1(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    public static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Where the frame starting at {@code from} ends (exclusive), or -1 if it is not complete within
     * {@code limit}. A line without a CRLF yet is incomplete; so is a MSG whose payload has not all arrived.
     */
    public static int frameEnd(byte[] b, int from, int limit) {
        int lineEnd = indexOfCrlf(b, from, limit);
        if (lineEnd < 0) {
            return -1;
        }
        int afterLine = lineEnd + 2;
        if (!startsWith(b, from, lineEnd, "MSG ") && !startsWith(b, from, lineEnd, "HMSG ")) {
            return afterLine;
        }
        int lastSpace = lineEnd - 1;
        while (lastSpace > from && b[lastSpace] != ' ') {
            lastSpace--;
        }
        long size;
        try {
            size = Long.parseLong(new String(b, lastSpace + 1, lineEnd - lastSpace - 1, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            // Not a well-formed message line: treat it as a plain line so the diff shows it.
            return afterLine;
        }
        long end = afterLine + size + 2;
        return end <= limit ? (int) end : -1;
    }

    /** Counts the complete frames in {@code b[0, limit)}. */
    public static int countCompleteFrames(byte[] b, int limit) {
        int count = 0;
        int pos = 0;
        while (pos < limit) {
            int end = frameEnd(b, pos, limit);
            if (end < 0) {
                break;
            }
            count++;
            pos = end;
        }
        return count;
    }

    /** Splits into frames; an incomplete tail becomes a last, partial frame so nothing is hidden from a diff. */
    public static List<byte[]> splitFrames(byte[] b) {
        List<byte[]> frames = new ArrayList<>();
        int pos = 0;
        while (pos < b.length) {
            int end = frameEnd(b, pos, b.length);
            if (end < 0) {
                end = b.length;
            }
            byte[] f = new byte[end - pos];
            System.arraycopy(b, pos, f, 0, f.length);
            frames.add(f);
            pos = end;
        }
        return frames;
    }

    private static int indexOfCrlf(byte[] b, int from, int limit) {
        for (int i = from; i + 1 < limit; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] b, int from, int limit, String prefix) {
        if (limit - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (b[from + i] != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
