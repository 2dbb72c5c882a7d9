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

    /** Printable form of canonical text for failure messages (CR, LF and binary escaped). */
    static String show(String canonical) {
        return RespBytes.escape(RespBytes.latin1(canonical));
    }
}
