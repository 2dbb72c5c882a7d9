package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Feeds a byte stream to a parser in chunks, the way a channel handler with a cumulation buffer would,
 * and records the commands (as ISO-8859-1 strings) and the protocol error, if any.
 */
final class ParserHarness {

    /** How the cumulation buffer is treated between parse calls. */
    enum Cumulation {
        /** Append to the same buffer; read bytes stay in front. */
        APPEND,
        /** Discard read bytes after every call, moving unread bytes to index 0. */
        DISCARD_READ_BYTES,
        /** Copy unread bytes into a fresh buffer behind some junk, so absolute indices all change. */
        REPLACE
    }

    /** {@code unconsumed} is -1 after an error. */
    record Result(List<List<String>> commands, String error, int unconsumed) {
    }

    private ParserHarness() {
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static Result parse(String stream) {
        return parse(new RespRequestParser(RespLimits.DEFAULTS), true, Cumulation.APPEND, bytes(stream));
    }

    static Result parseUnauthenticated(String stream) {
        return parse(new RespRequestParser(RespLimits.DEFAULTS), false, Cumulation.APPEND, bytes(stream));
    }

    static Result parse(RespRequestParser parser, boolean authenticated, Cumulation cumulation, byte[]... chunks) {
        parser.setAuthenticated(authenticated);
        List<List<String>> commands = new ArrayList<>();
        RespCommandSink sink = args -> commands.add(snapshot(args));
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.buffer();
        String error = null;
        int junk = 0;
        try {
            for (byte[] chunk : chunks) {
                buf.writeBytes(chunk);
                try {
                    parser.parse(buf, sink);
                } catch (RespProtocolException e) {
                    error = e.getMessage();
                    break;
                }
                switch (cumulation) {
                    case APPEND -> { }
                    case DISCARD_READ_BYTES -> buf.discardReadBytes();
                    case REPLACE -> {
                        junk = (junk + 7) % 23;
                        ByteBuf next = PooledByteBufAllocator.DEFAULT.buffer(junk + buf.readableBytes());
                        next.writeZero(junk).readerIndex(junk);
                        next.writeBytes(buf);
                        buf.release();
                        buf = next;
                    }
                }
            }
            // After an error the connection closes; what was still unread depends only on how the stream was cut.
            return new Result(commands, error, error == null ? buf.readableBytes() : -1);
        } finally {
            buf.release();
        }
    }

    /** Copies a command out of the reusable view, checking the view's accessors agree with each other. */
    static List<String> snapshot(RespArgs args) {
        List<String> out = new ArrayList<>(args.count());
        for (int i = 0; i < args.count(); i++) {
            String s = args.string(i);
            byte[] viaBuffer = new byte[args.length(i)];
            args.buffer(i).getBytes(args.offset(i), viaBuffer);
            if (!s.equals(new String(viaBuffer, StandardCharsets.ISO_8859_1))
                    || !s.equals(new String(args.bytes(i), StandardCharsets.ISO_8859_1))) {
                throw new AssertionError("accessors disagree for argument " + i);
            }
            out.add(s);
        }
        return out;
    }

    static String multibulk(String... args) {
        StringBuilder sb = new StringBuilder().append('*').append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        return sb.toString();
    }
}
