package io.lightbroker.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs the load generator's scenarios briefly against real servers and checks the counts: nothing
 * lost, nothing reordered, the totals the scenario promises. No timing is asserted; speed is for
 * compare.sh on a quiet machine.
 */
@Timeout(120)
class LoadGenSmokeTest {
    private static final List<ServerProcess> SERVERS = new ArrayList<>();

    private static LightBroker lightbroker;

    @BeforeAll
    static void startServers() throws IOException {
        SERVERS.add(ServerProcess.redis());
        SERVERS.add(ServerProcess.nats());
        LightBroker lb = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).setting("max-clients", "20000").start();
        SERVERS.add(ServerProcess.embedded("lightbroker-resp", Proto.RESP, lb.respPort(), null));
        SERVERS.add(ServerProcess.embedded("lightbroker-nats", Proto.NATS, lb.natsPort(), lb));
        lightbroker = lb;
    }

    @AfterAll
    static void stopServers() throws IOException {
        for (ServerProcess s : SERVERS) {
            s.stop();
        }
    }

    static Stream<ServerProcess> servers() {
        return SERVERS.stream();
    }

    private static Result run(ServerProcess s, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--proto", s.proto.label(), "--port", Integer.toString(s.port),
                "--drain", "3s", "--timeout", "60s"));
        all.addAll(List.of(args));
        Result r = Scenarios.run(Options.parse(all.toArray(new String[0])));
        assertThat(r.get("error")).as("error reported by %s run: %s", s, r.human()).isNull();
        return r;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void fanoutDeliversEveryMessageToEverySubscriberInPublisherOrder(ServerProcess s) throws IOException {
        Result r = run(s, "--scenario", "fanout", "--publishers", "2", "--subscribers", "3", "--count", "20000",
                "--payload", "64");

        assertThat(r.get("published")).isEqualTo(20_000L);
        assertThat(r.get("expected")).isEqualTo(60_000L);
        assertThat(r.get("delivered")).isEqualTo(60_000L);
        assertThat(r.get("loss")).isEqualTo(0L);
        assertThat(r.get("ooo")).isEqualTo(0L);
        assertThat(r.get("gaps")).isEqualTo(0L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void fanoutWithLargePayloadsDeliversEveryByte(ServerProcess s) throws IOException {
        Result r = run(s, "--scenario", "fanout", "--subscribers", "2", "--count", "2000", "--payload", "64kb");

        assertThat(r.get("delivered")).isEqualTo(4_000L);
        assertThat(r.get("loss")).isEqualTo(0L);
        assertThat(r.get("ooo")).isEqualTo(0L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void zeroSubsPublishesExactlyTheRequestedCount(ServerProcess s) throws IOException {
        Result r = run(s, "--scenario", "zero-subs", "--publishers", "2", "--count", "50001");

        assertThat(r.get("published")).isEqualTo(50_001L);
        assertThat(r.get("subs")).isEqualTo(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void durationRunStopsByItselfAndAccountsForEveryMessage(ServerProcess s) throws IOException {
        Result r = run(s, "--scenario", "fanout", "--subscribers", "2", "--duration", "300ms");

        assertThat((Long) r.get("published")).isPositive();
        assertThat(r.get("delivered")).isEqualTo(2 * (Long) r.get("published"));
        assertThat(r.get("loss")).isEqualTo(0L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void wildcardsDeliverEachMessageToItsPatternAndTheCatchAll(ServerProcess s) throws IOException {
        Result r = run(s, "--scenario", "wildcards", "--patterns", "200", "--pattern-conns", "3",
                "--count", "3000");

        assertThat(r.get("expected")).isEqualTo(6_000L);
        assertThat(r.get("delivered")).isEqualTo(6_000L);
        assertThat(r.get("ooo")).isEqualTo(0L);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void latencyRecordsOneSamplePerDeliveryAfterWarmup(ServerProcess s) throws IOException {
        Result r = run(s, "--scenario", "latency", "--rate", "5k", "--subscribers", "3", "--count", "1000",
                "--warmup", "100ms");

        assertThat(r.get("samples")).isEqualTo(3_000L);
        assertThat(r.get("loss")).isEqualTo(0L);
        assertThat((Double) r.get("p50_us")).isPositive();
        // The unstalled samples are a subset (a share of at most every sample). A subset's p99
        // may lie above the whole set's (when the left-out samples were fast ones), but with k of
        // n samples left out it sits at most at rank 0.99 (n - k) + k of the whole set, which is
        // within its p99.9 while k <= 0.9 n (one histogram bucket of tolerance).
        double share = (Double) r.get("unstalled_share");
        assertThat(share).isBetween(0.0, 1.0);
        if (share >= 0.1) {
            assertThat((Double) r.get("p99_unstalled_us")).isLessThanOrEqualTo((Double) r.get("p999_us") * 1.01);
        }
        assertThat(r.get("gen_stalls")).isInstanceOf(Long.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void connectionsFansOneMessageOutToEveryIdleConnection(ServerProcess s) throws IOException {
        Result r = run(s, "--scenario", "connections", "--connections", "300", "--server-pid",
                Long.toString(s.pid()));

        assertThat(r.get("delivered")).isEqualTo(300L);
        assertThat((Long) r.get("rss_after_kb")).isPositive();
    }

    /** The cross scenario, which only lightbroker can serve: publish over one protocol, receive over the other. */
    @org.junit.jupiter.api.Test
    void crossProtocolFanoutLosesNothingInEitherDirection() throws IOException {
        for (String[] dir : new String[][] {{"resp", "nats"}, {"nats", "resp"}}) {
            int pubPort = dir[0].equals("resp") ? lightbroker.respPort() : lightbroker.natsPort();
            int subPort = dir[1].equals("resp") ? lightbroker.respPort() : lightbroker.natsPort();
            Result r = Scenarios.run(Options.parse(new String[] {"--scenario", "cross", "--pub-proto", dir[0],
                "--pub-port", Integer.toString(pubPort), "--sub-proto", dir[1], "--sub-port", Integer.toString(subPort),
                "--subscribers", "3", "--count", "10000", "--drain", "3s", "--timeout", "60s"}));
            assertThat(r.get("error")).as(r.human()).isNull();
            assertThat(r.get("delivered")).as(r.human()).isEqualTo(30_000L);
            assertThat(r.get("loss")).isEqualTo(0L);
            assertThat(r.get("ooo")).isEqualTo(0L);
        }
    }
}
