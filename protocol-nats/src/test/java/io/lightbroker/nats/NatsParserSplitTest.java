package io.lightbroker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every stream, cut at every byte position and fed byte by byte, decodes to the same events and the
 * same error as when it arrives in one read (nats-server's {@code split_test.go} idea).
 */
class NatsParserSplitTest {

    private static final String UNKNOWN = "-ERR 'Unknown Protocol Operation' close";

    /** Each stream followed by the events it decodes to in one read. */
    private static final Object[][] CASES = {
        {"CONNECT {\"verbose\":false,\"headers\":true}\r\nPING\r\n",
            List.of("CONNECT {\"verbose\":false,\"headers\":true}", "PING")},
        {"PUB foo 5\r\nhello\r\nPUB foo.bar reply.1 0\r\n\r\nPUB a 2\nhi\r\n",
            List.of("PUB foo [hello]", "PUB foo.bar reply=reply.1 []", "PUB a [hi]")},
        {"HPUB foo 12 14\r\nNATS/1.0\r\n\r\nhi\r\nHPUB foo r 12 12\r\nNATS/1.0\r\n\r\n\r\n",
            List.of("HPUB foo hdr=[NATS/1.0\r\n\r\n] payload=[hi]", "HPUB foo reply=r hdr=[NATS/1.0\r\n\r\n] payload=[]")},
        {"SUB foo 1\r\nSUB foo.* q 2\r\nUNSUB 1\r\nUNSUB 2 5\r\nSUB a\r1\r\n",
            List.of("SUB foo sid=1", "SUB foo.* queue=q sid=2", "UNSUB sid=1 max=-1", "UNSUB sid=2 max=5", "SUB a sid=1")},
        {"PING\r\nPONG\r\nPINGjunk\r\n+OK\r\ninfo {\"x\":1}\r\n",
            List.of("PING", "PONG", "PING", "+OK", "INFO {\"x\":1}")},
        {"pub\tA\t\t3\t\r\nabc\r\nsUb  x  9 \r\n", List.of("PUB A [abc]", "SUB x sid=9")},
        {"PUB a 11\r\nPING\r\nPUB\r\n\r\nPING\r\n", List.of("PUB a [PING\r\nPUB\r\n]", "PING")},
        {"SUB " + "s".repeat(4094) + " 1\r\nPUB " + "p".repeat(4092) + " 3\r\nxyz\r\n",
            List.of("SUB " + "s".repeat(4094) + " sid=1", "PUB " + "p".repeat(4092) + " [xyz]")},
        {"UNSUB 1\r2x\n", List.of("UNSUB sid=1 max=2")},
        {"PING\r\nFOO\r\n", List.of("PING", UNKNOWN)},
        {"PUB a 2\r\nhix\r\n", List.of(UNKNOWN)},
        {"PUB a 2\r\nhi\n\r\n", List.of(UNKNOWN)},
        {"PUB a x\r\nPING\r\n", List.of("silent close")},
        {"SUB a\r\n", List.of("silent close")},
        {"HPUB a 5 2\r\nxx\r\n", List.of("silent close")},
        {"PUB a 2000000\r\n", List.of("-ERR 'Maximum Payload Violation' close")},
        {"SUB " + "s".repeat(5000) + " 1\r\n", List.of("-ERR 'maximum control line exceeded' close")},
        {"PING\r\n-ERR 'x'\r\n", List.of("PING", "silent close")},
        {"INFO {bad\r\n", List.of("silent close")},
        {"PUB \r\n", List.of("silent close")},
    };

    static Stream<String> streams() {
        return Stream.of(CASES).map(c -> (String) c[0]);
    }

    static Stream<Arguments> cases() {
        return Stream.of(CASES).map(c -> Arguments.of(c[0], c[1]));
    }

    private static List<String> whole(String s) {
        return Recorder.parse(s);
    }

    @ParameterizedTest
    @MethodSource("streams")
    void everySingleCutGivesTheSameEvents(String stream) {
        List<String> expected = whole(stream);
        int step = stream.length() > 2000 ? 97 : 1;
        for (int cut = 0; cut <= stream.length(); cut += step) {
            assertThat(Recorder.parse(stream, cut)).as("cut at %d", cut).isEqualTo(expected);
        }
        for (int cut = Math.max(0, 4090); cut < Math.min(stream.length(), 4110); cut++) {
            assertThat(Recorder.parse(stream, cut)).as("cut at %d", cut).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @MethodSource("streams")
    void byteByByteGivesTheSameEvents(String stream) {
        int[] cuts = IntStream.range(1, stream.length()).toArray();
        assertThat(Recorder.parse(stream, cuts)).isEqualTo(whole(stream));
    }

    @ParameterizedTest
    @MethodSource("streams")
    void everyPairOfCutsGivesTheSameEvents(String stream) {
        if (stream.length() > 200) {
            return;
        }
        List<String> expected = whole(stream);
        for (int a = 0; a <= stream.length(); a++) {
            for (int b = a; b <= stream.length(); b++) {
                assertThat(Recorder.parse(stream, a, b)).as("cuts at %d,%d", a, b).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void streamsDecodeAsExpectedInOneRead(String stream, List<String> expected) {
        assertThat(whole(stream)).isEqualTo(expected);
    }
}
