package io.lightbroker.broker.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * {@code lightbroker healthcheck}: one HTTP/1.0 GET of {@code /healthz} on the admin port,
 * exit 0 on a 200 and 1 on anything else, including bad usage (Docker reserves exit 2 in a
 * HEALTHCHECK, so this command never uses it).
 *
 * <p>It runs in a fresh JVM every few seconds inside the container, where there is no shell
 * and no curl, so it is written for start-up time: a plain {@link Socket}, no HTTP client, no
 * Netty, no logging, no lambdas or string concatenation on the path taken when healthy (each
 * would bootstrap invokedynamic machinery that costs more than the request).
 *
 * <p>The port and address are found the way the server finds them, lowest to highest
 * precedence: the defaults ({@code 8222}, loopback), the {@code LIGHTBROKER_CONFIG} file, the
 * {@code *.properties} files of {@code LIGHTBROKER_CONFIG_DIR} in name order, the
 * {@code LIGHTBROKER_ADMIN_PORT} and {@code LIGHTBROKER_BIND} variables, then
 * {@code --admin-port} and {@code --host}. A server bound to a wildcard address is probed on
 * 127.0.0.1.
 */
final class HealthCheck {
    static final int DEFAULT_ADMIN_PORT = 8222;

    private static final Set<String> VALUED = Set.of("admin-port", "host", "path", "timeout", "config", "config-dir");

    private HealthCheck() {}

    static int run(String[] argv, Map<String, String> env, PrintStream out, PrintStream err) {
        String host;
        int port;
        String path;
        int timeout;
        try {
            Args args = Args.parse(argv, VALUED, Set.of());
            if (!args.positional().isEmpty()) {
                throw new UsageException("unexpected argument '" + args.positional().get(0) + "'");
            }
            Properties files = new Properties();
            loadFile(files, args.get("config", env.get(Launcher.CONFIG_ENV)));
            loadDir(files, args.get("config-dir", env.get(Launcher.CONFIG_DIR_ENV)));
            String portText = args.get("admin-port", firstNonNull(env.get("LIGHTBROKER_ADMIN_PORT"), files.getProperty("admin-port")));
            port = portText == null ? DEFAULT_ADMIN_PORT : parsePort(portText.trim());
            host = probeHost(args.get("host", firstNonNull(env.get("LIGHTBROKER_BIND"), files.getProperty("bind"))));
            path = args.get("path", "/healthz");
            if (!path.startsWith("/")) {
                throw new UsageException("--path must start with '/'");
            }
            timeout = (int) Math.min(Integer.MAX_VALUE, Math.max(1, args.millis("timeout", 2000)));
        } catch (UsageException e) {
            err.println("lightbroker healthcheck: " + e.getMessage());
            return 1;
        }
        return probe(host, port, path, timeout, out, err);
    }

    static int probe(String host, int port, String path, int timeoutMillis, PrintStream out, PrintStream err) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            OutputStream o = s.getOutputStream();
            StringBuilder req = new StringBuilder(64).append("GET ").append(path).append(" HTTP/1.0\r\nHost: ")
                    .append(host).append("\r\nConnection: close\r\n\r\n");
            o.write(req.toString().getBytes(StandardCharsets.US_ASCII));
            o.flush();
            String status = statusLine(s.getInputStream());
            // "HTTP/1.1 200 OK": the code is the second token.
            int sp = status.indexOf(' ');
            boolean ok = sp > 0 && status.startsWith("200", sp + 1);
            (ok ? out : err).println(status.isEmpty() ? "no response" : status);
            return ok ? 0 : 1;
        } catch (IOException e) {
            err.println(new StringBuilder("lightbroker healthcheck: ").append(host).append(':').append(port)
                    .append(": ").append(e.getMessage()));
            return 1;
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder(32);
        for (int c; (c = in.read()) != -1 && c != '\n' && sb.length() < 256; ) {
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }

    private static int parsePort(String text) {
        int p;
        try {
            p = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new UsageException("admin port '" + text + "' is not a number");
        }
        if (p <= 0 || p > 65535) {
            throw new UsageException("admin port " + p + " cannot be probed (-1 disables the admin listener, 0 picks a port at random)");
        }
        return p;
    }

    private static String probeHost(String bind) {
        if (bind == null || bind.isBlank()) {
            return "127.0.0.1";
        }
        String b = bind.trim();
        return b.equals("0.0.0.0") || b.equals("::") || b.equals("[::]") ? "127.0.0.1" : b;
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }

    private static void loadFile(Properties into, String file) {
        if (file != null && !file.isBlank()) {
            load(into, Path.of(file));
        }
    }

    /** The server's rule: every regular {@code *.properties} file of the directory, in name order. */
    private static void loadDir(Properties into, String dir) {
        if (dir == null || dir.isBlank()) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> list = Files.newDirectoryStream(Path.of(dir), "*.properties")) {
            for (Path p : list) {
                if (Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        } catch (IOException e) {
            throw new UsageException("cannot read config directory " + dir + ": " + e.getMessage());
        }
        Collections.sort(files);
        for (Path p : files) {
            load(into, p);
        }
    }

    private static void load(Properties into, Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new UsageException("cannot read config file " + file + ": " + e.getMessage());
        }
        into.putAll(p);
    }
}
