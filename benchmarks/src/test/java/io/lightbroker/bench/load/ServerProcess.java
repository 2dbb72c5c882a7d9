package io.lightbroker.bench.load;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real redis-server or nats-server started on a free loopback port for one test class. A missing
 * binary fails the test with what to install: these tests exist to check the generator against the
 * real servers, so skipping would hide exactly what they are for.
 *
 * <p>Deliberately not {@code AutoCloseable}: JUnit closes AutoCloseable arguments of a
 * parameterized test after each invocation, which would stop the server after the first test.
 */
final class ServerProcess {
    final String name;
    final Proto proto;
    final int port;
    private final Process process;
    private final Path log;
    private final AutoCloseable embedded;

    private ServerProcess(String name, Proto proto, int port, Process process, Path log) {
        this.name = name;
        this.proto = proto;
        this.port = port;
        this.process = process;
        this.log = log;
        this.embedded = null;
    }

    private ServerProcess(String name, Proto proto, int port, AutoCloseable embedded) {
        this.name = name;
        this.proto = proto;
        this.port = port;
        this.process = null;
        this.log = null;
        this.embedded = embedded;
    }

    /**
     * One listener of an embedded lightbroker in this JVM (its {@link #pid()} is the test JVM's).
     * {@code owner} closes the broker; pass it with the last listener so it is closed once.
     */
    static ServerProcess embedded(String name, Proto proto, int port, AutoCloseable owner) {
        return new ServerProcess(name, proto, port, owner);
    }

    static ServerProcess redis() throws IOException {
        int port = freePort();
        return start("redis-server", Proto.RESP, port, "install the redis-server package (Redis 7)",
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--daemonize", "no");
    }

    static ServerProcess nats() throws IOException {
        int port = freePort();
        return start("nats-server", Proto.NATS, port, "install the nats-server package (2.9)",
                "-a", "127.0.0.1", "-p", Integer.toString(port));
    }

    long pid() {
        return process == null ? ProcessHandle.current().pid() : process.pid();
    }

    private static ServerProcess start(String binary, Proto proto, int port, String hint, String... args)
            throws IOException {
        String exe = find(binary);
        if (exe == null) {
            fail(binary + " not found on PATH, /usr/bin or /usr/sbin: " + hint);
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe);
        cmd.addAll(List.of(args));
        Path log = Files.createTempFile(binary, ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess s = new ServerProcess(binary, proto, port, p, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                fail(binary + " exited at start: " + Files.readString(log));
            }
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return s;
            } catch (IOException notYet) {
                sleep(50);
            }
        }
        s.stop();
        fail(binary + " did not listen on port " + port + " within 10 s: " + Files.readString(log));
        return null;
    }

    private static String find(String binary) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)));
        dirs.add("/usr/bin");
        dirs.add("/usr/sbin");
        dirs.add("/usr/local/bin");
        for (String d : dirs) {
            File f = new File(d, binary);
            if (!d.isEmpty() && f.canExecute()) {
                return f.getPath();
            }
        }
        return null;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() throws IOException {
        if (process == null) {
            if (embedded != null) {
                try {
                    embedded.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Files.deleteIfExists(log);
    }

    @Override
    public String toString() {
        return name;
    }
}
