package io.lightbroker.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchCommandTest {
    static String[] received;

    /** Stands in for the load generator. */
    public static final class FakeLoadGen {
        public static void main(String[] args) {
            received = args;
        }
    }

    @Test
    void withoutTheLoadGeneratorItSaysSoAndExitsOne() {
        Cli.Result r = Cli.run("bench", "--scenario", "fanout");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("load generator (io.lightbroker.bench.load.LoadGen) is not in this build");
    }

    @Test
    void withALoadGeneratorItPassesTheArgumentsOn() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BenchCommand.run(FakeLoadGen.class.getName(), new String[] {"--scenario", "fanout"},
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isZero();
        assertThat(received).containsExactly("--scenario", "fanout");
    }
}
