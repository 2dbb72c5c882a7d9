package io.lightbroker.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HealthCheckTest {
    private static LightBroker broker;

    @BeforeAll
    static void start() {
        broker = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(0).adminPort(0).start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    private static String port() {
        return Integer.toString(broker.adminPort());
    }

    @Test
    void healthyBrokerExitsZero() {
        Cli.Result r = Cli.run("healthcheck", "--admin-port", port());
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("HTTP/1.").contains(" 200");
    }

    @Test
    void readinessPathCanBeProbedToo() {
        assertThat(Cli.run("healthcheck", "--admin-port", port(), "--path", "/readyz").code()).isZero();
    }

    @Test
    void aPathThatIsNotOkIsUnhealthy() {
        Cli.Result r = Cli.run("healthcheck", "--admin-port", port(), "--path", "/no-such-endpoint");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("404");
    }

    @Test
    void nothingListeningIsUnhealthy() throws IOException {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        Cli.Result r = Cli.run("healthcheck", "--admin-port", Integer.toString(free), "--timeout", "500ms");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("127.0.0.1:" + free);
    }

    @Test
    void adminPortComesFromTheEnvironment() {
        assertThat(Cli.run(Map.of("LIGHTBROKER_ADMIN_PORT", port()), "healthcheck").code()).isZero();
    }

    @Test
    void adminPortAndBindComeFromTheConfigDirectoryInNameOrder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("10-base.properties"), "admin-port = 1\nbind = 0.0.0.0\n");
        Files.writeString(dir.resolve("20-site.properties"), "admin-port = " + port() + "\n");
        Files.writeString(dir.resolve("ignored.txt"), "admin-port = 2\n");
        assertThat(Cli.run(Map.of(Launcher.CONFIG_DIR_ENV, dir.toString()), "healthcheck").code()).isZero();
    }

    @Test
    void theEnvironmentBeatsTheConfigDirectoryAndTheFlagBeatsBoth(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.properties"), "admin-port = 1\n");
        assertThat(Cli.run(Map.of(Launcher.CONFIG_DIR_ENV, dir.toString(), "LIGHTBROKER_ADMIN_PORT", port()), "healthcheck").code()).isZero();
        assertThat(Cli.run(Map.of("LIGHTBROKER_ADMIN_PORT", "1"), "healthcheck", "--admin-port", port()).code()).isZero();
    }

    @Test
    void aDisabledAdminListenerIsReportedNotProbed() {
        Cli.Result r = Cli.run(Map.of("LIGHTBROKER_ADMIN_PORT", "-1"), "healthcheck");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("-1 disables the admin listener");
    }

    @Test
    void badUsageIsUnhealthyNotTwoBecauseDockerReservesTwo() {
        Cli.Result r = Cli.run("healthcheck", "--nope", "x");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("unknown option --nope");
    }
}
