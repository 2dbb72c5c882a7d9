package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * The server side of RESP: turns the bytes a Redis client sends into commands, exactly as
 * redis-server 7.0's {@code processInputBuffer} does, including its quirks.
 *
 * <h2>Shape</h2>
 * A byte state machine whose state survives between calls. {@link #parse} is handed the connection's
 * cumulation buffer, delivers every complete command in it and stops at the first incomplete one,
 * leaving {@code readerIndex} at that command's first byte. Every position the machine remembers is
 * relative to that {@code readerIndex}, so the caller may discard read bytes, or move the unread bytes
 * into a bigger buffer, between calls, and the next call resumes where the last left off instead of
 * rescanning: a 100 MB bulk arriving in 64 KB reads is looked at once. Arguments are delivered as
 * slices of the input buffer (see {@link RespArgs}); nothing is allocated per command.
 *
 * <h2>What Redis does, and so what this does</h2>
 * <ul>
 *   <li>A request starting with '*' is multibulk, anything else is inline (see
 *       {@link RespInlineSplitter}). A count of zero or less ("*0", "*-1") is an empty command and is
 *       skipped, as are blank inline lines.</li>
 *   <li>Count lines are found by the first '\r'; the byte after it is skipped unchecked, and so are
 *       the two bytes after a bulk's payload: "$4\rXPINGxy" is accepted. A "\n"-only count line
 *       therefore runs into the next '\r' and fails as an invalid length.</li>
 *   <li>Redis searches lines with {@code strchr}, which stops at a NUL byte. A NUL before the line
 *       end means the line never completes; only the "too big" limit ends the wait. Matched on
 *       purpose, because that is what a client talking to Redis sees.</li>
 *   <li>Limits are checked on the header, before the payload is awaited: {@link RespLimits}, and
 *       before authentication at most 10 arguments and 16384-byte bulks. A line without its end is
 *       "too big" once more than {@code maxInlineLength} unread bytes follow the current position.</li>
 *   <li>A protocol error is thrown after the commands before it were delivered; Redis replies with
 *       its text and closes the connection. Until {@link #reset}, any further call throws the same error.</li>
 * </ul>
 *
 * <h2>Threads and reentrancy</h2>
 * Confined to the connection's event loop. The sink may call {@link #setAuthenticated} (the very next
 * command of the same pipeline is then parsed with the new limits, as in Redis, which parses a command
 * only after running the previous one) and {@link #stop} (QUIT, or a session that must stop reading).
 */
public final class RespRequestParser {

    private enum State { START, INLINE, MULTIBULK_COUNT, BULK_LENGTH, BULK_PAYLOAD, FAILED }

    private static final ByteProcessor FIND_CR_OR_NUL = b -> b != '\r' && b != 0;
    private static final ByteProcessor FIND_LF_OR_NUL = b -> b != '\n' && b != 0;

    private final RespLimits limits;
    private final RespArgs args = new RespArgs();
    private final long[] number = new long[1];

    private boolean authenticated;
    private boolean stopRequested;

    private State state = State.START;
    /** Where parsing continues, relative to the start of the current command (the readerIndex). */
    private int position;
    /** Where the search for the current line's end continues, relative to the command start. */
    private int scanFrom;
    private long bulksLeft;
    private int bulkLength;
    /** The error that put the parser in FAILED; repeated by any further parse until reset. */
    private String failure;

    public RespRequestParser(RespLimits limits) {
        this.limits = limits;
    }

    public RespLimits limits() {
        return limits;
    }

    /** Tighter header limits apply until authenticated, exactly as redis-server 7.0 applies them. */
    public void setAuthenticated(boolean authenticated) {
        this.authenticated = authenticated;
    }

    public boolean isAuthenticated() {
        return authenticated;
    }

    /**
     * Makes the running {@link #parse} return as soon as the sink returns, leaving the remaining bytes
     * unconsumed. Meant to be called from the sink; the next {@code parse} call resumes normally.
     */
    public void stop() {
        stopRequested = true;
    }

    /** True while a command has been started but not completed. */
    public boolean isMidCommand() {
        return state != State.START;
    }

    public void reset() {
        state = State.START;
        position = 0;
        scanFrom = 0;
        bulksLeft = 0;
        bulkLength = 0;
        stopRequested = false;
        failure = null;
        args.clear();
    }

    public void parse(ByteBuf in, RespCommandSink sink) throws RespProtocolException {
        stopRequested = false;
        if (state == State.FAILED) {
            throw new RespProtocolException(failure);
        }
        while (true) {
            int start = in.readerIndex();
            int available = in.writerIndex() - start;
            if (state == State.START) {
                if (available == 0) {
                    return;
                }
                state = in.getByte(start) == '*' ? State.MULTIBULK_COUNT : State.INLINE;
                position = 0;
                scanFrom = 0;
                args.start(in, start);
            } else {
                args.rebase(in, start);
            }
            boolean complete;
            try {
                complete = state == State.INLINE ? parseInline(in, start, available) : parseMultibulk(in, start, available);
            } catch (RespProtocolException e) {
                state = State.FAILED;
                failure = e.getMessage();
                throw e;
            }
            if (!complete) {
                return;
            }
            in.readerIndex(start + position);
            state = State.START;
            if (args.count() > 0) {
                sink.onCommand(args);
            }
            if (stopRequested) {
                stopRequested = false;
                return;
            }
        }
    }

    private boolean parseInline(ByteBuf in, int start, int available) throws RespProtocolException {
        int found = scan(in, start, available, FIND_LF_OR_NUL);
        if (found < 0 || in.getByte(start + found) == 0) {
            if (available > limits.maxInlineLength()) {
                throw new RespProtocolException(RespErrors.PROTOCOL_TOO_BIG_INLINE_REQUEST);
            }
            return false;
        }
        int lineEnd = found;
        if (lineEnd > 0 && in.getByte(start + lineEnd - 1) == '\r') {
            lineEnd--;
        }
        if (!RespInlineSplitter.split(in, start, start + lineEnd, start, args)) {
            throw new RespProtocolException(RespErrors.PROTOCOL_UNBALANCED_QUOTES);
        }
        position = found + 1;
        return true;
    }

    private boolean parseMultibulk(ByteBuf in, int start, int available) throws RespProtocolException {
        if (state == State.MULTIBULK_COUNT) {
            int cr = findLineEnd(in, start, available, RespErrors.PROTOCOL_TOO_BIG_MBULK_COUNT);
            if (cr < 0) {
                return false;
            }
            if (!RespNumbers.parse(in, start + position + 1, cr - position - 1, number)
                    || number[0] > limits.maxMultibulkLength()) {
                throw new RespProtocolException(RespErrors.PROTOCOL_INVALID_MULTIBULK_LENGTH);
            }
            long count = number[0];
            if (count > RespLimits.UNAUTHENTICATED_MAX_MULTIBULK_LEN && !authenticated) {
                throw new RespProtocolException(RespErrors.PROTOCOL_UNAUTHENTICATED_MULTIBULK_LENGTH);
            }
            position = cr + 2;
            if (count <= 0) {
                return true;
            }
            bulksLeft = count;
            enterBulkLength();
        }
        while (true) {
            if (state == State.BULK_LENGTH) {
                int cr = findLineEnd(in, start, available, RespErrors.PROTOCOL_TOO_BIG_BULK_COUNT);
                if (cr < 0) {
                    return false;
                }
                byte type = in.getByte(start + position);
                if (type != '$') {
                    throw new RespProtocolException(RespErrors.protocolExpectedDollar(type));
                }
                if (!RespNumbers.parse(in, start + position + 1, cr - position - 1, number)
                        || number[0] < 0 || number[0] > limits.maxBulkLength()) {
                    throw new RespProtocolException(RespErrors.PROTOCOL_INVALID_BULK_LENGTH);
                }
                if (number[0] > RespLimits.UNAUTHENTICATED_MAX_BULK_LEN && !authenticated) {
                    throw new RespProtocolException(RespErrors.PROTOCOL_UNAUTHENTICATED_BULK_LENGTH);
                }
                bulkLength = (int) number[0];
                position = cr + 2;
                state = State.BULK_PAYLOAD;
            }
            if ((long) available - position < (long) bulkLength + 2) {
                return false;
            }
            args.add(position, bulkLength);
            position += bulkLength + 2;
            if (--bulksLeft == 0) {
                return true;
            }
            enterBulkLength();
        }
    }

    private void enterBulkLength() {
        state = State.BULK_LENGTH;
        scanFrom = position;
    }

    /**
     * Finds the '\r' ending the line at {@link #position} and returns its offset relative to the
     * command start, or -1 if the line is not complete yet (Redis also wants one byte after the '\r',
     * whatever it is). Throws {@code tooBig} when no line end is in sight and more than the inline
     * limit is waiting.
     */
    private int findLineEnd(ByteBuf in, int start, int available, String tooBig) throws RespProtocolException {
        int found = scan(in, start, available, FIND_CR_OR_NUL);
        if (found < 0 || in.getByte(start + found) == 0) {
            if (available - position > limits.maxInlineLength()) {
                throw new RespProtocolException(tooBig);
            }
            return -1;
        }
        if (found + 1 >= available) {
            return -1;
        }
        return found;
    }

    /**
     * Searches from {@link #scanFrom} for a byte the processor stops at and returns its offset relative
     * to the command start, or -1. Remembers how far it got, but not past a stop byte, so a NUL keeps
     * blocking the line, as it does in Redis, and a found '\r' is found again at once.
     */
    private int scan(ByteBuf in, int start, int available, ByteProcessor stopAt) {
        if (scanFrom >= available) {
            return -1;
        }
        int index = in.forEachByte(start + scanFrom, available - scanFrom, stopAt);
        if (index < 0) {
            scanFrom = available;
            return -1;
        }
        scanFrom = index - start;
        return scanFrom;
    }

    /** The view the sink receives; exposed for tests of the session layer. */
    RespArgs args() {
        return args;
    }
}
