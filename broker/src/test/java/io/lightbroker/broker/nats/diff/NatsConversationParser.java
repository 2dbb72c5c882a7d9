package io.lightbroker.broker.nats.diff;

import io.lightbroker.broker.testsupport.NatsBytes;
import io.lightbroker.broker.testsupport.NatsServerOptions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Parses the {@code .conv} text format documented in {@code nats-conversations/README.md}. */
final class NatsConversationParser {

    private static final Pattern CONNECTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private NatsConversationParser() {}

    static NatsConversation parse(String name, byte[] fileBytes) {
        return parse(name, new String(fileBytes, StandardCharsets.UTF_8));
    }

    static NatsConversation parse(String name, String text) {
        String title = null;
        Map<String, String> options = new LinkedHashMap<>();
        List<NatsConversation.Step> steps = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                if (trimmed.startsWith("title:")) {
                    title = trimmed.substring(6).strip();
                } else if (trimmed.startsWith("option:")) {
                    String[] kv = trimmed.substring(7).strip().split("\\s+", 2);
                    if (kv.length != 2) {
                        throw new IllegalArgumentException("option needs '<name> <value>'");
                    }
                    options.put(kv[0], kv[1]);
                } else if (trimmed.startsWith("sleep ")) {
                    steps.add(new NatsConversation.Sleep(lineNo, Long.parseLong(trimmed.substring(6).strip())));
                } else {
                    steps.add(step(lineNo, trimmed));
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ".conv line " + lineNo + ": " + e.getMessage() + "\n  " + line, e);
            }
        }
        if (title == null) {
            throw new IllegalArgumentException(name + ".conv has no 'title:' line");
        }
        if (steps.stream().noneMatch(s -> s instanceof NatsConversation.Read || s instanceof NatsConversation.Closed)) {
            throw new IllegalArgumentException(name + ".conv compares nothing: it has no read/expect/closed step");
        }
        return new NatsConversation(name, title, NatsServerOptions.of(options), List.copyOf(steps));
    }

    private static NatsConversation.Step step(int lineNo, String line) {
        int sp = line.indexOf(' ');
        String conn = sp < 0 ? line : line.substring(0, sp);
        if (!CONNECTION_NAME.matcher(conn).matches()) {
            throw new IllegalArgumentException("bad connection name '" + conn + "'");
        }
        String rest = sp < 0 ? "" : line.substring(sp + 1);
        int sp2 = rest.indexOf(' ');
        String verb = sp2 < 0 ? rest : rest.substring(0, sp2);
        String arg = sp2 < 0 ? "" : rest.substring(sp2 + 1);
        return switch (verb) {
            case "send" -> new NatsConversation.Send(lineNo, conn, NatsBytes.unescape(arg), false);
            case "send-bytewise" -> new NatsConversation.Send(lineNo, conn, NatsBytes.unescape(arg), true);
            case "send-repeat" -> new NatsConversation.Send(lineNo, conn, repeat(arg), false);
            case "read" -> switch (arg.strip()) {
                case "" -> new NatsConversation.Read(lineNo, conn, null, false);
                case "unordered" -> new NatsConversation.Read(lineNo, conn, null, true);
                default -> throw new IllegalArgumentException("unknown read mode '" + arg + "' (to document bytes, use expect)");
            };
            case "expect" -> new NatsConversation.Read(lineNo, conn, NatsBytes.unescape(arg), false);
            case "silent" -> new NatsConversation.Silent(lineNo, conn);
            case "closed" -> new NatsConversation.Closed(lineNo, conn);
            case "close" -> new NatsConversation.Close(lineNo, conn);
            case "connect" -> new NatsConversation.Connect(lineNo, conn);
            default -> throw new IllegalArgumentException("unknown verb '" + verb + "'");
        };
    }

    /** {@code send-repeat <count> <bytes>}: the bytes repeated count times, sent in one write. */
    private static byte[] repeat(String arg) {
        int sp = arg.indexOf(' ');
        if (sp < 0) {
            throw new IllegalArgumentException("send-repeat needs '<count> <bytes>'");
        }
        int count = Integer.parseInt(arg.substring(0, sp));
        byte[] unit = NatsBytes.unescape(arg.substring(sp + 1));
        byte[] out = new byte[Math.multiplyExact(count, unit.length)];
        for (int i = 0; i < count; i++) {
            System.arraycopy(unit, 0, out, i * unit.length, unit.length);
        }
        return out;
    }
}
