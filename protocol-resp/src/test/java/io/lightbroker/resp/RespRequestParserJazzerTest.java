package io.lightbroker.resp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.lightbroker.resp.ParserHarness.Cumulation;
import io.lightbroker.resp.RespRequestParserFuzzTest.Case;
import java.util.ArrayList;
import java.util.List;

/**
 * Coverage-guided fuzzing of {@link RespRequestParser} with Jazzer, checking the same properties as
 * {@link RespRequestParserFuzzTest} on raw bytes that Jazzer evolves towards new branches.
 *
 * <p>In a normal build this runs in regression mode: once per file under
 * {@code src/test/resources/io/lightbroker/resp/RespRequestParserJazzerTestInputs/cutStreamsParseLikeWholeOnes/},
 * which holds seed pipelines and every finding worth keeping. {@code JAZZER_FUZZ=1} fuzzes for
 * {@code maxDuration} (see docs/fuzzing.md). The last bytes of an input choose the settings and the
 * cuts ({@link FuzzedDataProvider} reads numbers from the end); the rest is the stream.
 */
class RespRequestParserJazzerTest {

    @FuzzTest(maxDuration = "10m")
    void cutStreamsParseLikeWholeOnes(FuzzedDataProvider data) {
        boolean authenticated = data.consumeBoolean();
        RespLimits limits = data.consumeBoolean()
                ? RespLimits.DEFAULTS
                : new RespLimits(data.consumeLong(0, 40), data.consumeInt(0, 8), data.consumeInt(1, 40));
        int cutCount = data.consumeInt(0, 8);
        List<Double> cuts = new ArrayList<>();
        for (int i = 0; i < cutCount; i++) {
            cuts.add(data.consumeProbabilityDouble());
        }
        List<Cumulation> cumulations = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            cumulations.add(data.pickValue(Cumulation.values()));
        }
        Case c = new Case(data.consumeRemainingAsBytes(), cuts, cumulations, limits, authenticated);
        RespRequestParserFuzzTest.assertSameAsWhole(c, c.cutPositions(), RespRequestParserFuzzTest.feed(c, new int[0]));
    }
}
