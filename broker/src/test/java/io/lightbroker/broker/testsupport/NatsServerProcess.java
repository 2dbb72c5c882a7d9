package io.lightbroker.broker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real {@code nats-server} child process on a free loopback port, for differential tests. Same
 * design as the RESP side's {@code RedisServerProcess}.
 *
 * <p>Options go into a configuration file in a private temporary directory, which also holds the
 * server's log; nothing outlives the test. The binary comes from {@code $NATS_SERVER}, the
 * {@code PATH}, or {@code /usr/sbin/nats-server} (where the Debian package installs it). If it is
 * missing the test fails with an explanation: the differential suite is the main fidelity check and
 * must never pass by skipping. Under {@code CI=true} that is the documented contract; locally it
 * fails the same way, with a hint on how to install the server.
 */
public final class NatsServerProcess implements NatsTarget {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path dir;
    private final int port;
    private final int monitorPort;
    private final String version;
    private final Thread killOnExit;

    private NatsServerProcess(Process process, Path dir, int port, int monitorPort, String version) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.monitorPort = monitorPort;
        this.version = version;
        // If the test JVM dies without closing us, do not leave a server behind.
        this.killOnExit = new Thread(process::destroyForcibly, "kill-nats-" + port);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    public static NatsServerProcess start() {
        return start(NatsServerOptions.none());
    }

    public static NatsServerProcess start(NatsServerOptions options) {
        return start(options, false);
    }

    /** With {@code monitoring}, the server also serves {@code /varz} on {@link #monitorPort()}. */
    public static NatsServerProcess start(NatsServerOptions options, boolean monitoring) {
        Path binary = locateBinary();
        IllegalStateException lastFailure = null;
        // A free port found by binding port 0 can be taken before nats-server binds it; retry.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOnce(binary, freePort(), monitoring ? freePort() : -1, options);
            } catch (IllegalStateException e) {
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    /** Starts a server on a given port, e.g. to restart it where clients expect to reconnect. */
    public static NatsServerProcess startOnPort(int port, NatsServerOptions options) {
        return startOnce(locateBinary(), port, -1, options);
    }

    public static Path locateBinary() {
        return findBinary().orElseThrow(() -> new AssertionError(
                "nats-server was not found (checked $NATS_SERVER, every PATH entry and /usr/sbin). The NATS "
                        + "differential tests compare lightbroker with the real server and fail rather than skip without it"
                        + ("true".equals(System.getenv("CI")) ? " (CI=true)" : "")
                        + ". Install it (Debian: apt-get install nats-server) or set NATS_SERVER=/path/to/nats-server."));
    }

    static Optional<Path> findBinary() {
        String explicit = System.getenv("NATS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin") + java.io.File.pathSeparator + "/usr/sbin";
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(s -> !s.isEmpty())
                .map(s -> Paths.get(s, "nats-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static NatsServerProcess startOnce(Path binary, int port, int monitorPort, NatsServerOptions options) {
        Path dir;
        try {
            dir = Files.createTempDirectory("nats-diff-");
            Files.writeString(dir.resolve("nats.conf"), options.natsServerConfig(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                "-c", dir.resolve("nats.conf").toString(),
                "-a", HOST,
                "-p", Integer.toString(port),
                "-l", dir.resolve("nats.log").toString()));
        if (monitorPort > 0) {
            cmd.addAll(List.of("-m", Integer.toString(monitorPort)));
        }
        Process process;
        try {
            process = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile())
                    .start();
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new UncheckedIOException("cannot start " + cmd, e);
        }
        NatsServerProcess server = new NatsServerProcess(process, dir, port, monitorPort, versionOf(binary));
        server.awaitReady(cmd, options);
        return server;
    }

    /** Ready means it accepts a connection and greets it with INFO. */
    private void awaitReady(List<String> cmd, NatsServerOptions options) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = readLogs();
                deleteQuietly(dir);
                throw new IllegalStateException("nats-server exited with " + process.exitValue() + ": " + cmd
                        + "\nconfig:\n" + options.natsServerConfig() + "\n" + log);
            }
            try (RawNatsConnection probe = RawNatsConnection.open(HOST, port)) {
                byte[] greeting = probe.readUntilQuiet(Duration.ofMillis(500), Duration.ofMillis(5)).bytes();
                if (NatsBytes.latin1(greeting).startsWith("INFO ")) {
                    return;
                }
            } catch (UncheckedIOException notListeningYet) {
                // fall through and poll again
            }
            sleep(20);
        }
        close();
        throw new IllegalStateException("nats-server did not become ready within " + START_TIMEOUT + ": " + cmd);
    }

    private static String versionOf(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            int v = out.lastIndexOf('v');
            return v >= 0 ? out.substring(v + 1) : out;
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLogs() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("stdout.log", "nats.log")) {
            try {
                sb.append(Files.readString(dir.resolve(name), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // a log that was never written has nothing to add
            }
        }
        return sb.toString();
    }

    public String version() {
        return version;
    }

    /** The monitoring port ({@code /varz}), or -1 when started without monitoring. */
    public int monitorPort() {
        return monitorPort;
    }

    @Override
    public String description() {
        return "nats-server " + version + " on " + HOST + ":" + port;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public void close() {
        Processes.terminate(process);
        deleteQuietly(dir);
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException jvmAlreadyExiting) {
            // the hook is running or about to; nothing left to undo
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a leftover temp directory is harmless
        }
    }
}
