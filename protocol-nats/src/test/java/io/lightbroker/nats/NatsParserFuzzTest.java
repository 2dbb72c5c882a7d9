package io.lightbroker.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.UnpooledDirectByteBuf;
import io.netty.buffer.UnpooledHeapByteBuf;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.statistics.Statistics;

/**
 * Structure-aware fuzzing of {@link NatsParser}: streams of valid CONNECT, PUB, HPUB, SUB, UNSUB,
 * PING/PONG, INFO, +OK and -ERR operations in mixed case with odd blanks, then mutated (bytes
 * flipped, inserted, deleted, sizes replaced by huge, signed or malformed numbers, line ends dropped,
 * the tail cut off), fed whole and cut at random points.
 *
 * <p>For every input: only {@link NatsProtocolException} escapes; no parse call hangs; every parse
 * consumes all it is given; the events and the error do not depend on where the stream was cut (the
 * parser checks the control line limit on every byte precisely so that they do not); and the only
 * buffer the parser allocates is one split payload at a time, never larger than {@code max_payload},
 * released by the time the handler returns or {@link NatsParser#close} is called.
 *
 * <p>Tries are sized for CI; {@code -Dfuzz.tries=N} raises them (see docs/fuzzing.md).
 */
@AddLifecycleHook(FuzzTries.class)
class NatsParserFuzzTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    private static final String[] NASTY_SIZES = {
        "0", "1", "2", "02", "-1", "+2", "", "123456789", "999999999", "1000000000", "1048576", "1048577",
        "2147483647", "2147483648", "64", "65", "4096",
    };

    /** A fuzz input: the stream, where to cut it, and the connection's settings. */
    record Case(byte[] stream, List<Double> cuts, boolean headers, boolean awaitingAuth, int maxControlLine,
                int maxPayload) {

        int[] cutPositions() {
            return cuts.stream().mapToInt(f -> (int) Math.floor(f * stream.length)).sorted().toArray();
        }

        @Override
        public String toString() {
            return "Case[stream=\"" + escape(stream) + "\", cuts=" + Arrays.toString(cutPositions())
                + ", headers=" + headers + ", awaitingAuth=" + awaitingAuth + ", maxControlLine=" + maxControlLine
                + ", maxPayload=" + maxPayload + "]";
        }
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 3000)
    void cuttingTheStreamAnywhereYieldsTheSameEventsAndError(@ForAll("cases") Case c) {
        List<String> whole = feed(c, new int[0]);
        String last = whole.isEmpty() ? "no events" : whole.get(whole.size() - 1);
        Statistics.label("outcome").collect(last.startsWith("-ERR") || last.startsWith("silent") ? last : "no error");
        assertThat(feed(c, c.cutPositions())).as("%s", c).isEqualTo(whole);
    }

    @Property(tries = 1500)
    void feedingByteByByteYieldsTheSameEventsAndError(@ForAll("cases") Case c) {
        int[] everyByte = new int[Math.max(0, c.stream().length - 1)];
        Arrays.setAll(everyByte, i -> i + 1);
        assertThat(feed(c, everyByte)).as("%s", c).isEqualTo(feed(c, new int[0]));
    }

    /** The announced size is checked before any payload byte, so a claimed gigabyte costs nothing. */
    @Example
    void aClaimedGigabytePayloadIsRefusedBeforeAnythingIsAllocated() {
        Case c = new Case(bytes("PUB a 999999999\r\n" + "x".repeat(100)), List.of(0.1, 0.5), false, false,
            NatsLimits.MAX_CONTROL_LINE_SIZE, NatsLimits.MAX_PAYLOAD_SIZE);
        assertThat(feed(c, c.cutPositions())).containsExactly("-ERR 'Maximum Payload Violation' close");
    }

    // ---------------------------------------------------------------- driver

    static List<String> feed(Case c, int[] cuts) {
        return assertTimeoutPreemptively(HANG, () -> feedInline(c, cuts), () -> "parser hung on " + c);
    }

    /**
     * Like {@link Recorder#feed}, but also checks what the parser takes from the chunks' allocator:
     * at most one live buffer besides the chunk, never over max_payload.
     */
    private static List<String> feedInline(Case c, int[] cuts) {
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec, c.maxControlLine(), c.maxPayload());
        parser.setHeadersEnabled(c.headers());
        parser.setAwaitingAuth(c.awaitingAuth());
        rec.afterConnect = () -> parser.setAwaitingAuth(false);
        CapacityTrackingAllocator alloc = new CapacityTrackingAllocator();
        byte[] stream = c.stream();
        int from = 0;
        try {
            for (int k = 0; k <= cuts.length; k++) {
                int to = k < cuts.length ? cuts[k] : stream.length;
                ByteBuf chunk = alloc.chunk(to - from + 3);
                try {
                    chunk.writeBytes(new byte[] {'x', 'y', 'z'});
                    chunk.readerIndex(3);
                    chunk.writeBytes(stream, from, to - from);
                    parser.parse(chunk);
                    assertThat(chunk.isReadable()).as("bytes left unread").isFalse();
                } finally {
                    chunk.release();
                }
                assertThat(alloc.unreleased()).as("live parser buffers after a read").isLessThanOrEqualTo(1);
                from = to;
            }
        } catch (NatsProtocolException e) {
            rec.events.add(Recorder.outcome(e));
            assertThat(alloc.unreleased()).as("buffers live after a protocol error").isZero();
        } finally {
            parser.close();
        }
        assertThat(alloc.unreleased()).as("buffers live after close").isZero();
        assertThat(alloc.unreleasedChunks()).as("chunks live after the run").isZero();
        if (c.maxPayload() != NatsLimits.NO_LIMIT) {
            assertThat(alloc.largestParserRequest()).as("largest buffer the parser asked for")
                .isLessThanOrEqualTo(c.maxPayload());
        }
        return rec.events;
    }

    /**
     * Hands out the chunks and, through the chunks' {@code alloc()}, whatever the parser asks for;
     * only the parser's requests count towards the live and largest figures.
     */
    private static final class CapacityTrackingAllocator extends AbstractByteBufAllocator {

        private final List<ByteBuf> parserBuffers = new ArrayList<>();
        private final List<ByteBuf> chunks = new ArrayList<>();
        private boolean allocatingChunk;
        private int largest;

        ByteBuf chunk(int capacity) {
            allocatingChunk = true;
            try {
                return heapBuffer(capacity);
            } finally {
                allocatingChunk = false;
            }
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            return track(new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity), initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return track(new UnpooledDirectByteBuf(this, initialCapacity, maxCapacity), initialCapacity, maxCapacity);
        }

        private ByteBuf track(ByteBuf buf, int initialCapacity, int maxCapacity) {
            if (allocatingChunk) {
                chunks.add(buf);
            } else {
                largest = Math.max(largest, Math.max(initialCapacity, maxCapacity));
                parserBuffers.add(buf);
            }
            return buf;
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }

        long unreleased() {
            return parserBuffers.stream().filter(b -> b.refCnt() != 0).count();
        }

        long unreleasedChunks() {
            return chunks.stream().filter(b -> b.refCnt() != 0).count();
        }

        int largestParserRequest() {
            return largest;
        }
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<byte[]> stream = Arbitraries.frequencyOf(
            weighted(9, mutated(conversations())),
            weighted(1, Arbitraries.strings().withChars("PUBSHINGCONECTRpubsh -+*>.\r\n\t 0123456789{}\"")
                .ofMaxLength(48).map(NatsParserFuzzTest::bytes)));
        Arbitrary<List<Double>> cuts = Arbitraries.doubles().between(0, 1).list().ofMaxSize(8);
        Arbitrary<Integer> controlLine = Arbitraries.frequencyOf(
            weighted(3, Arbitraries.just(NatsLimits.MAX_CONTROL_LINE_SIZE)),
            weighted(2, Arbitraries.integers().between(1, 40)));
        Arbitrary<Integer> payload = Arbitraries.frequencyOf(
            weighted(3, Arbitraries.just(NatsLimits.MAX_PAYLOAD_SIZE)),
            weighted(2, Arbitraries.integers().between(0, 40)));
        Arbitrary<Boolean> headers = Arbitraries.of(true, true, false);
        Arbitrary<Boolean> awaitingAuth = Arbitraries.of(false, false, false, false, true);
        return Combinators.combine(stream, cuts, headers, awaitingAuth, controlLine, payload).as(Case::new);
    }

    private static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(int weight, Arbitrary<? extends T> a) {
        return Tuple.of(weight, a);
    }

    private static Arbitrary<byte[]> conversations() {
        return operations().list().ofMinSize(1).ofMaxSize(6).map(ops -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ops.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    private static Arbitrary<byte[]> operations() {
        Arbitrary<String> subject = Arbitraries.of("foo", "foo.bar", "a.*", "a.>", ">", "_INBOX.x1", "q", "é.b");
        Arbitrary<String> blank = Arbitraries.of(" ", " ", "\t", "  ", " \t");
        Arbitrary<String> eol = Arbitraries.of("\r\n", "\r\n", "\n");
        Arbitrary<String> sid = Arbitraries.integers().between(1, 12).map(String::valueOf);
        Arbitrary<String> payloadText = Arbitraries.strings().withChars("abc \r\nPUB01").ofMaxLength(12);
        Arbitrary<Boolean> withReply = Arbitraries.of(true, false);

        Arbitrary<String> pub = Combinators.combine(subject, withReply, blank, eol, payloadText)
            .as((s, r, b, e, p) -> "PUB" + b + s + (r ? b + "_INBOX.r" : "") + b + p.length() + e + p + "\r\n");
        Arbitrary<String> hpub = Combinators.combine(subject, withReply, blank, eol, payloadText)
            .as((s, r, b, e, p) -> {
                String hdr = "NATS/1.0\r\nK: v\r\n\r\n";
                return "HPUB" + b + s + (r ? b + "r" : "") + b + hdr.length() + b + (hdr.length() + p.length())
                    + e + hdr + p + "\r\n";
            });
        Arbitrary<String> sub = Combinators.combine(subject, Arbitraries.of("", "workers"), sid, blank, eol)
            .as((s, q, id, b, e) -> "SUB" + b + s + (q.isEmpty() ? "" : b + q) + b + id + e);
        Arbitrary<String> unsub = Combinators.combine(sid, Arbitraries.of("", "0", "5", "x"), blank, eol)
            .as((id, max, b, e) -> "UNSUB" + b + id + (max.isEmpty() ? "" : b + max) + e);
        Arbitrary<String> connect = Combinators.combine(Arbitraries.of(
                "{}", "{\"verbose\":false,\"headers\":true}", "{\"user\":\"a\",\"pass\":\"b\"}",
                "{\"x\":[1,{\"y\":null}]}"),
                Arbitraries.of(" ", "", "\t"), eol)
            .as((json, b, e) -> "CONNECT" + b + json + e);
        Arbitrary<String> other = Arbitraries.of("PING\r\n", "PONG\r\n", "PINGjunk\r\n", "+OK\r\n", "INFO {}\r\n",
            "INFO {\"a\":1}\r\n", "-ERR 'x'\r\n", "ping\n", "pong\r\n");
        Arbitrary<String> op = Arbitraries.frequencyOf(
            weighted(4, pub), weighted(2, hpub), weighted(3, sub), weighted(2, unsub), weighted(1, connect),
            weighted(3, other));
        return Combinators.combine(op, Arbitraries.of(false, false, true))
            .as((text, lower) -> bytes(lower ? mixCase(text) : text));
    }

    /** nats-server matches operation names case-insensitively; payloads keep their case. */
    private static String mixCase(String op) {
        int firstBlank = op.indexOf(' ');
        if (firstBlank < 0) {
            return op.toLowerCase(java.util.Locale.ROOT);
        }
        return op.substring(0, firstBlank).toLowerCase(java.util.Locale.ROOT) + op.substring(firstBlank);
    }

    private static Arbitrary<byte[]> mutated(Arbitrary<byte[]> base) {
        Arbitrary<Mutation> mutation = Combinators.combine(
                Arbitraries.of(MutationKind.class),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.of((byte) '\r', (byte) '\n', (byte) 0, (byte) ' ', (byte) '\t', (byte) '9', (byte) '-',
                    (byte) '+', (byte) 0xff, (byte) 'P', (byte) '{', (byte) '"'),
                Arbitraries.of(NASTY_SIZES))
            .as(Mutation::new);
        return Combinators.combine(base, mutation.list().ofMaxSize(4)).as((bytes, ms) -> {
            byte[] b = bytes;
            for (Mutation m : ms) {
                b = m.apply(b);
            }
            return b;
        });
    }

    enum MutationKind { FLIP_BIT, INSERT, DELETE, REPLACE_NUMBER, DROP_LINE_END, TRUNCATE, DUPLICATE_TAIL }

    record Mutation(MutationKind kind, double where, byte value, String number) {

        byte[] apply(byte[] b) {
            if (b.length == 0) {
                return kind == MutationKind.INSERT ? new byte[] {value} : b;
            }
            int at = Math.min(b.length - 1, (int) (where * b.length));
            return switch (kind) {
                case FLIP_BIT -> {
                    byte[] out = b.clone();
                    out[at] ^= (byte) (1 << (value & 7));
                    yield out;
                }
                case INSERT -> splice(b, at, 0, new byte[] {value});
                case DELETE -> splice(b, at, 1, new byte[0]);
                case REPLACE_NUMBER -> {
                    int start = at;
                    while (start < b.length && (b[start] < '0' || b[start] > '9')) {
                        start++;
                    }
                    int stop = start;
                    while (stop < b.length && b[stop] >= '0' && b[stop] <= '9') {
                        stop++;
                    }
                    yield start >= b.length ? b
                        : splice(b, start, stop - start, number.getBytes(StandardCharsets.US_ASCII));
                }
                case DROP_LINE_END -> {
                    for (int i = at; i + 1 < b.length; i++) {
                        if (b[i] == '\r' && b[i + 1] == '\n') {
                            yield splice(b, i, 2, new byte[0]);
                        }
                    }
                    yield b;
                }
                case TRUNCATE -> Arrays.copyOf(b, at);
                case DUPLICATE_TAIL -> splice(b, b.length, 0, Arrays.copyOfRange(b, at, b.length));
            };
        }

        private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
            byte[] out = new byte[b.length - remove + insert.length];
            System.arraycopy(b, 0, out, 0, at);
            System.arraycopy(insert, 0, out, at, insert.length);
            System.arraycopy(b, at + remove, out, at + insert.length, b.length - at - remove);
            return out;
        }
    }

    static byte[] bytes(String latin1) {
        return latin1.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String escape(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte x : bytes) {
            int v = x & 0xff;
            switch (v) {
                case '\r' -> sb.append("\\r");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (v < 0x20 || v >= 0x7f) {
                        sb.append(String.format("\\x%02x", v));
                    } else {
                        sb.append((char) v);
                    }
                }
            }
        }
        return sb.toString();
    }
}
