package io.lightbroker.broker.testsupport;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte-level helpers shared by the raw protocol tests: the escape syntax used in test sources and
 * conversation files, and a RESP2/RESP3 frame-boundary scanner.
 *
 * <p>The scanner only finds where a complete top-level frame ends; it does not build a value tree.
 * That is all the differential harness needs: it counts the frames the reference server sent so it
 * can wait for the same number from the candidate, even when a normalised field (a version string,
 * a client id) gives the two replies different lengths.
 */
public final class RespBytes {

    private RespBytes() {}

    /**
     * Decodes the escape syntax: {@code \r \n \t \0 \\ \" \xHH}. Every other character stands for
     * itself and must be in the range 0..255 (one byte each).
     */
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

    /** Renders bytes in the same escape syntax that {@link #unescape} reads, so a diff can be pasted back. */
    public static String escape(byte[] bytes) {
        return escape(bytes, 0, bytes.length);
    }

    public static String escape(byte[] bytes, int offset, int length) {
        StringBuilder sb = new StringBuilder(length + 16);
        for (int i = offset; i < offset + length; i++) {
            int b = bytes[i] & 0xFF;
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

    /** Encodes a command the way real clients do: an array of bulk strings. */
    public static byte[] command(byte[]... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(latin1("*" + args.length + "\r\n"));
        for (byte[] arg : args) {
            out.writeBytes(latin1("$" + arg.length + "\r\n"));
            out.writeBytes(arg);
            out.writeBytes(latin1("\r\n"));
        }
        return out.toByteArray();
    }

    public static byte[] command(String... args) {
        byte[][] raw = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            raw[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return command(raw);
    }

    /**
     * Returns the index just past the complete frame starting at {@code start}, or -1 if the bytes up
     * to {@code limit} do not yet hold a complete frame. Unknown type bytes are treated as a single
     * line, which is how an inline error from a non-Redis server would look.
     */
    public static int frameEnd(byte[] buf, int start, int limit) {
        if (start >= limit) {
            return -1;
        }
        int lineEnd = indexOfCrlf(buf, start + 1, limit);
        if (lineEnd < 0) {
            return -1;
        }
        int afterHeader = lineEnd + 2;
        byte type = buf[start];
        long n;
        switch (type) {
            case '$', '!', '=', '*', '~', '>', '%', '|' -> {
                try {
                    n = Long.parseLong(new String(buf, start + 1, lineEnd - start - 1, StandardCharsets.ISO_8859_1));
                } catch (NumberFormatException notANumber) {
                    return afterHeader;
                }
            }
            default -> {
                return afterHeader;
            }
        }
        if (n < 0) {
            return afterHeader;
        }
        switch (type) {
            case '$', '!', '=' -> {
                long end = afterHeader + n + 2;
                return end <= limit ? (int) end : -1;
            }
            default -> {
                long children = (type == '%' || type == '|') ? 2 * n : n;
                int pos = afterHeader;
                for (long i = 0; i < children; i++) {
                    pos = frameEnd(buf, pos, limit);
                    if (pos < 0) {
                        return -1;
                    }
                }
                // An attribute map is metadata in front of the real reply; they form one frame together.
                return type == '|' ? frameEnd(buf, pos, limit) : pos;
            }
        }
    }

    /**
     * Splits bytes into complete top-level frames. An incomplete tail, if any, is returned as a final
     * element so that nothing a server sent is ever dropped from a comparison.
     */
    public static List<byte[]> splitFrames(byte[] data) {
        List<byte[]> frames = new ArrayList<>();
        int pos = 0;
        while (pos < data.length) {
            int end = frameEnd(data, pos, data.length);
            if (end < 0) {
                end = data.length;
            }
            frames.add(java.util.Arrays.copyOfRange(data, pos, end));
            pos = end;
        }
        return frames;
    }

    public static int countCompleteFrames(byte[] data, int length) {
        int count = 0;
        int pos = 0;
        while (pos < length) {
            int end = frameEnd(data, pos, length);
            if (end < 0) {
                break;
            }
            count++;
            pos = end;
        }
        return count;
    }

    private static int indexOfCrlf(byte[] buf, int from, int limit) {
        for (int i = from; i + 1 < limit; i++) {
            if (buf[i] == '\r' && buf[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
