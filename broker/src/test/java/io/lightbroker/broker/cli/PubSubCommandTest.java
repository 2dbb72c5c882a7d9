package io.lightbroker.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code pub} and {@code sub} over both protocols against an embedded broker, crossing the protocols as users do. */
class PubSubCommandTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static LightBroker broker;

    @BeforeAll
    static void start() {
        broker = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).adminPort(0).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static String nats() {
        return "nats://127.0.0.1:" + broker.natsPort();
    }

    private static String resp() {
        return "redis://127.0.0.1:" + broker.respPort();
    }

    @Test
    void natsPubReachesNatsSubWithNumberedMessages() throws Exception {
        Cli.Running sub = Cli.start("sub", "--proto", "nats", "--url", nats(), "--count", "3", "jobs.a").awaitErr("subscribed", WAIT);
        Cli.Result pub = Cli.run("pub", "--proto", "nats", "--url", nats(), "--count", "3", "jobs.a", "job {n}");
        assertThat(pub.code()).as(pub.err()).isZero();
        assertThat(pub.out()).contains("published 3 messages to jobs.a");
        assertThat(sub.exitCode(WAIT)).isZero();
        assertThat(sub.out()).isEqualTo("jobs.a job 1\njobs.a job 2\njobs.a job 3\n");
    }

    @Test
    void redisPublishReachesNatsWildcardSubscriber() throws Exception {
        Cli.Running sub = Cli.start("sub", "--proto", "nats", "--url", nats(), "--count", "1", "orders.*").awaitErr("subscribed", WAIT);
        Cli.Result pub = Cli.run("pub", "--proto", "resp", "--url", resp(), "orders.eu", "hello from redis");
        assertThat(pub.code()).as(pub.err()).isZero();
        assertThat(pub.out()).contains("(1 deliveries)");
        assertThat(sub.exitCode(WAIT)).isZero();
        assertThat(sub.out()).isEqualTo("orders.eu hello from redis\n");
    }

    @Test
    void natsPublishReachesRedisPatternSubscriber() throws Exception {
        Cli.Running sub = Cli.start("sub", "--proto", "resp", "--url", resp(), "--pattern", "--count", "1", "sensors.*").awaitErr("subscribed", WAIT);
        Cli.Result pub = Cli.run("pub", "--proto", "nats", "--url", nats(), "sensors.t1", "21.5");
        assertThat(pub.code()).as(pub.err()).isZero();
        assertThat(sub.exitCode(WAIT)).isZero();
        assertThat(sub.out()).isEqualTo("sensors.t1 21.5\n");
    }

    @Test
    void redisSubscriberGetsRedisPublish() throws Exception {
        Cli.Running sub = Cli.start("sub", "--proto", "resp", "--url", resp(), "--count", "2", "news").awaitErr("subscribed", WAIT);
        assertThat(Cli.run("pub", "--proto", "resp", "--url", resp(), "--count", "2", "news", "n{n}").code()).isZero();
        assertThat(sub.exitCode(WAIT)).isZero();
        assertThat(sub.out()).isEqualTo("news n1\nnews n2\n");
    }

    @Test
    void queueGroupMembersShareTheMessagesWithoutDuplicates() throws Exception {
        List<Cli.Running> workers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            workers.add(Cli.start("sub", "--proto", "nats", "--url", nats(), "--queue", "workers", "work.items").awaitErr("subscribed", WAIT));
        }
        int n = 60;
        Cli.Result pub = Cli.run("pub", "--proto", "nats", "--url", nats(), "--count", Integer.toString(n), "work.items", "item {n}");
        assertThat(pub.code()).as(pub.err()).isZero();
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> all = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            all.clear();
            for (Cli.Running w : workers) {
                all.addAll(w.out().lines().toList());
            }
            if (all.size() >= n) {
                break;
            }
            Thread.sleep(20);
        }
        assertThat(all).hasSize(n).doesNotHaveDuplicates();
        // One group member per message: with 60 messages over 3 members, each gets some (a
        // uniformly random pick leaves one idle with probability about 3 * (2/3)^60).
        for (Cli.Running w : workers) {
            assertThat(w.out().lines().count()).isBetween(1L, (long) n - 1);
        }
    }

    @Test
    void credentialsComeFromAFileForBothProtocols() throws Exception {
        Path dir = Files.createTempDirectory("lightbroker-cli");
        Path pass = Files.writeString(dir.resolve("pass"), "s3cret\n");
        Path token = Files.writeString(dir.resolve("token"), "t0ken\n");
        try (LightBroker secured = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0)
                .requirePass("s3cret").setting("nats-auth-token", "t0ken").start()) {
            String r = "redis://127.0.0.1:" + secured.respPort();
            String n = "nats://127.0.0.1:" + secured.natsPort();
            Cli.Result noAuth = Cli.run("pub", "--proto", "resp", "--url", r, "x", "y");
            assertThat(noAuth.code()).isEqualTo(1);
            assertThat(noAuth.err()).contains("NOAUTH");
            Cli.Result badNats = Cli.run("pub", "--proto", "nats", "--url", n, "x", "y");
            assertThat(badNats.code()).isEqualTo(1);
            assertThat(badNats.err()).contains("Authorization Violation");

            Cli.Running sub = Cli.start("sub", "--proto", "nats", "--url", n, "--auth-file", token.toString(), "--count", "1", "x")
                    .awaitErr("subscribed", WAIT);
            Cli.Result ok = Cli.run("pub", "--proto", "resp", "--url", r, "--auth-file", pass.toString(), "x", "y");
            assertThat(ok.code()).as(ok.err()).isZero();
            assertThat(sub.exitCode(WAIT)).isZero();
            assertThat(sub.out()).isEqualTo("x y\n");
        } finally {
            Files.delete(pass);
            Files.delete(token);
            Files.delete(dir);
        }
    }

    @Test
    void subscriberExitsOneWhenTheServerGoesAway() throws Exception {
        LightBroker other = LightBroker.builder().bind("127.0.0.1").respPort(-1).natsPort(0).start();
        Cli.Running sub = Cli.start("sub", "--proto", "nats", "--url", "nats://127.0.0.1:" + other.natsPort(), "x").awaitErr("subscribed", WAIT);
        other.close();
        assertThat(sub.exitCode(WAIT)).isEqualTo(1);
        assertThat(sub.err()).contains("closed the connection");
    }

    @Test
    void queueGroupsAreRefusedForRedis() {
        Cli.Result r = Cli.run("sub", "--proto", "resp", "--url", resp(), "--queue", "g", "x");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Redis has no queue groups");
    }

    @Test
    void passwordsInTheUrlAreRefused() {
        Cli.Result r = Cli.run("pub", "--proto", "resp", "--url", "redis://:hunter2@127.0.0.1:6379", "x", "y");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--auth-file").doesNotContain("hunter2");
    }

    @Test
    void aUrlOfTheOtherProtocolIsRefused() {
        Cli.Result r = Cli.run("pub", "--proto", "nats", "--url", resp(), "x", "y");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("does not match --proto");
    }

    @Test
    void connectionRefusedExitsOne() throws IOException {
        int free;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            free = s.getLocalPort();
        }
        Cli.Result r = Cli.run("pub", "--proto", "nats", "--url", "nats://127.0.0.1:" + free, "x", "y");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("nats://127.0.0.1:" + free);
    }
}
