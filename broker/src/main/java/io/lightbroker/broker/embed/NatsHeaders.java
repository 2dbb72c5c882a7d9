package io.lightbroker.broker.embed;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The NATS header block, as HPUB carries it: {@code NATS/1.0\r\n}, then one {@code Name: value\r\n}
 * line per value, then an empty line. A status line ({@code NATS/1.0 503}) is reported as the
 * pseudo-header {@link #STATUS}, which is how in-process code can see a no-responders answer.
 */
final class NatsHeaders {
    static final String STATUS = ":status";
    private static final byte[] PREAMBLE = "NATS/1.0\r\n".getBytes(StandardCharsets.US_ASCII);

    private NatsHeaders() {}

    static byte[] encode(Map<String, List<String>> headers) {
        if (headers == null || headers.isEmpty()) {
            return Message.NO_BYTES;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.writeBytes(PREAMBLE);
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            String name = e.getKey();
            checkToken(name, "header name");
            for (String v : e.getValue()) {
                checkValue(v);
                out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
                out.write(':');
                out.write(' ');
                out.writeBytes(v.getBytes(StandardCharsets.UTF_8));
                out.write('\r');
                out.write('\n');
            }
        }
        out.write('\r');
        out.write('\n');
        return out.toByteArray();
    }

    private static void checkToken(String name, String what) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException(what + " must not be empty");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == ':' || c >= 127) {
                throw new IllegalArgumentException(what + " '" + name + "' has a character NATS does not allow");
            }
        }
    }

    private static void checkValue(String v) {
        if (v.indexOf('\r') >= 0 || v.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("a header value must not contain CR or LF");
        }
    }

    static Map<String, List<String>> parse(byte[] block) {
        if (block.length == 0) {
            return Collections.emptyMap();
        }
        String text = new String(block, StandardCharsets.UTF_8);
        String[] lines = text.split("\r\n");
        Map<String, List<String>> out = new LinkedHashMap<>();
        String first = lines[0];
        if (first.length() > "NATS/1.0".length()) {
            out.put(STATUS, List.of(first.substring("NATS/1.0".length()).trim()));
        }
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            out.computeIfAbsent(line.substring(0, colon), k -> new ArrayList<>(1)).add(line.substring(colon + 1).trim());
        }
        out.replaceAll((k, v) -> List.copyOf(v));
        return Collections.unmodifiableMap(out);
    }
}
