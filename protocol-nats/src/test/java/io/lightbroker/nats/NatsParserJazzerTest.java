package io.lightbroker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lightbroker.nats.NatsParserFuzzTest.Case;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link NatsParser} with Jazzer, checking the same properties as
 * {@link NatsParserFuzzTest} on raw bytes that Jazzer evolves towards new branches.
 *
 * <p>In a normal build this runs in regression mode: once per file under
 * {@code src/test/resources/io/lightbroker/nats/NatsParserJazzerTestInputs/cutStreamsParseLikeWholeOnes/},
 * which holds seed conversations and every finding worth keeping. {@code JAZZER_FUZZ=1} fuzzes for
 * {@code maxDuration} (see docs/fuzzing.md). The last bytes of an input choose the settings and the
 * cuts ({@link FuzzedDataProvider} reads numbers from the end); the rest is the stream.
 */
class NatsParserJazzerTest {

    @FuzzTest(maxDuration = "10m")
    void cutStreamsParseLikeWholeOnes(FuzzedDataProvider data) {
        boolean headers = data.consumeBoolean();
        boolean awaitingAuth = data.consumeInt(0, 4) == 0;
        int maxControlLine = data.consumeBoolean() ? NatsLimits.MAX_CONTROL_LINE_SIZE : data.consumeInt(1, 40);
        int maxPayload = data.consumeBoolean() ? NatsLimits.MAX_PAYLOAD_SIZE : data.consumeInt(0, 40);
        int cutCount = data.consumeInt(0, 8);
        List<Double> cuts = new ArrayList<>();
        for (int i = 0; i < cutCount; i++) {
            cuts.add(data.consumeProbabilityDouble());
        }
        Case c = new Case(data.consumeRemainingAsBytes(), cuts, headers, awaitingAuth, maxControlLine, maxPayload);
        assertThat(NatsParserFuzzTest.feed(c, c.cutPositions())).as("%s", c)
            .isEqualTo(NatsParserFuzzTest.feed(c, new int[0]));
    }
}
