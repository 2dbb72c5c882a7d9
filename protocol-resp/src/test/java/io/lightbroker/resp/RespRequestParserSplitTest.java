package io.lightbroker.resp;

import io.lightbroker.resp.ParserHarness.Cumulation;
import io.lightbroker.resp.ParserHarness.Result;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;

import static io.lightbroker.resp.ParserHarness.bytes;
import static io.lightbroker.resp.ParserHarness.multibulk;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every stream must parse to the same commands and the same error however it is cut into reads, and
 * whatever the caller does to its cumulation buffer between reads.
 */
class RespRequestParserSplitTest {

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("multibulk pipeline", multibulk("SET", "k", "v") + multibulk("GET", "k") + multibulk("PING")),
                Arguments.of("binary payload", multibulk("PUBLISH", "ch", "a\r\n\0\u00ff$*\r")),
                Arguments.of("empty arguments", multibulk("ECHO", "") + multibulk("", "")),
                Arguments.of("skipped counts", "*0\r\n*-1\r\n" + multibulk("PING") + "*0\r\n"),
                Arguments.of("unchecked line ends", "*2\rX$4\rXECHO??$1\r-z!!"),
                Arguments.of("inline pipeline", "PING\r\nECHO hello\nSET k \"a b\\x41\"\r\n\r\n\n  \r\nQUIT\r\n"),
                Arguments.of("mixed", "PING\r\n" + multibulk("ECHO", "x") + "ECHO 'y'\r\n" + multibulk("PING")),
                Arguments.of("big bulk", multibulk("PUBLISH", "c", "x".repeat(3000))),
                Arguments.of("incomplete tail", multibulk("PING") + "*2\r\n$4\r\nECHO\r\n$3\r\nab"),
                Arguments.of("invalid bulk length", multibulk("PING") + "*1\r\n$1x\r\n" + multibulk("PING")),
                Arguments.of("invalid multibulk length", "PING\r\n*01\r\n"),
                Arguments.of("expected dollar", multibulk("PING") + "*2\r\n$4\r\nECHO\r\n:1\r\n"),
                Arguments.of("unbalanced quotes", "PING\r\nECHO \"abc\r\nPING\r\n"),
                Arguments.of("unauthenticated count", multibulk("PING") + "*11\r\n"),
                Arguments.of("nul blocks inline line", "PING\r\nPING\0\r\nPING\r\n"),
                Arguments.of("nul blocks count line", multibulk("PING") + "*1\r\n$4\0\r\nPING\r\n"));
    }

    private static Result reference(byte[] stream) {
        return ParserHarness.parse(new RespRequestParser(RespLimits.DEFAULTS), false, Cumulation.APPEND, stream);
    }

    private static Result run(Cumulation cumulation, byte[]... chunks) {
        return ParserHarness.parse(new RespRequestParser(RespLimits.DEFAULTS), false, cumulation, chunks);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void splittingAtEveryBytePositionYieldsTheSameCommands(String name, String text) {
        byte[] stream = bytes(text);
        Result expected = reference(stream);
        for (Cumulation cumulation : Cumulation.values()) {
            for (int cut = 0; cut <= stream.length; cut++) {
                Result got = run(cumulation, Arrays.copyOfRange(stream, 0, cut), Arrays.copyOfRange(stream, cut, stream.length));
                assertThat(got).as("%s, cut at %d, %s", name, cut, cumulation).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void feedingOneByteAtATimeYieldsTheSameCommands(String name, String text) {
        byte[] stream = bytes(text);
        Result expected = reference(stream);
        byte[][] chunks = new byte[stream.length][];
        for (int i = 0; i < stream.length; i++) {
            chunks[i] = new byte[] {stream[i]};
        }
        for (Cumulation cumulation : Cumulation.values()) {
            assertThat(run(cumulation, chunks)).as("%s, byte by byte, %s", name, cumulation).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void randomChunkingYieldsTheSameCommands(String name, String text) {
        byte[] stream = bytes(text);
        Result expected = reference(stream);
        Random random = new Random(name.hashCode());
        for (int round = 0; round < 50; round++) {
            int count = 1 + random.nextInt(Math.max(1, Math.min(20, stream.length)));
            int[] cuts = random.ints(count - 1, 0, stream.length + 1).sorted().toArray();
            byte[][] chunks = new byte[count][];
            int from = 0;
            for (int i = 0; i < count; i++) {
                int to = i < cuts.length ? cuts[i] : stream.length;
                chunks[i] = Arrays.copyOfRange(stream, from, to);
                from = to;
            }
            Cumulation cumulation = Cumulation.values()[round % Cumulation.values().length];
            assertThat(run(cumulation, chunks)).as("%s, round %d", name, round).isEqualTo(expected);
        }
    }
}
