package io.lightbroker.nats;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test handler that records each decoded operation as one readable line, plus a driver that feeds a
 * stream to a fresh parser in chosen chunks. Chunks come from a {@link TrackingAllocator} with a few junk
 * bytes before the reader index, so absolute indexing is exercised and any buffer left unreleased fails the test.
 */
class Recorder implements NatsHandler {

    final List<String> events = new ArrayList<>();
    Runnable afterConnect;

    static String str(ByteBuf buf, int index, int length) {
        return buf.toString(index, length, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void onConnect(ByteBuf buf, int jsonIndex, int jsonLength) {
        events.add("CONNECT " + str(buf, jsonIndex, jsonLength));
        if (afterConnect != null) {
            afterConnect.run();
        }
    }

    @Override
    public void onPub(ByteBuf line, int subjectIndex, int subjectLength, int replyIndex, int replyLength,
                      ByteBuf payload, int payloadIndex, int payloadLength) {
        events.add("PUB " + str(line, subjectIndex, subjectLength)
            + (replyLength > 0 ? " reply=" + str(line, replyIndex, replyLength) : "")
            + " [" + str(payload, payloadIndex, payloadLength) + "]");
    }

    @Override
    public void onHpub(ByteBuf line, int subjectIndex, int subjectLength, int replyIndex, int replyLength,
                       ByteBuf message, int messageIndex, int headerLength, int totalLength) {
        events.add("HPUB " + str(line, subjectIndex, subjectLength)
            + (replyLength > 0 ? " reply=" + str(line, replyIndex, replyLength) : "")
            + " hdr=[" + str(message, messageIndex, headerLength) + "]"
            + " payload=[" + str(message, messageIndex + headerLength, totalLength - headerLength) + "]");
    }

    @Override
    public void onSub(ByteBuf line, int subjectIndex, int subjectLength, int queueIndex, int queueLength,
                      int sidIndex, int sidLength) {
        events.add("SUB " + str(line, subjectIndex, subjectLength)
            + (queueLength > 0 ? " queue=" + str(line, queueIndex, queueLength) : "")
            + " sid=" + str(line, sidIndex, sidLength));
    }

    @Override
    public void onUnsub(ByteBuf line, int sidIndex, int sidLength, int max) {
        events.add("UNSUB sid=" + str(line, sidIndex, sidLength) + " max=" + max);
    }

    @Override
    public void onPing() {
        events.add("PING");
    }

    @Override
    public void onPong() {
        events.add("PONG");
    }

    @Override
    public void onInfo(ByteBuf buf, int jsonIndex, int jsonLength) {
        events.add("INFO " + str(buf, jsonIndex, jsonLength));
    }

    @Override
    public void onOk() {
        events.add("+OK");
    }

    /** How a parse ended: "-ERR 'text' close", "-ERR 'text' open" or "silent close". */
    static String outcome(NatsProtocolException e) {
        String close = e.closesConnection() ? "close" : "open";
        return e.sendsError() ? "-ERR '" + e.errorText() + "' " + close : "silent " + close;
    }

    /** Feeds {@code stream} cut at the given ascending offsets; returns events and the outcome. */
    static List<String> feed(NatsParser parser, Recorder rec, byte[] stream, int... cuts) {
        TrackingAllocator alloc = new TrackingAllocator();
        int from = 0;
        try {
            for (int k = 0; k <= cuts.length; k++) {
                int to = k < cuts.length ? cuts[k] : stream.length;
                ByteBuf chunk = alloc.buffer(to - from + 3);
                try {
                    chunk.writeBytes(new byte[] {'x', 'y', 'z'});
                    chunk.readerIndex(3);
                    chunk.writeBytes(stream, from, to - from);
                    parser.parse(chunk);
                    if (chunk.isReadable()) {
                        throw new AssertionError("parser left bytes unread");
                    }
                } finally {
                    chunk.release();
                }
                from = to;
            }
        } catch (NatsProtocolException e) {
            rec.events.add(outcome(e));
        } finally {
            parser.close();
        }
        if (alloc.unreleased() != 0) {
            throw new AssertionError(alloc.unreleased() + " of " + alloc.allocations() + " buffers not released");
        }
        return rec.events;
    }

    /** Parses a whole stream with a default parser (headers enabled) and returns the events. */
    static List<String> parse(String stream, int... cuts) {
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec);
        parser.setHeadersEnabled(true);
        return feed(parser, rec, stream.getBytes(StandardCharsets.ISO_8859_1), cuts);
    }
}
