package io.lightbroker.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTest {

    @Test
    void tableShowsMedianSpreadAndRatioAgainstTheRealServer() {
        List<String> lines = List.of(
                "{\"scenario\":\"fanout\",\"delivered_rate\":1000000.0,\"loss\":0,\"target\":\"redis-server\",\"case\":\"f\"}",
                "{\"scenario\":\"fanout\",\"delivered_rate\":3000000.0,\"loss\":0,\"target\":\"redis-server\",\"case\":\"f\"}",
                "{\"scenario\":\"fanout\",\"delivered_rate\":2000000.0,\"loss\":0,\"target\":\"redis-server\",\"case\":\"f\"}",
                "{\"scenario\":\"fanout\",\"delivered_rate\":1000000.0,\"loss\":0,\"target\":\"lightbroker-resp\",\"case\":\"f\"}");
        String table = Report.render(lines);
        assertThat(table).contains("| f | delivered msgs/s | 2.00M (1.00M–3.00M) | 1.00M | 0.50× |");
    }

    @Test
    void cpuRowShowsWhichSideWasBusy() {
        List<String> lines = List.of(
                "{\"scenario\":\"zero-subs\",\"pub_rate\":7.0e6,\"server_cpu\":0.98,\"gen_cpu\":0.41,\"target\":\"nats-server\",\"case\":\"z\"}");
        assertThat(Report.render(lines)).contains("| z | CPU cores server / generator | 0.98 / 0.41 |");
    }

    @Test
    void lossAndErrorsAreFlaggedNotHidden() {
        List<String> lines = List.of(
                "{\"scenario\":\"fanout\",\"delivered_rate\":5.0,\"loss\":3,\"target\":\"nats-server\",\"case\":\"f\"}",
                "{\"scenario\":\"fanout\",\"target\":\"redis-server\",\"case\":\"f\",\"error\":\"cannot connect\"}");
        String table = Report.render(lines);
        assertThat(table).contains("5.0 !").contains("| error |").contains("3 messages lost").contains("cannot connect");
    }

    @Test
    void flatJsonParsesEscapesNumbersAndNulls() {
        var m = Report.parseFlatJson("{\"a\":\"x\\\"y\",\"b\":-1.5e3,\"c\":null,\"d\":true}");
        assertThat(m).containsEntry("a", "x\"y").containsEntry("b", -1500.0).containsEntry("d", true);
        assertThat(m.get("c")).isNull();
    }
}
