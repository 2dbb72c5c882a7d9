package io.lightbroker.broker.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.lightbroker.broker.server.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad configuration from any source stops main with status 2 and one line naming the setting and the source. */
class ConfigExitStatusTest {
    @TempDir
    Path tmp;

    private record Result(int code, String out, String err) {}

    private static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badValueInEnvironmentExitsTwoNamingTheVariable() {
        Result r = run(Map.of("LIGHTBROKER_ADMIN_PORT", "http"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("admin-port", "environment variable LIGHTBROKER_ADMIN_PORT", "'http'");
    }

    @Test
    void badValueInConfigFileExitsTwoNamingTheFile() throws IOException {
        Path f = tmp.resolve("lb.properties");
        Files.writeString(f, "admin-config-endpoint=maybe\n");
        Result r = run(Map.of(), "--config", f.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("admin-config-endpoint", "config file " + f, "'maybe'");
    }

    @Test
    void unknownKeyInConfigDirectoryExitsTwo() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("conf.d"));
        Files.writeString(d.resolve("10.properties"), "colour=blue\n");
        Result r = run(Map.of(), "--config-dir", d.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown setting 'colour'", "10.properties");
    }

    @Test
    void unreadableSecretFileExitsTwoWithoutTheSecret() {
        Path missing = tmp.resolve("no-token");
        Result r = run(Map.of("LIGHTBROKER_ADMIN_TOKEN_FILE", missing.toString()));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("admin-token", "LIGHTBROKER_ADMIN_TOKEN_FILE");
    }

    @Test
    void secretFlagIsRefusedWithoutEchoingTheSecret() {
        Result r = run(Map.of(), "--admin-token", "hunter2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("LIGHTBROKER_ADMIN_TOKEN_FILE").doesNotContain("hunter2");
    }

    @Test
    void errorIsOneLine() {
        Result r = run(Map.of("LIGHTBROKER_DRAIN_GRACE", "-5s"));
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).doesNotContain("\n").startsWith("lightbroker: ").contains("drain-grace");
    }

    @Test
    void helpConfigPrintsTheMarkdownReference() {
        Result r = run(Map.of(), "--help-config");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo(ConfigReference.markdown());
    }
}
