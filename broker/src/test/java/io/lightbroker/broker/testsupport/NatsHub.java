package io.lightbroker.broker.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nats-server (Debian's package) as a leaf-node hub: client port, monitoring port and a
 * {@code leafnodes} listener, all on free loopback ports, with optional extra configuration
 * (authorization for leafs, a cluster block with routes). It can be stopped and started again on
 * the same ports, for reconnect tests.
 */
public final class NatsHub implements AutoCloseable {
    private static final String HOST = "127.0.0.1";

    public final int clientPort;
    public final int monitorPort;
    public final int leafPort;
    public final int clusterPort;
    private final String extraConfig;
    private final Path dir;
    private Process process;

    private NatsHub(String extraConfig, boolean cluster) {
        this.clientPort = NatsServerProcess.freePort();
        this.monitorPort = NatsServerProcess.freePort();
        this.leafPort = NatsServerProcess.freePort();
        this.clusterPort = cluster ? NatsServerProcess.freePort() : -1;
        this.extraConfig = extraConfig;
        try {
            this.dir = Files.createTempDirectory("nats-hub-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A hub with a plain leafnodes listener. */
    public static NatsHub start() {
        return start("");
    }

    /**
     * A hub whose leafnodes block also holds {@code leafnodesExtra} (for example an
     * {@code authorization {}} block).
     */
    public static NatsHub start(String leafnodesExtra) {
        NatsHub h = new NatsHub(leafnodesExtra, false);
        h.startProcess("");
        return h;
    }

    /** {@code n} hubs routed into one cluster, each with its own leafnodes listener. */
    public static List<NatsHub> cluster(int n) {
        List<NatsHub> hubs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            hubs.add(new NatsHub("", true));
        }
        StringBuilder routes = new StringBuilder();
        for (NatsHub h : hubs) {
            routes.append("nats-route://").append(HOST).append(':').append(h.clusterPort).append(' ');
        }
        for (int i = 0; i < n; i++) {
            NatsHub h = hubs.get(i);
            h.clusterBlock = "cluster {\n  name: hubs\n  listen: \"" + HOST + ":" + h.clusterPort + "\"\n  routes: ["
                    + String.join(", ", routes.toString().trim().split(" ")) + "]\n}\nserver_name: hub" + i + "\n";
            h.startProcess(h.clusterBlock);
        }
        return hubs;
    }

    private String clusterBlock = "";

    private void startProcess(String top) {
        String conf = top + "leafnodes {\n  listen: \"" + HOST + ":" + leafPort + "\"\n" + extraConfig + "\n}\n";
        try {
            Files.writeString(dir.resolve("hub.conf"), conf, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> cmd = List.of(NatsServerProcess.locateBinary().toString(), "-c", dir.resolve("hub.conf").toString(),
                "-a", HOST, "-p", Integer.toString(clientPort), "-m", Integer.toString(monitorPort),
                "-l", dir.resolve("hub.log").toString());
        try {
            process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("nats-server hub exited: " + cmd + "\n" + conf + "\n" + log());
            }
            if (listening(clientPort) && listening(leafPort)) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("nats-server hub not ready: " + cmd + "\n" + log());
    }

    /** Stops the process (the ports stay reserved in this object for {@link #restart()}). */
    public void stop() {
        if (process != null) {
            Processes.terminate(process);
            process = null;
        }
    }

    /**
     * Kills the process at once (SIGKILL): unlike {@link #stop()}, the hub sends nothing first (on
     * SIGTERM nats-server closes its connections one by one, and the leaves hear the interest of
     * those closed first withdrawn).
     */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    /** SIGSTOP (true) or SIGCONT (false): a hub that stops reading, then resumes. */
    public void pause(boolean stop) {
        try {
            Process p = new ProcessBuilder("kill", stop ? "-STOP" : "-CONT", Long.toString(process.pid())).start();
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void restart() {
        stop();
        startProcess(clusterBlock);
    }

    public String leafUrl() {
        return "nats-leaf://" + HOST + ":" + leafPort;
    }

    public String clientUrl() {
        return "nats://" + HOST + ":" + clientPort;
    }

    /** GET {@code path} on the monitoring port, e.g. {@code /leafz?subs=1}. */
    public String monitor(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + monitorPort + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String log() {
        try {
            return Files.exists(dir.resolve("hub.log")) ? Files.readString(dir.resolve("hub.log")) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        stop();
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket(HOST, port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
