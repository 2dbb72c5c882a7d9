package io.lightbroker.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LauncherTest {

    @Test
    void optionsWithoutACommandGoToTheServerAsBefore() {
        Cli.Result r = Cli.run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("lightbroker ");
    }

    @Test
    void serveCommandTakesTheServerOptions() {
        Cli.Result r = Cli.run("serve", "--resp-port", "70000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("resp-port", "flag --resp-port");
    }

    @Test
    void helpListsTheCommandsAndTheServerOptions() {
        Cli.Result r = Cli.run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("healthcheck", "pub --proto nats|resp", "sub --proto nats|resp", "bench", "--resp-port");
    }

    @Test
    void unknownCommandExitsTwo() {
        Cli.Result r = Cli.run("frobnicate");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown command 'frobnicate'");
    }

    @Test
    void configDirectoryVariableBecomesTheOption() {
        String[] args = Launcher.withFileOptions(new String[] {"--resp-port", "1"},
                Map.of(Launcher.CONFIG_DIR_ENV, "/etc/lightbroker/conf.d", Launcher.CONFIG_ENV, "/etc/lightbroker/lightbroker.properties"));
        assertThat(args).containsExactly("--config", "/etc/lightbroker/lightbroker.properties",
                "--config-dir", "/etc/lightbroker/conf.d", "--resp-port", "1");
    }

    @Test
    void anExplicitConfigDirectoryWinsOverTheVariable() {
        String[] args = Launcher.withFileOptions(new String[] {"--config-dir=/elsewhere"}, Map.of(Launcher.CONFIG_DIR_ENV, "/etc/lightbroker/conf.d"));
        assertThat(args).containsExactly("--config-dir=/elsewhere");
    }

    @Test
    void aMissingConfigDirectoryFromTheVariableStopsStartUpWithStatusTwo() {
        Cli.Result r = Cli.run(Map.of(Launcher.CONFIG_DIR_ENV, "/no/such/dir"), "serve");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("/no/such/dir");
    }

    @Test
    void usageErrorsOfASubcommandExitTwo() {
        Cli.Result r = Cli.run("pub", "--proto", "nats", "--bogus", "x", "subj", "msg");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("lightbroker pub: unknown option --bogus");
    }
}
