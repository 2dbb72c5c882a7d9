package io.lightbroker.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void unitsAreAcceptedForDurationsSizesAndCounts() {
        Options o = Options.parse(new String[] {"--duration", "500ms", "--payload", "1kb", "--rate", "100k",
                "--count=2m", "--drain", "2s"});
        assertThat(o.durationNanos).isEqualTo(TimeUnit.MILLISECONDS.toNanos(500));
        assertThat(o.payload).isEqualTo(1024);
        assertThat(o.rate).isEqualTo(100_000);
        assertThat(o.count).isEqualTo(2_000_000);
        assertThat(o.drainNanos).isEqualTo(TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void crossUsesSeparateProtocolsAndPorts() {
        Options o = Options.parse(new String[] {"--scenario", "cross", "--pub-proto", "nats", "--pub-port", "4333",
                "--sub-proto", "resp", "--sub-port", "6380"});
        assertThat(o.pubProto()).isEqualTo(Proto.NATS);
        assertThat(o.subProto()).isEqualTo(Proto.RESP);
        assertThat(o.pubAddress().getPort()).isEqualTo(4333);
        assertThat(o.subAddress().getPort()).isEqualTo(6380);
    }

    @Test
    void portDefaultsFollowTheProtocol() {
        assertThat(Options.parse(new String[] {"--proto", "resp"}).pubAddress().getPort()).isEqualTo(6379);
        assertThat(Options.parse(new String[] {"--proto", "nats"}).subAddress().getPort()).isEqualTo(4222);
    }

    @Test
    void badValuesNameTheFlag() {
        assertThatThrownBy(() -> Options.parse(new String[] {"--payload", "8"}))
                .hasMessageStartingWith("--payload:");
        assertThatThrownBy(() -> Options.parse(new String[] {"--scenario", "nope"}))
                .hasMessageContaining("fanout");
        assertThatThrownBy(() -> Options.parse(new String[] {"--frobnicate"}))
                .hasMessageContaining("unknown option");
        assertThatThrownBy(() -> Options.parse(new String[] {"--scenario", "cross"}))
                .hasMessageContaining("--pub-proto");
    }

    @Test
    void helpListsEveryFlag() {
        String help = Options.help();
        for (Options.Flag f : Options.FLAGS) {
            assertThat(help).contains(f.name());
        }
    }
}
