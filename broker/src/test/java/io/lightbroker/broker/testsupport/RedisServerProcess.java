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
 * A real {@code redis-server} child process on a free loopback port, for differential tests.
 *
 * <p>It runs with no persistence ({@code --save '' --appendonly no}) in a private temporary
 * directory, so nothing outlives the test. The binary comes from {@code $REDIS_SERVER} or the
 * {@code PATH}. If it is missing the test fails with an explanation: the differential suite is the
 * main fidelity check and must never pass by skipping. Under {@code CI=true} this is the documented
 * contract; locally it fails the same way, with a hint on how to install the server.
 */
public final class RedisServerProcess implements RespTarget {

    private static final String HOST = "127.0.0.1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final Path dir;
    private final int port;
    private final String version;
    private final Thread killOnExit;

    private RedisServerProcess(Process process, Path dir, int port, String version) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.version = version;
        // If the test JVM dies without closing us, do not leave a server behind.
        this.killOnExit = new Thread(process::destroyForcibly, "kill-redis-" + port);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    public static RedisServerProcess start(String... extraArgs) {
        return start(List.of(extraArgs));
    }

    /** Starts a server with the given extra arguments, e.g. {@code --requirepass secret}. */
    public static RedisServerProcess start(List<String> extraArgs) {
        Path binary = locateBinary();
        IllegalStateException lastFailure = null;
        // A free port found by binding port 0 can be taken by someone else before redis binds it; retry.
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                return startOnce(binary, freePort(), extraArgs);
            } catch (IllegalStateException e) {
                lastFailure = e;
            }
        }
        throw lastFailure;
    }

    /** Starts a server on a given port, e.g. to restart it where clients expect to reconnect. */
    public static RedisServerProcess startOnPort(int port, List<String> extraArgs) {
        return startOnce(locateBinary(), port, extraArgs);
    }

    public static Path locateBinary() {
        return findBinary().orElseThrow(() -> new AssertionError(
                "redis-server was not found (checked $REDIS_SERVER and every PATH entry). The RESP differential "
                        + "tests compare lightbroker with the real server and fail rather than skip without it"
                        + ("true".equals(System.getenv("CI")) ? " (CI=true)" : "")
                        + ". Install it (Debian: apt-get install redis-server) or set REDIS_SERVER=/path/to/redis-server."));
    }

    static Optional<Path> findBinary() {
        String explicit = System.getenv("REDIS_SERVER");
        if (explicit != null && !explicit.isBlank()) {
            Path p = Paths.get(explicit);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(s -> !s.isEmpty())
                .map(s -> Paths.get(s, "redis-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    private static RedisServerProcess startOnce(Path binary, int port, List<String> extraArgs) {
        Path dir;
        try {
            dir = Files.createTempDirectory("redis-diff-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = new ArrayList<>(List.of(binary.toString(),
                "--port", Integer.toString(port),
                "--bind", HOST,
                "--save", "",
                "--appendonly", "no",
                "--daemonize", "no",
                "--dir", dir.toString(),
                "--logfile", dir.resolve("redis.log").toString()));
        cmd.addAll(extraArgs);
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
        RedisServerProcess server = new RedisServerProcess(process, dir, port, versionOf(binary));
        server.awaitReady(cmd);
        return server;
    }

    /** Ready means it accepts a connection and answers an inline PING (with PONG, or NOAUTH under requirepass). */
    private void awaitReady(List<String> cmd) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                String log = readLogs();
                deleteQuietly(dir);
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + ": " + cmd + "\n" + log);
            }
            try (RawRespConnection probe = RawRespConnection.open(HOST, port)) {
                byte[] reply = probe.sendBytes("PING\r\n".getBytes(StandardCharsets.US_ASCII))
                        .readUntilQuiet(Duration.ofMillis(500), Duration.ofMillis(5)).bytes();
                if (reply.length > 0 && (reply[0] == '+' || reply[0] == '-')) {
                    return;
                }
            } catch (UncheckedIOException notListeningYet) {
                // fall through and poll again
            }
            sleep(20);
        }
        close();
        throw new IllegalStateException("redis-server did not become ready within " + START_TIMEOUT + ": " + cmd);
    }

    private static String versionOf(Path binary) {
        try {
            Process p = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor(5, TimeUnit.SECONDS);
            int v = out.indexOf("v=");
            return v >= 0 ? out.substring(v + 2, out.indexOf(' ', v) > 0 ? out.indexOf(' ', v) : out.length()) : out;
        } catch (IOException | InterruptedException e) {
            return "unknown";
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String readLogs() {
        StringBuilder sb = new StringBuilder();
        for (String name : List.of("stdout.log", "redis.log")) {
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

    @Override
    public String description() {
        return "redis-server " + version + " on " + HOST + ":" + port;
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
