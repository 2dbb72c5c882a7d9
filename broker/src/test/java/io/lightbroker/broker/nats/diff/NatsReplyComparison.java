package io.lightbroker.broker.nats.diff;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.lightbroker.broker.testsupport.NatsBytes;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the bytes one server sent during a read into the canonical text that is compared: split into
 * frames, each INFO line normalised, everything else byte for byte. Both servers' bytes go through
 * exactly this function, so the normalisation can never hide a one-sided difference elsewhere.
 *
 * <p>The only normalisation is of the INFO JSON. The values of the fields that identify a particular
 * server process or connection ({@link #VARIABLE_FIELDS}) become {@code "<variable>"}; nats-server's
 * {@code go} and lightbroker's {@code java} (the runtime version) are both renamed {@code <runtime>}.
 * Every other field ({@code proto}, {@code headers}, {@code max_payload}, {@code auth_required},
 * {@code ldm}, ...) is compared by value, the set of keys must be the same (so {@code client_id} must
 * be present on both or neither), and so must their order and the bytes around the JSON (nats-server
 * ends the line with a space before the CRLF).
 */
final class NatsReplyComparison {

    static final Set<String> VARIABLE_FIELDS =
            Set.of("server_id", "server_name", "version", "host", "port", "client_id", "client_ip", "nonce");
    static final Set<String> RUNTIME_FIELDS = Set.of("go", "java");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOW_LIMIT = 2_000;

    private NatsReplyComparison() {}

    /** With {@code unordered}, the frames are sorted, so only the multiset of frames is compared. */
    static String canonical(byte[] bytes, boolean unordered) {
        List<String> frames = new ArrayList<>();
        for (byte[] frame : NatsBytes.splitFrames(bytes)) {
            frames.add(canonicalFrame(NatsBytes.latin1(frame)));
        }
        if (unordered) {
            frames.sort(null);
            return "frames in any order: " + String.join("", frames);
        }
        return String.join("", frames);
    }

    private static String canonicalFrame(String frame) {
        if (!frame.startsWith("INFO ")) {
            return frame;
        }
        int open = frame.indexOf('{');
        int close = frame.lastIndexOf('}');
        if (open < 0 || close < open) {
            return frame;
        }
        JsonNode info;
        try {
            info = JSON.readTree(frame.substring(open, close + 1));
        } catch (JsonProcessingException e) {
            return frame;
        }
        if (!(info instanceof ObjectNode object)) {
            return frame;
        }
        ObjectNode normalised = JSON.createObjectNode();
        Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (RUNTIME_FIELDS.contains(f.getKey())) {
                normalised.set("<runtime>", TextNode.valueOf("<variable>"));
            } else if (VARIABLE_FIELDS.contains(f.getKey())) {
                normalised.set(f.getKey(), TextNode.valueOf("<variable>"));
            } else {
                normalised.set(f.getKey(), f.getValue());
            }
        }
        return frame.substring(0, open) + normalised + frame.substring(close + 1);
    }

    /** Printable form of canonical text for failure messages (CR, LF and binary escaped), shortened if huge. */
    static String show(String canonical) {
        if (canonical.length() <= SHOW_LIMIT) {
            return NatsBytes.escape(NatsBytes.latin1(canonical));
        }
        return NatsBytes.escape(NatsBytes.latin1(canonical.substring(0, SHOW_LIMIT)))
                + "... (" + canonical.length() + " bytes in all)";
    }

    /** Where two replies first differ, with some context, so a 64 KB diff is still readable. */
    static String firstDifference(String expected, String actual) {
        int i = 0;
        while (i < expected.length() && i < actual.length() && expected.charAt(i) == actual.charAt(i)) {
            i++;
        }
        if (i == expected.length() && i == actual.length()) {
            return "";
        }
        if (expected.length() <= SHOW_LIMIT && actual.length() <= SHOW_LIMIT) {
            return " at byte " + i;
        }
        int from = Math.max(0, i - 40);
        return " at byte " + i + " (expected length " + expected.length() + ", actual " + actual.length() + ")"
                + "\n  expected from byte " + from + ": " + show(expected.substring(from, Math.min(expected.length(), i + 80)))
                + "\n  actual   from byte " + from + ": " + show(actual.substring(from, Math.min(actual.length(), i + 80)));
    }
}
