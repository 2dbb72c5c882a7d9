package io.lightbroker.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.lightbroker.resp.ParserHarness.Cumulation;
import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Structure-aware fuzzing of {@link RespRequestParser}: valid multibulk and inline pipelines, then
 * mutated (bytes flipped, inserted, deleted, counts replaced by huge, negative or malformed numbers,
 * line ends dropped, the tail cut off), fed whole and cut at random points into a cumulation buffer
 * that is appended to, compacted or replaced between reads, as the broker's channel handler does.
 *
 * <p>An AUTH command authenticates the parser from the next command on, as the session does, so the
 * switch to wider limits in the middle of a pipeline is fuzzed too.
 *
 * <p>For every input: only {@link RespProtocolException} escapes; no parse call hangs; a failed parser
 * repeats its error; the parser allocates no buffer and keeps no array larger than the bytes it was
 * given justify, whatever counts or lengths the input claims; and the commands, the error and the
 * unread remainder do not depend on where the stream was cut.
 *
 * <p>The one accepted read-size dependence is Redis's own: "too big" is decided on the unread bytes
 * present when no line end has been seen yet, so a long line that arrives whole is accepted while the
 * same line arriving in pieces may be refused (redis-server 7.0 {@code processInlineBuffer} and
 * {@code processMultibulkBuffer} do the same). Then the cut run must have delivered a prefix of the
 * whole run's commands.
 *
 * <p>Tries are sized for CI; {@code -Dfuzz.tries=N} raises them (see docs/fuzzing.md).
 */
@AddLifecycleHook(FuzzTries.class)
class RespRequestParserFuzzTest {

    private static final Duration HANG = Duration.ofSeconds(30);

    private static final byte[] AUTH = ParserHarness.bytes("AUTH");

    private static final Set<String> TOO_BIG = Set.of(
            RespErrors.PROTOCOL_TOO_BIG_INLINE_REQUEST,
            RespErrors.PROTOCOL_TOO_BIG_MBULK_COUNT,
            RespErrors.PROTOCOL_TOO_BIG_BULK_COUNT);

    /** Numbers that sit on or just past a limit, or break Redis's {@code string2ll} rules. */
    private static final String[] NASTY_NUMBERS = {
        "0", "1", "-1", "-5", "00", "01", "+3", "-0", "", " 3", "3 ", "10", "11", "16384", "16385",
        "2147483647", "2147483648", "4294967296", "536870912", "536870913", "1073741824",
        "9223372036854775807", "9223372036854775808", "-9223372036854775808", "99999999999999999999",
    };

    /** A fuzz input: the stream, where to cut it, what the caller does to its buffer after each read. */
    record Case(byte[] stream, List<Double> cuts, List<Cumulation> cumulations, RespLimits limits,
                boolean authenticated) {

        int[] cutPositions() {
            return cuts.stream().mapToInt(f -> (int) Math.floor(f * stream.length)).sorted().toArray();
        }

        @Override
        public String toString() {
            return "Case[stream=\"" + escape(stream) + "\", cuts=" + Arrays.toString(cutPositions())
                    + ", cumulations=" + cumulations + ", limits=" + limits + ", authenticated=" + authenticated + "]";
        }
    }

    record Outcome(List<List<String>> commands, String error, int unconsumed) {
    }

    // ---------------------------------------------------------------- properties

    @Property(tries = 3000)
    void cuttingTheStreamAnywhereYieldsTheSameCommandsAndError(@ForAll("cases") Case c) {
        Outcome whole = feed(c, new int[0]);
        Statistics.label("outcome")
                .collect(whole.error() == null ? "no error" : whole.error().replaceAll("got .*", "got ..."));
        Statistics.label("commands").collect(Math.min(whole.commands().size(), 5));
        assertSameAsWhole(c, c.cutPositions(), whole);
    }

    @Property(tries = 1500)
    void feedingByteByByteYieldsTheSameCommandsAndError(@ForAll("cases") Case c) {
        int[] everyByte = new int[Math.max(0, c.stream().length - 1)];
        Arrays.setAll(everyByte, i -> i + 1);
        assertSameAsWhole(c, everyByte, feed(c, new int[0]));
    }

    /**
     * The whole property for one input, shared with the coverage-guided {@link RespRequestParserJazzerTest}:
     * fed cut at {@code cuts}, {@code c} must give what it gives in one read, give or take Redis's
     * read-size-dependent "too big".
     */
    static void assertSameAsWhole(Case c, int[] cuts, Outcome whole) {
        Outcome cut = feed(c, cuts);
        if (cut.error() != null && TOO_BIG.contains(cut.error()) && !cut.equals(whole)) {
            int n = cut.commands().size();
            assertThat(whole.commands().size()).as("%s: commands before a read-size-dependent 'too big'", c)
                    .isGreaterThanOrEqualTo(n);
            assertThat(cut.commands()).as("%s", c).isEqualTo(whole.commands().subList(0, n));
            return;
        }
        assertThat(cut).as("%s, cut at %s", c, Arrays.toString(cuts)).isEqualTo(whole);
    }

    /**
     * A claimed gigabyte is only a number: the parser waits for it without allocating or growing
     * anything, however many pieces of it arrive.
     */
    @Example
    void aClaimedGigabyteBulkAllocatesNothingWhileItsBytesTrickleIn() {
        RespLimits limits = new RespLimits(Integer.MAX_VALUE - 2, Integer.MAX_VALUE, 64 * 1024);
        RespRequestParser parser = new RespRequestParser(limits);
        parser.setAuthenticated(true);
        CountingAllocator alloc = new CountingAllocator();
        ByteBuf buf = alloc.heapBuffer(64 * 1024);
        List<String> delivered = new ArrayList<>();
        try {
            buf.writeBytes(ParserHarness.bytes("*2147483647\r\n$1073741824\r\n"));
            byte[] piece = new byte[64 * 1024];
            for (int i = 0; i < 32; i++) {
                parseOrFail(parser, buf, args -> delivered.add(args.string(0)));
                buf.discardReadBytes();
                buf.writeBytes(piece);
                assertThat(buf.capacity()).isLessThanOrEqualTo(4 * 1024 * 1024);
            }
            assertThat(delivered).isEmpty();
            assertThat(parser.isMidCommand()).isTrue();
            assertThat(alloc.allocations()).isEqualTo(1);
            assertThat(retainedArgSlots(parser)).isLessThanOrEqualTo(16);
        } finally {
            buf.release();
        }
    }

    // ---------------------------------------------------------------- driver

    /**
     * Feeds {@code c.stream} cut at {@code cuts} into one cumulation buffer and records what the parser
     * delivers, checking the per-read invariants on the way.
     */
    static Outcome feed(Case c, int[] cuts) {
        return assertTimeoutPreemptively(HANG, () -> feedInline(c, cuts), () -> "parser hung on " + c);
    }

    private static Outcome feedInline(Case c, int[] cuts) {
        RespRequestParser parser = new RespRequestParser(c.limits());
        parser.setAuthenticated(c.authenticated());
        List<List<String>> commands = new ArrayList<>();
        RespCommandSink sink = args -> {
            commands.add(ParserHarness.snapshot(args));
            // As the session does: the very next command of the pipeline is parsed with the wider limits.
            if (args.equalsIgnoreCase(0, AUTH)) {
                parser.setAuthenticated(true);
            }
        };
        CountingAllocator alloc = new CountingAllocator();
        int ownAllocations = 1;
        ByteBuf buf = alloc.heapBuffer(16);
        String error = null;
        int junk = 0;
        int from = 0;
        try {
            for (int k = 0; k <= cuts.length; k++) {
                int to = k < cuts.length ? cuts[k] : c.stream().length;
                buf.writeBytes(c.stream(), from, to - from);
                from = to;
                int before = buf.readerIndex();
                try {
                    parser.parse(buf, sink);
                } catch (RespProtocolException e) {
                    error = e.getMessage();
                    assertThat(error).as("error text").isNotBlank();
                    assertThat(repeatedError(parser, buf)).as("a failed parser repeats its error").isEqualTo(error);
                    break;
                }
                assertThat(buf.readerIndex()).isBetween(before, buf.writerIndex());
                if (buf.readerIndex() == buf.writerIndex()) {
                    assertThat(parser.isMidCommand()).as("nothing unread, yet mid-command").isFalse();
                }
                assertBoundedRetention(parser, to);
                Cumulation mode = c.cumulations().get(k % c.cumulations().size());
                switch (mode) {
                    case APPEND -> { }
                    case DISCARD_READ_BYTES -> buf.discardReadBytes();
                    case REPLACE -> {
                        junk = (junk + 7) % 23;
                        ByteBuf next = alloc.heapBuffer(junk + buf.readableBytes());
                        ownAllocations++;
                        next.writeZero(junk).readerIndex(junk);
                        next.writeBytes(buf);
                        buf.release();
                        buf = next;
                    }
                }
            }
            assertThat(commands.size()).as("commands delivered").isLessThanOrEqualTo(c.stream().length);
            assertThat(alloc.allocations()).as("buffers the parser allocated").isEqualTo(ownAllocations);
            return new Outcome(commands, error, error == null ? buf.readableBytes() : -1);
        } finally {
            buf.release();
            assertThat(alloc.unreleased()).as("unreleased buffers").isZero();
        }
    }

    private static String repeatedError(RespRequestParser parser, ByteBuf buf) {
        try {
            parser.parse(buf, args -> {
                throw new AssertionError("a failed parser delivered " + args);
            });
            return null;
        } catch (RespProtocolException e) {
            return e.getMessage();
        }
    }

    private static void parseOrFail(RespRequestParser parser, ByteBuf buf, RespCommandSink sink) {
        try {
            parser.parse(buf, sink);
        } catch (RespProtocolException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * What the parser keeps between reads grows with the bytes received, never with a claimed count:
     * an argument takes at least two bytes of input ("a " inline), and quoted inline arguments are
     * decoded into a scratch array no longer than their line.
     */
    private static void assertBoundedRetention(RespRequestParser parser, int bytesReceived) {
        assertThat(retainedArgSlots(parser)).as("argument slots after %d bytes", bytesReceived)
                .isLessThanOrEqualTo(Math.max(16, bytesReceived + 2));
        assertThat(((byte[]) field(parser.args(), "scratchBytes")).length)
                .as("inline scratch after %d bytes", bytesReceived)
                .isLessThanOrEqualTo(Math.max(64, 2 * bytesReceived));
    }

    private static int retainedArgSlots(RespRequestParser parser) {
        return ((int[]) field(parser.args(), "offsets")).length;
    }

    private static Object field(Object target, String name) {
        try {
            Field f = target.getClass().getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<byte[]> stream = Arbitraries.frequencyOf(
                weighted(9, mutated(pipelines())),
                weighted(1, Arbitraries.bytes().between((byte) 0, (byte) 0x7f).array(byte[].class).ofMaxSize(48)
                        .map(RespRequestParserFuzzTest::sprinkleSpecials)));
        Arbitrary<List<Double>> cuts = Arbitraries.doubles().between(0, 1).list().ofMaxSize(8);
        Arbitrary<List<Cumulation>> cumulations = Arbitraries.of(Cumulation.class).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<RespLimits> limits = Arbitraries.frequencyOf(
                weighted(3, Arbitraries.just(RespLimits.DEFAULTS)),
                weighted(2, Combinators.combine(
                                Arbitraries.longs().between(0, 40),
                                Arbitraries.integers().between(0, 8),
                                Arbitraries.integers().between(1, 40))
                        .as(RespLimits::new)));
        return Combinators.combine(stream, cuts, cumulations, limits, Arbitraries.of(true, false)).as(Case::new);
    }

    private static <T> Tuple2<Integer, Arbitrary<? extends T>> weighted(int weight, Arbitrary<? extends T> a) {
        return Tuple.of(weight, a);
    }

    private static Arbitrary<byte[]> pipelines() {
        Arbitrary<byte[]> frame = Arbitraries.frequencyOf(
                weighted(6, argLists().map(RespRequestParserFuzzTest::multibulk)),
                weighted(3, inlineCommands()),
                weighted(1, Arbitraries.of("*0\r\n", "*-1\r\n", "\r\n", "\n", "  \t\r\n", "AUTH pw\r\n",
                                "*2\r\n$4\r\nauth\r\n$2\r\npw\r\n")
                        .map(ParserHarness::bytes)));
        return frame.list().ofMinSize(1).ofMaxSize(6).map(frames -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            frames.forEach(out::writeBytes);
            return out.toByteArray();
        });
    }

    private static Arbitrary<List<byte[]>> argLists() {
        Arbitrary<String> plain = Arbitraries.strings().withChars("abcSETPUBLISH019").ofMaxLength(8);
        Arbitrary<String> tricky = Arbitraries.strings().withChars("ab\r\n\0 \"'\\$*-:").ofMaxLength(8);
        Arbitrary<byte[]> arg = Arbitraries.frequencyOf(
                weighted(5, plain.map(ParserHarness::bytes)),
                weighted(2, tricky.map(ParserHarness::bytes)),
                weighted(1, Arbitraries.bytes().array(byte[].class).ofMaxSize(24)));
        return arg.list().ofMaxSize(6);
    }

    private static Arbitrary<byte[]> inlineCommands() {
        Arbitrary<String> token = Arbitraries.frequencyOf(
                weighted(6, Arbitraries.strings().withChars("abcPINGECHO019-_").ofMinLength(1).ofMaxLength(8)),
                weighted(2, Arbitraries.of("\"a b\"", "\"\\x41\\x4a\\n\"", "'it\\'s'", "a\"b c\"", "\"\\z\"", "''",
                        "\"\"", "\"\\x4\"", "'x'y", "\"open", "'open", "\"\\\"\"")));
        Arbitrary<String> blank = Arbitraries.of(" ", "  ", "\t", " \u000b ");
        Arbitrary<String> end = Arbitraries.of("\r\n", "\n", "\r\n", "\n\r\n");
        return Combinators.combine(token.list().ofMinSize(1).ofMaxSize(5), blank, end, Arbitraries.of("", " "))
                .as((tokens, sep, eol, lead) -> ParserHarness.bytes(lead + String.join(sep, tokens) + eol));
    }

    private static byte[] multibulk(List<byte[]> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("*" + args.size() + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (byte[] a : args) {
            out.writeBytes(("$" + a.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(a);
            out.writeBytes(new byte[] {'\r', '\n'});
        }
        return out.toByteArray();
    }

    private static Arbitrary<byte[]> mutated(Arbitrary<byte[]> base) {
        Arbitrary<Mutation> mutation = Combinators.combine(
                Arbitraries.of(MutationKind.class),
                Arbitraries.doubles().between(0, 1),
                Arbitraries.of((byte) '\r', (byte) '\n', (byte) 0, (byte) '*', (byte) '$', (byte) '"', (byte) '\'',
                        (byte) '\\', (byte) '-', (byte) ' ', (byte) '9', (byte) 0xff, (byte) 'x'),
                Arbitraries.of(NASTY_NUMBERS))
                .as(Mutation::new);
        return Combinators.combine(base, mutation.list().ofMaxSize(4)).as((bytes, ms) -> {
            byte[] b = bytes;
            for (Mutation m : ms) {
                b = m.apply(b);
            }
            return b;
        });
    }

    private static byte[] sprinkleSpecials(byte[] raw) {
        byte[] specials = {'\r', '\n', '*', '$', '"', 0, '1', ' '};
        byte[] out = raw.clone();
        for (int i = 0; i < out.length; i++) {
            if ((out[i] & 3) == 0) {
                out[i] = specials[(out[i] >>> 2) & 7];
            }
        }
        return out;
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
                    while (start < b.length && (b[start] < '0' || b[start] > '9') && b[start] != '-') {
                        start++;
                    }
                    int stop = start;
                    while (stop < b.length && ((b[stop] >= '0' && b[stop] <= '9') || b[stop] == '-')) {
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
