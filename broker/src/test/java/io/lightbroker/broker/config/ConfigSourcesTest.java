package io.lightbroker.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ConfigSourcesTest {
    @TempDir
    Path tmp;

    /** The sources in precedence order, lowest first; each sets resp-port to its own value. */
    enum Layer { DEFAULT, FILE, DIR, ENV, FLAG }

    static Stream<Arguments> everyPairOfSources() {
        List<Arguments> pairs = new ArrayList<>();
        Layer[] all = Layer.values();
        for (int lo = 0; lo < all.length; lo++) {
            for (int hi = lo + 1; hi < all.length; hi++) {
                pairs.add(Arguments.of(all[lo], all[hi]));
            }
        }
        return pairs.stream();
    }

    @ParameterizedTest(name = "{1} overrides {0}")
    @MethodSource("everyPairOfSources")
    void higherSourceOverridesLowerSource(Layer lower, Layer higher) throws IOException {
        List<String> args = new ArrayList<>();
        Map<String, String> env = new HashMap<>();
        for (Layer l : List.of(lower, higher)) {
            String port = Integer.toString(7000 + l.ordinal());
            switch (l) {
                case DEFAULT -> { }
                case FILE -> args.addAll(List.of("--config", write("main.properties", "resp-port=" + port).toString()));
                case DIR -> args.addAll(List.of("--config-dir", dir("conf.d", Map.of("50-port.properties", "resp-port = " + port)).toString()));
                case ENV -> env.put("LIGHTBROKER_RESP_PORT", port);
                case FLAG -> args.addAll(List.of("--resp-port", port));
            }
        }
        Config c = CommandLine.parse(args.toArray(String[]::new), env).config();

        int expected = higher == Layer.DEFAULT ? 6379 : 7000 + higher.ordinal();
        assertThat(c.get(Settings.RESP_PORT)).isEqualTo(expected);
        assertThat(c.value(Settings.RESP_PORT).source()).isEqualTo(Config.Source.valueOf(higher.name()));
    }

    @Test
    void flagsWinWhereverConfigAppearsOnTheCommandLine() throws IOException {
        Path f = write("a.properties", "resp-port=7001");
        Config c = CommandLine.parse(new String[] {"--resp-port=7004", "--config", f.toString()}, Map.of()).config();
        assertThat(c.get(Settings.RESP_PORT)).isEqualTo(7004);
    }

    @Test
    void directoryFilesApplyInNameOrderLaterWinning() throws IOException {
        Path d = dir("conf.d", Map.of(
                "10-base.properties", "resp-port=7010\nlog-level=debug",
                "20-site.properties", "resp-port=7020",
                "30-ignored.conf", "resp-port=7030"));
        Config c = CommandLine.parse(new String[] {"--config-dir", d.toString()}, Map.of()).config();
        assertThat(c.get(Settings.RESP_PORT)).isEqualTo(7020);
        assertThat(c.value(Settings.RESP_PORT).origin()).endsWith("20-site.properties");
        assertThat(c.get(Settings.LOG_LEVEL)).isEqualTo("debug");
    }

    @Test
    void unknownKeyInFileNamesTheFileAndTheKey() throws IOException {
        Path f = write("bad.properties", "resp-prot=7000");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--config", f.toString()}, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown setting 'resp-prot'")
                .hasMessageContaining(f.toString());
    }

    @Test
    void unknownKeyInDirectoryFileNamesThatFile() throws IOException {
        Path d = dir("conf.d", Map.of("10-ok.properties", "resp-port=7000", "20-bad.properties", "nope=1"));
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--config-dir", d.toString()}, Map.of()))
                .hasMessageContaining("unknown setting 'nope'")
                .hasMessageContaining("20-bad.properties");
    }

    @Test
    void badValueInFileNamesTheSettingAndTheFile() throws IOException {
        Path f = write("bad.properties", "drain-grace=soon");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--config", f.toString()}, Map.of()))
                .hasMessageContaining("drain-grace")
                .hasMessageContaining("'soon'")
                .hasMessageContaining("config file " + f);
    }

    @Test
    void missingConfigFileIsAnError() {
        Path f = tmp.resolve("absent.properties");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--config", f.toString()}, Map.of()))
                .hasMessageContaining("cannot read config file " + f)
                .hasMessageContaining("no such file");
    }

    @Test
    void configFileThatIsADirectoryIsAnError() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--config", tmp.toString()}, Map.of()))
                .hasMessageContaining("cannot read config file " + tmp);
    }

    @Test
    void missingConfigDirectoryIsAnError() {
        Path d = tmp.resolve("nowhere");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--config-dir", d.toString()}, Map.of()))
                .hasMessageContaining("cannot read config directory " + d);
    }

    @Test
    void configGivenTwiceIsAnError() throws IOException {
        Path f = write("a.properties", "");
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--config", f.toString(), "--config", f.toString()}, Map.of()))
                .hasMessageContaining("--config given more than once");
    }

    @Test
    void secretsMayComeFromAConfigFile() throws IOException {
        Path f = write("secret.properties", "admin-token=s3cret");
        Config c = CommandLine.parse(new String[] {"--config", f.toString()}, Map.of()).config();
        assertThat(c.get(Settings.ADMIN_TOKEN)).isEqualTo("s3cret");
    }

    @Test
    void secretFromFileVariableIsReadAndStripped() throws IOException {
        Path f = write("token", "s3cret\n");
        Config c = CommandLine.parse(new String[0], Map.of("LIGHTBROKER_ADMIN_TOKEN_FILE", f.toString())).config();
        assertThat(c.get(Settings.ADMIN_TOKEN)).isEqualTo("s3cret");
        assertThat(c.value(Settings.ADMIN_TOKEN).origin()).contains("LIGHTBROKER_ADMIN_TOKEN_FILE");
    }

    @Test
    void redactedViewHidesSetSecretsAndKeepsSources() throws IOException {
        Path f = write("secret.properties", "admin-token=s3cret");
        Config c = CommandLine.parse(new String[] {"--config", f.toString()}, Map.of("LIGHTBROKER_REQUIREPASS", "hunter2")).config();
        Map<Setting<?>, Config.Value> r = c.redacted();
        assertThat(r.get(Settings.ADMIN_TOKEN).raw()).isEqualTo("[redacted]");
        assertThat(r.get(Settings.ADMIN_TOKEN).source()).isEqualTo(Config.Source.FILE);
        assertThat(r.get(Settings.REQUIREPASS).raw()).isEqualTo("[redacted]");
        assertThat(r.get(Settings.REQUIREPASS).source()).isEqualTo(Config.Source.ENV);
        assertThat(r.values()).noneMatch(v -> v.raw().contains("s3cret") || v.raw().contains("hunter2"));
    }

    @Test
    void newSettingsParseTheirTypes() {
        Config c = CommandLine.parse(new String[] {"--drain-grace", "1500ms", "--log-format", "JSON", "--admin-config-endpoint", "yes"},
                Map.of()).config();
        assertThat(c.get(Settings.DRAIN_GRACE)).isEqualTo(1500L);
        assertThat(c.get(Settings.LOG_FORMAT)).isEqualTo("json");
        assertThat(c.get(Settings.ADMIN_CONFIG_ENDPOINT)).isTrue();
    }

    @Test
    void choiceOutsideItsValuesNamesTheAllowedOnes() {
        assertThatThrownBy(() -> CommandLine.parse(new String[] {"--log-format", "xml"}, Map.of()))
                .hasMessageContaining("log-format")
                .hasMessageContaining("flag --log-format")
                .hasMessageContaining("plain, json");
    }

    private Path write(String name, String content) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    private Path dir(String name, Map<String, String> files) throws IOException {
        Path d = Files.createDirectories(tmp.resolve(name));
        for (Map.Entry<String, String> e : files.entrySet()) {
            Files.writeString(d.resolve(e.getKey()), e.getValue());
        }
        return d;
    }
}
