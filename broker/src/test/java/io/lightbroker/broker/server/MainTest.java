package io.lightbroker.broker.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MainTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpListsEverySettingWithItsEnvironmentVariable() {
        Result r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--resp-port", "LIGHTBROKER_RESP_PORT", "--resp-output-buffer-hard-limit", "LIGHTBROKER_REQUIREPASS_FILE");
    }

    @Test
    void versionPrintsTheVersion() {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("lightbroker ");
    }

    @Test
    void badPortExitsTwoNamingTheSettingAndItsSource() {
        Result r = run("--resp-port", "70000");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("resp-port", "flag --resp-port", "70000");
    }

    @Test
    void unknownOptionExitsTwo() {
        Result r = run("--no-such-thing", "1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("unknown option --no-such-thing");
    }

    @Test
    void secretsAreRefusedOnTheCommandLine() {
        Result r = run("--requirepass", "hunter2");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("LIGHTBROKER_REQUIREPASS_FILE").doesNotContain("hunter2");
    }

    @Test
    void badSizeUnitExitsTwo() {
        Result r = run("--resp-max-bulk-len=12parsecs");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("resp-max-bulk-len");
    }

    /** The real process: SIGTERM closes the listener, flushes, and exits 0. */
    @Test
    void sigtermStopsTheServerWithExitZero() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--resp-port", "0", "--admin-port", "-1", "--bind", "127.0.0.1"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Pattern listening = Pattern.compile("RESP listening on 127\\.0\\.0\\.1:(\\d+)");
            int port = -1;
            String line;
            while ((line = r.readLine()) != null) {
                Matcher m = listening.matcher(line);
                if (m.find()) {
                    port = Integer.parseInt(m.group(1));
                    break;
                }
            }
            assertThat(port).isPositive();
            try (Socket s = new Socket("127.0.0.1", port)) {
                s.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] pong = s.getInputStream().readNBytes(7);
                assertThat(new String(pong, StandardCharsets.US_ASCII)).isEqualTo("+PONG\r\n");
            }
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void natsMaxPayloadAboveMaxPendingIsRefusedAsNatsServerRefusesIt() {
        Result r = run("--nats-max-payload", "2mb", "--nats-max-pending", "1mb");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nats-max-payload", "nats-max-pending", "flag --nats-max-pending");
    }
}
