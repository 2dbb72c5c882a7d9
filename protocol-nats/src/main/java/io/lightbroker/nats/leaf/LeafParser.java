package io.lightbroker.nats.leaf;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The hub-to-leaf side of nats-server's leaf-node protocol (as nats-server 2.9 speaks it on a
 * {@code leafnodes} connection; read from its behaviour, see docs/leaf-nodes.md):
 *
 * <pre>
 * INFO {json}                 PING / PONG / +OK / -ERR 'text'
 * LS+ subject                 LS+ subject queue weight       (interest; a weight change repeats LS+)
 * LS- subject                 LS- subject queue
 * LMSG subject [reply] size                                  (MSG without sid)
 * LMSG subject + reply q1 .. size   LMSG subject | q1 .. size  (for the named queue groups)
 * HMSG subject [reply] hdr total    HMSG subject + reply q1 .. hdr total   HMSG subject | q1 .. hdr total
 * </pre>
 *
 * <p>Resumable and allocation-light: {@link #parse} consumes only complete frames and leaves an
 * incomplete one in the buffer for the caller to accumulate more bytes into (Netty's
 * {@code ByteToMessageDecoder} does that). Message arguments are indices into the buffer, valid
 * during the callback only. Control lines are limited to {@code maxControlLine} bytes and
 * payloads to {@code maxPayload}; going over is a protocol error (the link is then dropped).
 */
public final class LeafParser {

    /** What the parser found; buffer arguments are valid during the call only. */
    public interface Handler {
        void info(String json);

        void interest(boolean add, String subject, String queue, int weight);

        /**
         * One message: subject {@code [so, so+sl)} and reply {@code [ro, ro+rl)} (rl 0 when none)
         * of {@code buf}, {@code total} message bytes at {@code mo} of which the first
         * {@code hdr} are NATS headers; {@code queues} names the queue groups it is for (null
         * when none).
         */
        void message(ByteBuf buf, int so, int sl, int ro, int rl, List<String> queues, int mo, int hdr, int total);

        void ping();

        void pong();

        void ok();

        void err(String text);
    }

    private final int maxControlLine;
    private final int maxPayload;

    public LeafParser(int maxControlLine, int maxPayload) {
        this.maxControlLine = maxControlLine;
        this.maxPayload = maxPayload;
    }

    /**
     * Parses every complete frame from {@code in}'s readable bytes.
     *
     * @throws LeafProtocolException on a malformed or oversized frame
     */
    public void parse(ByteBuf in, Handler h) {
        while (in.isReadable()) {
            int start = in.readerIndex();
            int lf = in.forEachByte(start, in.readableBytes(), ByteProcessor.FIND_LF);
            if (lf < 0) {
                if (in.readableBytes() > maxControlLine) {
                    throw new LeafProtocolException("Maximum Control Line Exceeded");
                }
                return;
            }
            int end = lf > start && in.getByte(lf - 1) == '\r' ? lf - 1 : lf;
            if (end - start > maxControlLine) {
                throw new LeafProtocolException("Maximum Control Line Exceeded");
            }
            int verbEnd = indexOf(in, start, end, (byte) ' ');
            int vEnd = verbEnd < 0 ? end : verbEnd;
            int argsStart = verbEnd < 0 ? end : skipSpaces(in, verbEnd, end);
            // Messages are the hot path: recognised without allocating.
            boolean lmsg = is(in, start, vEnd, LMSG);
            if (lmsg || is(in, start, vEnd, HMSG)) {
                if (!message(in, !lmsg, argsStart, end, lf, h)) {
                    in.readerIndex(start);
                    return;
                }
                continue;
            }
            String verb = in.toString(start, vEnd - start, StandardCharsets.US_ASCII).toUpperCase(java.util.Locale.ROOT);
            switch (verb) {
                case "LS+", "LS-" -> {
                    List<String> args = split(in, argsStart, end);
                    if (args.isEmpty() || args.size() > 3 || args.size() == 2 && verb.equals("LS+")) {
                        throw new LeafProtocolException("Processing " + verb + " Error: wrong number of arguments");
                    }
                    int weight = 0;
                    if (args.size() == 3) {
                        weight = parseInt(args.get(2), verb);
                    }
                    h.interest(verb.equals("LS+"), args.get(0), args.size() >= 2 ? args.get(1) : null, weight);
                }
                case "INFO" -> h.info(in.toString(argsStart, end - argsStart, StandardCharsets.UTF_8).trim());
                case "PING" -> h.ping();
                case "PONG" -> h.pong();
                case "+OK" -> h.ok();
                case "-ERR" -> {
                    String text = in.toString(argsStart, end - argsStart, StandardCharsets.UTF_8).trim();
                    if (text.length() >= 2 && text.startsWith("'") && text.endsWith("'")) {
                        text = text.substring(1, text.length() - 1);
                    }
                    h.err(text);
                }
                default -> throw new LeafProtocolException("Unknown Protocol Operation");
            }
            in.readerIndex(lf + 1);
        }
    }

    private static final byte[] LMSG = {'L', 'M', 'S', 'G'};
    private static final byte[] HMSG = {'H', 'M', 'S', 'G'};

    private static boolean is(ByteBuf in, int from, int to, byte[] verb) {
        if (to - from != verb.length) {
            return false;
        }
        for (int i = 0; i < verb.length; i++) {
            if ((in.getByte(from + i) & ~0x20) != verb[i]) {
                return false;
            }
        }
        return true;
    }

    /** Argument offsets and lengths of the current message line; reused, grown for long queue lists. */
    private int[] argOff = new int[8];
    private int[] argLen = new int[8];

    /** @return false when the payload has not fully arrived (nothing consumed) */
    private boolean message(ByteBuf in, boolean headers, int argsStart, int end, int lf, Handler h) {
        // Arguments: subject, then [reply] or [+ reply q..] or [| q..], then [hdr] total.
        int args = 0;
        int i = argsStart;
        while (i < end) {
            int e = indexOf(in, i, end, (byte) ' ');
            if (e < 0) {
                e = end;
            }
            if (e > i) {
                if (args == argOff.length) {
                    argOff = java.util.Arrays.copyOf(argOff, args * 2);
                    argLen = java.util.Arrays.copyOf(argLen, args * 2);
                }
                argOff[args] = i;
                argLen[args] = e - i;
                args++;
            }
            i = e + 1;
        }
        int sizes = headers ? 2 : 1;
        if (args < 1 + sizes) {
            throw new LeafProtocolException("Processing Message Error: wrong number of arguments");
        }
        int total = parseInt(in, argOff[args - 1], argLen[args - 1]);
        int hdr = headers ? parseInt(in, argOff[args - 2], argLen[args - 2]) : 0;
        if (total < 0 || hdr < 0 || hdr > total) {
            throw new LeafProtocolException("Processing Message Error: bad size");
        }
        if (total > maxPayload) {
            throw new LeafProtocolException("Maximum Payload Violation");
        }
        int mo = lf + 1;
        if (in.writerIndex() - mo < total + 2) {
            return false;
        }
        int middle = args - 1 - sizes;
        int ro = 0;
        int rl = 0;
        List<String> queues = null;
        if (middle == 1) {
            ro = argOff[1];
            rl = argLen[1];
        } else if (middle > 1) {
            byte m = in.getByte(argOff[1]);
            int firstQueue;
            if (argLen[1] == 1 && m == '+') {
                ro = argOff[2];
                rl = argLen[2];
                firstQueue = 3;
            } else if (argLen[1] == 1 && m == '|') {
                firstQueue = 2;
            } else {
                throw new LeafProtocolException("Processing Message Error: bad arguments");
            }
            queues = new ArrayList<>(middle);
            for (int q = firstQueue; q < 1 + middle; q++) {
                queues.add(in.toString(argOff[q], argLen[q], StandardCharsets.UTF_8));
            }
        }
        if (in.getByte(mo + total) != '\r' || in.getByte(mo + total + 1) != '\n') {
            throw new LeafProtocolException("Processing Message Error: payload not followed by CRLF");
        }
        h.message(in, argOff[0], argLen[0], ro, rl, queues, mo, hdr, total);
        in.readerIndex(mo + total + 2);
        return true;
    }

    private static int parseInt(ByteBuf in, int off, int len) {
        if (len == 0 || len > 10) {
            return -1;
        }
        long v = 0;
        for (int i = off; i < off + len; i++) {
            byte b = in.getByte(i);
            if (b < '0' || b > '9') {
                return -1;
            }
            v = v * 10 + (b - '0');
        }
        return v > Integer.MAX_VALUE ? -1 : (int) v;
    }

    private static int parseInt(String s, String verb) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new LeafProtocolException("Processing " + verb + " Error: bad weight");
        }
    }

    private static List<String> split(ByteBuf in, int from, int to) {
        List<String> out = new ArrayList<>(3);
        int i = from;
        while (i < to) {
            int e = indexOf(in, i, to, (byte) ' ');
            if (e < 0) {
                e = to;
            }
            if (e > i) {
                out.add(in.toString(i, e - i, StandardCharsets.UTF_8));
            }
            i = e + 1;
        }
        return out;
    }

    private static int skipSpaces(ByteBuf in, int from, int to) {
        int i = from;
        while (i < to && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
            i++;
        }
        return i;
    }

    private static int indexOf(ByteBuf in, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            byte c = in.getByte(i);
            if (c == b || c == '\t') {
                return i;
            }
        }
        return -1;
    }
}
