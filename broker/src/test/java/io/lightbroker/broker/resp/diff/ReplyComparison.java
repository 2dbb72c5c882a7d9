package io.lightbroker.broker.resp.diff;

import io.lightbroker.broker.testsupport.RespBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the bytes one server sent during a read into the canonical text that is compared: split into
 * top-level frames, each normalised, then arranged according to the read mode. Both servers' bytes
 * go through exactly the same function, so a normalisation can never hide a one-sided difference in
 * anything it does not match.
 */
final class ReplyComparison {

    private static final Pattern INTEGER_FIELD = Pattern.compile("(?<=\\r\\n|^):(-?\\d+)\\r\\n");

    private ReplyComparison() {}

    static String canonical(byte[] bytes, Conversation.ReadMode mode, List<Normalization> normalizations) {
        List<String> frames = new ArrayList<>();
        for (byte[] frame : RespBytes.splitFrames(bytes)) {
            String text = RespBytes.latin1(frame);
            if (mode == Conversation.ReadMode.SORTED_ELEMENTS) {
                text = sortElements(frame);
            }
            for (Normalization n : normalizations) {
                text = n.apply(text);
            }
            frames.add(text);
        }
        if (mode != Conversation.ReadMode.UNORDERED) {
            return String.join("", frames);
        }
        // Frames in any order, but the integers in them (subscription counts) in arrival order.
        List<String> shapes = new ArrayList<>();
        List<String> integers = new ArrayList<>();
        for (String f : frames) {
            Matcher m = INTEGER_FIELD.matcher(f);
            StringBuilder shape = new StringBuilder();
            while (m.find()) {
                integers.add(m.group(1));
                m.appendReplacement(shape, ":#\r\n");
            }
            m.appendTail(shape);
            shapes.add(shape.toString());
        }
        shapes.sort(null);
        return "frames in any order: " + String.join("", shapes) + "\ninteger fields in order: " + integers;
    }

    /** Re-emits an aggregate frame with its child frames in sorted order; other frames unchanged. */
    private static String sortElements(byte[] frame) {
        byte type = frame[0];
        if (type != '*' && type != '~' && type != '>') {
            return RespBytes.latin1(frame);
        }
        int headerEnd = indexOfCrlf(frame) + 2;
        List<String> children = new ArrayList<>();
        int pos = headerEnd;
        while (pos < frame.length) {
            int end = RespBytes.frameEnd(frame, pos, frame.length);
            if (end < 0) {
                end = frame.length;
            }
            children.add(new String(frame, pos, end - pos, java.nio.charset.StandardCharsets.ISO_8859_1));
            pos = end;
        }
        children.sort(null);
        return new String(frame, 0, headerEnd, java.nio.charset.StandardCharsets.ISO_8859_1) + String.join("", children);
    }

    private static int indexOfCrlf(byte[] b) {
        for (int i = 0; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return b.length - 2;
    }

    private static final int SHOW_LIMIT = 2_000;

    /** Printable form of canonical text for failure messages (CR, LF and binary escaped), shortened if huge. */
    static String show(String canonical) {
        if (canonical.length() <= SHOW_LIMIT) {
            return RespBytes.escape(RespBytes.latin1(canonical));
        }
        return RespBytes.escape(RespBytes.latin1(canonical.substring(0, SHOW_LIMIT)))
                + "... (" + canonical.length() + " bytes in all)";
    }

    /** Where two long replies first differ, with some context, so a 1 MB diff is still readable. */
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
