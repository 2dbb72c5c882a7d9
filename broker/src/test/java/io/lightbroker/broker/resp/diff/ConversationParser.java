package io.lightbroker.broker.resp.diff;

import io.lightbroker.broker.testsupport.RespBytes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Parses the {@code .conv} text format documented in {@code resp-conversations/README.md}. */
final class ConversationParser {

    private static final Pattern CONNECTION_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private ConversationParser() {}

    static Conversation parse(String name, String text) {
        String title = null;
        List<String> serverArgs = new ArrayList<>();
        List<Normalization> normalizations = new ArrayList<>();
        List<Conversation.Step> steps = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String line = stripTrailing(lines[i]);
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            try {
                if (trimmed.startsWith("title:")) {
                    title = trimmed.substring(6).strip();
                } else if (trimmed.startsWith("server:")) {
                    serverArgs.addAll(tokens(trimmed.substring(7)));
                } else if (trimmed.startsWith("mask:")) {
                    normalizations.add(Normalization.maskValueAfterKey(trimmed.substring(5).strip()));
                } else if (trimmed.startsWith("normalize:")) {
                    String rule = trimmed.substring(10).strip();
                    int arrow = rule.lastIndexOf(" => ");
                    if (arrow < 0) {
                        throw new IllegalArgumentException("normalize needs '<regex> => <replacement>'");
                    }
                    normalizations.add(Normalization.regex(rule.substring(0, arrow), rule.substring(arrow + 4)));
                } else if (trimmed.startsWith("sleep ")) {
                    steps.add(new Conversation.Sleep(lineNo, Long.parseLong(trimmed.substring(6).strip())));
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
        if (steps.stream().noneMatch(s -> s instanceof Conversation.Read || s instanceof Conversation.Closed)) {
            throw new IllegalArgumentException(name + ".conv compares nothing: it has no read/expect/closed step");
        }
        return new Conversation(name, title, List.copyOf(serverArgs), List.copyOf(normalizations), List.copyOf(steps));
    }

    private static Conversation.Step step(int lineNo, String line) {
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
            case "send" -> new Conversation.Send(lineNo, conn, RespBytes.unescape(arg));
            case "cmd" -> new Conversation.Send(lineNo, conn, encodeCommand(arg));
            case "send-repeat" -> new Conversation.Send(lineNo, conn, repeat(arg));
            case "read" -> new Conversation.Read(lineNo, conn, readMode(arg), null);
            case "expect" -> new Conversation.Read(lineNo, conn, Conversation.ReadMode.EXACT, RespBytes.unescape(arg));
            case "silent" -> new Conversation.Silent(lineNo, conn);
            case "closed" -> new Conversation.Closed(lineNo, conn);
            case "close" -> new Conversation.Close(lineNo, conn);
            case "connect" -> new Conversation.Connect(lineNo, conn);
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
        byte[] unit = RespBytes.unescape(arg.substring(sp + 1));
        byte[] out = new byte[Math.multiplyExact(count, unit.length)];
        for (int i = 0; i < count; i++) {
            System.arraycopy(unit, 0, out, i * unit.length, unit.length);
        }
        return out;
    }

    private static Conversation.ReadMode readMode(String arg) {
        return switch (arg.strip()) {
            case "" -> Conversation.ReadMode.EXACT;
            case "unordered" -> Conversation.ReadMode.UNORDERED;
            case "sorted" -> Conversation.ReadMode.SORTED_ELEMENTS;
            default -> throw new IllegalArgumentException("unknown read mode '" + arg + "'");
        };
    }

    /** {@code cmd} arguments: whitespace-separated; double quotes group and allow escapes; "" is empty. */
    static byte[] encodeCommand(String args) {
        List<String> parts = tokens(args);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("cmd needs at least one argument");
        }
        byte[][] raw = new byte[parts.size()][];
        for (int i = 0; i < parts.size(); i++) {
            raw[i] = RespBytes.unescape(parts.get(i));
        }
        return RespBytes.command(raw);
    }

    /** Splits on spaces; a double-quoted token keeps its spaces, and its escapes are left for unescape. */
    private static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            StringBuilder tok = new StringBuilder();
            if (c == '"') {
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        tok.append(s.charAt(i)).append(s.charAt(i + 1));
                        i += 2;
                    } else {
                        tok.append(s.charAt(i++));
                    }
                }
                if (i >= s.length()) {
                    throw new IllegalArgumentException("unterminated quote");
                }
                i++;
            } else {
                while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                    tok.append(s.charAt(i++));
                }
            }
            out.add(tok.toString());
        }
        return out;
    }

    private static String stripTrailing(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    static Conversation parse(String name, byte[] fileBytes) {
        return parse(name, new String(fileBytes, StandardCharsets.UTF_8));
    }
}
