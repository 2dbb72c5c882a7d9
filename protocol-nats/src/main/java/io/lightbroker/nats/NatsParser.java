package io.lightbroker.nats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Resumable parser of the NATS client-to-server protocol, one instance per connection.
 *
 * <p><b>Shape.</b> A byte state machine after nats-server's {@code server/parser.go}: operation names
 * are matched one byte at a time and case-insensitively, so an unknown operation is rejected at the
 * first byte that cannot belong to one, as nats-server does, even before the line ends. Every call to
 * {@link #parse} consumes all readable bytes; whatever is incomplete is carried in the parser's state,
 * so a frame may be split anywhere across reads.
 *
 * <p><b>No copies on the common path.</b> Control-line arguments and payloads are handed to the
 * {@link NatsHandler} as (buffer, index, length) slices of the caller's read buffer. Only when a frame
 * straddles two reads is anything copied: a control line into a scratch array that grows on demand
 * up to the control line limit, a payload into one buffer of exactly its announced size, taken from the read
 * buffer's allocator and released as soon as the handler returns. Nothing else is allocated per
 * message.
 *
 * <p><b>Limits before bytes.</b> The control line limit is checked on every argument byte, so an
 * endless line never grows anything. (nats-server checks it only when a line is split across reads,
 * which depends on read sizes; checking always keeps the result independent of how bytes arrive.)
 * The payload size is checked against max_payload as soon as the PUB or HPUB line ends, before any
 * payload byte is read.
 *
 * <p><b>nats-server quirks kept on purpose</b> (each checked against nats-server 2.9.10):
 * <ul>
 *   <li>PING, PONG and +OK ignore everything up to the next {@code \n}: {@code PINGxyz\r\n} is a PING.</li>
 *   <li>PUB, HPUB, SUB, UNSUB and -ERR need a space or tab after the name ({@code PUB\r\n} is an
 *       unknown operation); CONNECT and INFO do not ({@code CONNECT{}} is accepted).</li>
 *   <li>The first byte after the name and its blanks always starts the argument, even CR or LF, so
 *       {@code PUB \r\n} is an argument error (silent close), not an unknown operation.</li>
 *   <li>If any CR occurs in an argument, the byte before the final LF is dropped, whatever it is.</li>
 *   <li>Sizes are one to nine ASCII digits: {@code 02} is 2, {@code +2} and ten digits are bad sizes.</li>
 *   <li>An UNSUB max that is not a size is -1, which nats-server treats as no max.</li>
 *   <li>A {@code -ERR} from the client closes the connection without a reply; INFO with valid JSON
 *       and {@code +OK} are ignored.</li>
 * </ul>
 * One deliberate difference: nats-server lets a client's {@code HMSG} line through its parser (it is
 * meant for routes) and then misreads what follows; here {@code HM} is an unknown operation.
 *
 * <p><b>Threading.</b> Not thread-safe: one event loop owns a parser. The settings ({@link
 * #setMaxPayload}, {@link #setHeadersEnabled}, {@link #setAwaitingAuth}) may be changed from a
 * handler callback and apply from the next operation on.
 *
 * <p>After {@link #parse} throws, the parser is dead: the connection is about to close. Call
 * {@link #close} when the connection ends to release a partly received payload.
 */
public final class NatsParser {

    private static final int START = 0;
    private static final int OP_P = 1;
    private static final int KEYWORD = 2;
    private static final int NEED_BLANK = 3;
    private static final int SKIP_BLANKS = 4;
    private static final int ARG = 5;
    private static final int TO_EOL = 6;
    private static final int PAYLOAD = 7;
    private static final int PAYLOAD_CR = 8;
    private static final int PAYLOAD_LF = 9;

    private static final int PUB = 0;
    private static final int HPUB = 1;
    private static final int SUB = 2;
    private static final int UNSUB = 3;
    private static final int CONNECT = 4;
    private static final int INFO = 5;
    private static final int MINUS_ERR = 6;
    private static final int PING = 7;
    private static final int PONG = 8;
    private static final int PLUS_OK = 9;

    private static final byte[][] KEYWORDS = {
        bytes("PUB"), bytes("HPUB"), bytes("SUB"), bytes("UNSUB"), bytes("CONNECT"),
        bytes("INFO"), bytes("-ERR"), bytes("PING"), bytes("PONG"), bytes("+OK"),
    };

    private static final int MAX_TOKENS = 5;

    private final NatsHandler handler;
    private final int maxControlLine;
    /**
     * Where a control line split across reads is assembled. Grown on demand, by doubling, up to
     * the control line limit (plus the CR): most connections never split a line, and a 4 KB array
     * per connection was most of an idle connection's heap.
     */
    private byte[] scratchArray = new byte[0];
    private ByteBuf scratch = Unpooled.wrappedBuffer(scratchArray);

    private int maxPayload;
    private boolean headersEnabled;
    private boolean awaitingAuth;
    private boolean paused;

    private int state = START;
    private int op;
    private int keywordPos;

    private int argStart;
    private int argRaw;
    private boolean argSawCr;
    private boolean argInScratch;

    private final int[] tokIndex = new int[MAX_TOKENS];
    private final int[] tokLength = new int[MAX_TOKENS];

    private ByteBuf pubLine;
    private int subjectIndex;
    private int subjectLength;
    private int replyIndex;
    private int replyLength;
    private int headerSize;
    private int totalSize;
    private ByteBuf payloadCopy;
    private boolean payloadSplit;

    private boolean failed;

    /** A parser with nats-server's defaults: 4096-byte control lines, 1 MB payloads, no headers. */
    public NatsParser(NatsHandler handler) {
        this(handler, NatsLimits.MAX_CONTROL_LINE_SIZE, NatsLimits.MAX_PAYLOAD_SIZE);
    }

    public NatsParser(NatsHandler handler, int maxControlLine, int maxPayload) {
        if (maxControlLine <= 0) {
            throw new IllegalArgumentException("maxControlLine must be positive: " + maxControlLine);
        }
        this.handler = handler;
        this.maxControlLine = maxControlLine;
        this.maxPayload = maxPayload;
    }

    /** Largest PUB/HPUB total size accepted, or {@link NatsLimits#NO_LIMIT}. */
    public void setMaxPayload(int maxPayload) {
        this.maxPayload = maxPayload;
    }

    /**
     * Whether HPUB is allowed; nats-server allows it only after a CONNECT with {@code headers:true}
     * and closes the connection silently otherwise.
     */
    public void setHeadersEnabled(boolean headersEnabled) {
        this.headersEnabled = headersEnabled;
    }

    /**
     * While true, any operation but CONNECT is answered with {@code 'Authorization Violation'} and a
     * close, as nats-server does when authentication is configured and no CONNECT has been seen.
     */
    /**
     * Called by the handler from inside {@code onConnect}: {@link #parse} returns right after the
     * CONNECT line, leaving the bytes behind it unread in its buffer, until {@link #resume}. Lets
     * the server check slow credentials (bcrypt) off the event loop without reading ahead of them.
     */
    public void pause() {
        paused = true;
    }

    public void resume() {
        paused = false;
    }

    public boolean paused() {
        return paused;
    }

    public void setAwaitingAuth(boolean awaitingAuth) {
        this.awaitingAuth = awaitingAuth;
    }

    /** True between operations: no partial control line or payload is held. */
    public boolean atFrameBoundary() {
        return state == START;
    }

    /** Releases a partly received payload. The parser must not be used afterwards. */
    public void close() {
        failed = true;
        releasePayloadCopy();
    }

    /**
     * Parses all readable bytes of {@code in}, calling the handler for each complete operation, and
     * advances its reader index to the writer index (or only past a CONNECT that {@link #pause}d it). {@code in} is not released.
     *
     * @throws NatsProtocolException on a protocol violation, or as thrown by the handler; the
     *         exception says what nats-server sends and whether it closes the connection
     */
    public void parse(ByteBuf in) throws NatsProtocolException {
        if (failed) {
            throw new IllegalStateException("parser failed or closed");
        }
        int i = in.readerIndex();
        int end = in.writerIndex();
        if (paused) {
            return;
        }
        try {
            i = run(in, i, end);
            if (state == ARG && !argInScratch) {
                scratchFor(argRaw);
                in.getBytes(argStart, scratchArray, 0, argRaw);
                argInScratch = true;
            } else if (state == PAYLOAD && !payloadSplit) {
                splitPayload(in);
            }
        } catch (NatsProtocolException | RuntimeException | Error e) {
            failed = true;
            releasePayloadCopy();
            throw e;
        } finally {
            in.readerIndex(Math.min(i, end));
        }
    }

    private int run(ByteBuf in, int i, int end) throws NatsProtocolException {
        while (i < end) {
            switch (state) {
                case START -> {
                    byte b = in.getByte(i++);
                    if (awaitingAuth && b != 'C' && b != 'c') {
                        throw NatsProtocolException.errAndClose(NatsErrors.AUTHORIZATION_VIOLATION);
                    }
                    switch (b) {
                        case 'P', 'p' -> state = OP_P;
                        case 'H', 'h' -> keyword(HPUB, 1);
                        case 'S', 's' -> keyword(SUB, 1);
                        case 'U', 'u' -> keyword(UNSUB, 1);
                        case 'C', 'c' -> keyword(CONNECT, 1);
                        case 'I', 'i' -> keyword(INFO, 1);
                        case '-' -> keyword(MINUS_ERR, 1);
                        case '+' -> keyword(PLUS_OK, 1);
                        default -> throw unknownOperation();
                    }
                }
                case OP_P -> {
                    switch (in.getByte(i++)) {
                        case 'U', 'u' -> keyword(PUB, 2);
                        case 'I', 'i' -> keyword(PING, 2);
                        case 'O', 'o' -> keyword(PONG, 2);
                        default -> throw unknownOperation();
                    }
                }
                case KEYWORD -> {
                    byte[] kw = KEYWORDS[op];
                    if (upper(in.getByte(i++)) != kw[keywordPos]) {
                        throw unknownOperation();
                    }
                    if (++keywordPos == kw.length) {
                        state = switch (op) {
                            case PING, PONG, PLUS_OK -> TO_EOL;
                            case CONNECT, INFO -> SKIP_BLANKS;
                            default -> NEED_BLANK;
                        };
                    }
                }
                case NEED_BLANK -> {
                    byte b = in.getByte(i++);
                    if (b != ' ' && b != '\t') {
                        throw unknownOperation();
                    }
                    state = SKIP_BLANKS;
                }
                case SKIP_BLANKS -> {
                    byte b = in.getByte(i);
                    if (b != ' ' && b != '\t') {
                        argStart = i;
                        argRaw = 1;
                        argSawCr = false;
                        argInScratch = false;
                        state = ARG;
                    }
                    i++;
                }
                case ARG -> {
                    i = scanArg(in, i, end);
                    if (paused) {
                        return i;
                    }
                }
                case TO_EOL -> {
                    int lf = in.indexOf(i, end, (byte) '\n');
                    if (lf < 0) {
                        i = end;
                    } else {
                        i = lf + 1;
                        state = START;
                        switch (op) {
                            case PING -> handler.onPing();
                            case PONG -> handler.onPong();
                            default -> handler.onOk();
                        }
                    }
                }
                case PAYLOAD -> i = payload(in, i, end);
                case PAYLOAD_CR -> {
                    if (in.getByte(i++) != '\r') {
                        throw unknownOperation();
                    }
                    state = PAYLOAD_LF;
                }
                case PAYLOAD_LF -> {
                    if (in.getByte(i++) != '\n') {
                        throw unknownOperation();
                    }
                    state = START;
                    ByteBuf payload = payloadCopy != null ? payloadCopy : Unpooled.EMPTY_BUFFER;
                    try {
                        deliverMessage(payload, 0);
                    } finally {
                        releasePayloadCopy();
                    }
                }
                default -> throw new IllegalStateException("state " + state);
            }
        }
        return i;
    }

    private void keyword(int op, int matched) {
        this.op = op;
        this.keywordPos = matched;
        this.state = KEYWORD;
    }

    private int scanArg(ByteBuf in, int i, int end) throws NatsProtocolException {
        while (i < end) {
            byte b = in.getByte(i);
            if (b == '\n') {
                state = START;
                finishArg(in);
                return i + 1;
            }
            if (b == '\r') {
                argSawCr = true;
            }
            if (argRaw - (argSawCr ? 1 : 0) >= maxControlLine) {
                throw NatsProtocolException.errAndClose(NatsErrors.MAXIMUM_CONTROL_LINE_EXCEEDED);
            }
            if (argInScratch) {
                if (argRaw == scratchArray.length) {
                    scratchFor(argRaw + 1);
                }
                scratchArray[argRaw] = b;
            }
            argRaw++;
            i++;
        }
        return i;
    }

    private void finishArg(ByteBuf in) throws NatsProtocolException {
        ByteBuf line = argInScratch ? scratch : in;
        int index = argInScratch ? 0 : argStart;
        int length = argRaw - (argSawCr ? 1 : 0);
        argInScratch = false;
        switch (op) {
            case PUB -> pubArgs(line, index, length);
            case HPUB -> hpubArgs(line, index, length);
            case SUB -> sub(line, index, length);
            case UNSUB -> unsub(line, index, length);
            case CONNECT -> handler.onConnect(line, index, length);
            case INFO -> {
                if (!NatsJson.isValid(line, index, length)) {
                    throw NatsProtocolException.silentClose("INFO with invalid JSON");
                }
                handler.onInfo(line, index, length);
            }
            case MINUS_ERR -> throw NatsProtocolException.silentClose(
                "Client Error " + line.toString(index, length, StandardCharsets.UTF_8));
            default -> throw new IllegalStateException("op " + op);
        }
    }

    private void pubArgs(ByteBuf line, int index, int length) throws NatsProtocolException {
        int n = split(line, index, length, false);
        int sizeTok;
        if (n == 2) {
            replyIndex = 0;
            replyLength = 0;
            sizeTok = 1;
        } else if (n == 3) {
            replyIndex = tokIndex[1];
            replyLength = tokLength[1];
            sizeTok = 2;
        } else {
            throw NatsProtocolException.silentClose("processPub Parse Error");
        }
        subjectIndex = tokIndex[0];
        subjectLength = tokLength[0];
        headerSize = -1;
        totalSize = parseSize(line, tokIndex[sizeTok], tokLength[sizeTok]);
        if (totalSize < 0) {
            throw NatsProtocolException.silentClose("processPub Bad or Missing Size");
        }
        checkMaxPayload();
        expectPayload(line, index, length);
    }

    private void hpubArgs(ByteBuf line, int index, int length) throws NatsProtocolException {
        if (!headersEnabled) {
            throw NatsProtocolException.silentClose("message headers not supported");
        }
        int n = split(line, index, length, false);
        int hdrTok;
        if (n == 3) {
            replyIndex = 0;
            replyLength = 0;
            hdrTok = 1;
        } else if (n == 4) {
            replyIndex = tokIndex[1];
            replyLength = tokLength[1];
            hdrTok = 2;
        } else {
            throw NatsProtocolException.silentClose("processHeaderPub Parse Error");
        }
        subjectIndex = tokIndex[0];
        subjectLength = tokLength[0];
        headerSize = parseSize(line, tokIndex[hdrTok], tokLength[hdrTok]);
        totalSize = parseSize(line, tokIndex[hdrTok + 1], tokLength[hdrTok + 1]);
        if (headerSize < 0) {
            throw NatsProtocolException.silentClose("processHeaderPub Bad or Missing Header Size");
        }
        if (totalSize < 0) {
            throw NatsProtocolException.silentClose("processHeaderPub Bad or Missing Total Size");
        }
        if (headerSize > totalSize) {
            throw NatsProtocolException.silentClose("processHeaderPub Header Size larger then TotalSize");
        }
        checkMaxPayload();
        expectPayload(line, index, length);
    }

    private void checkMaxPayload() throws NatsProtocolException {
        if (maxPayload != NatsLimits.NO_LIMIT && totalSize > maxPayload) {
            throw NatsProtocolException.errAndClose(NatsErrors.MAXIMUM_PAYLOAD_VIOLATION);
        }
    }

    private void expectPayload(ByteBuf line, int index, int length) {
        pubLine = line;
        argStart = index;
        argRaw = length;
        payloadSplit = false;
        state = PAYLOAD;
    }

    /**
     * First visit with the whole frame present: hand out slices of {@code in}. Otherwise copy the
     * arguments to scratch and the payload to its own buffer, then continue byte by byte.
     */
    private int payload(ByteBuf in, int i, int end) throws NatsProtocolException {
        if (!payloadSplit) {
            if (end - i >= (long) totalSize + 2) {
                if (in.getByte(i + totalSize) != '\r' || in.getByte(i + totalSize + 1) != '\n') {
                    throw unknownOperation();
                }
                state = START;
                deliverMessage(in, i);
                return i + totalSize + 2;
            }
            splitPayload(in);
        }
        int want = totalSize - (payloadCopy == null ? 0 : payloadCopy.writerIndex());
        int take = Math.min(want, end - i);
        if (take > 0) {
            payloadCopy.writeBytes(in, i, take);
        }
        if (take == want) {
            state = PAYLOAD_CR;
        }
        return i + take;
    }

    /** Grows the scratch array to hold at least {@code n} bytes (never past the limit plus the CR). */
    private void scratchFor(int n) {
        if (n <= scratchArray.length) {
            return;
        }
        // One spare byte: a line at the limit still carries the CR that does not count towards it.
        int size = Math.min(maxControlLine + 1, Math.max(n, Math.max(64, 2 * scratchArray.length)));
        scratchArray = Arrays.copyOf(scratchArray, size);
        scratch = Unpooled.wrappedBuffer(scratchArray);
    }

    private void splitPayload(ByteBuf in) {
        payloadSplit = true;
        if (pubLine != scratch) {
            scratchFor(argRaw);
            pubLine.getBytes(argStart, scratchArray, 0, argRaw);
            subjectIndex -= argStart;
            if (replyLength > 0) {
                replyIndex -= argStart;
            }
            pubLine = scratch;
            argStart = 0;
        }
        if (totalSize > 0) {
            payloadCopy = in.alloc().buffer(totalSize, totalSize);
        }
    }

    private void deliverMessage(ByteBuf payload, int payloadIndex) throws NatsProtocolException {
        if (headerSize < 0) {
            handler.onPub(pubLine, subjectIndex, subjectLength, replyIndex, replyLength,
                payload, payloadIndex, totalSize);
        } else {
            handler.onHpub(pubLine, subjectIndex, subjectLength, replyIndex, replyLength,
                payload, payloadIndex, headerSize, totalSize);
        }
        pubLine = null;
    }

    private void sub(ByteBuf line, int index, int length) throws NatsProtocolException {
        int n = split(line, index, length, true);
        if (n == 2) {
            handler.onSub(line, tokIndex[0], tokLength[0], 0, 0, tokIndex[1], tokLength[1]);
        } else if (n == 3) {
            handler.onSub(line, tokIndex[0], tokLength[0], tokIndex[1], tokLength[1], tokIndex[2], tokLength[2]);
        } else {
            throw NatsProtocolException.silentClose("processSub Parse Error");
        }
    }

    private void unsub(ByteBuf line, int index, int length) throws NatsProtocolException {
        int n = split(line, index, length, true);
        if (n == 1) {
            handler.onUnsub(line, tokIndex[0], tokLength[0], -1);
        } else if (n == 2) {
            handler.onUnsub(line, tokIndex[0], tokLength[0], parseSize(line, tokIndex[1], tokLength[1]));
        } else {
            throw NatsProtocolException.silentClose("processUnsub Parse Error");
        }
    }

    /**
     * Splits an argument on blanks into {@link #tokIndex}/{@link #tokLength}, returning the token
     * count, capped at {@link #MAX_TOKENS} (more than any operation accepts). PUB and HPUB split on
     * space and tab only; SUB and UNSUB also on CR and LF, as nats-server's two splitters do.
     */
    private int split(ByteBuf line, int index, int length, boolean crlfIsBlank) {
        int n = 0;
        int start = -1;
        int end = index + length;
        for (int i = index; i < end; i++) {
            byte b = line.getByte(i);
            boolean blank = b == ' ' || b == '\t' || (crlfIsBlank && (b == '\r' || b == '\n'));
            if (blank) {
                if (start >= 0) {
                    tokIndex[n] = start;
                    tokLength[n] = i - start;
                    if (++n == MAX_TOKENS) {
                        return n;
                    }
                    start = -1;
                }
            } else if (start < 0) {
                start = i;
            }
        }
        if (start >= 0) {
            tokIndex[n] = start;
            tokLength[n] = end - start;
            n++;
        }
        return n;
    }

    /** nats-server's size syntax: one to nine ASCII digits, else -1. */
    static int parseSize(ByteBuf buf, int index, int length) {
        if (length == 0 || length > NatsLimits.MAX_SIZE_DIGITS) {
            return -1;
        }
        int n = 0;
        for (int i = index; i < index + length; i++) {
            int d = buf.getByte(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            n = n * 10 + d;
        }
        return n;
    }

    private void releasePayloadCopy() {
        if (payloadCopy != null) {
            ByteBuf copy = payloadCopy;
            payloadCopy = null;
            copy.release();
        }
    }

    private static NatsProtocolException unknownOperation() {
        return NatsProtocolException.errAndClose(NatsErrors.UNKNOWN_PROTOCOL_OPERATION);
    }

    private static byte upper(byte b) {
        return b >= 'a' && b <= 'z' ? (byte) (b - ('a' - 'A')) : b;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
