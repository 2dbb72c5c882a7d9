package io.lightbroker.bench.load;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * The load generator's settings: one declarative table ({@link #FLAGS}) drives parsing, the
 * {@code --help} text and validation. Sizes and durations take units ({@code 1kb}, {@code 500ms},
 * {@code 3s}); counts and rates take {@code k}/{@code m} ({@code 100k}).
 */
final class Options {
    Scenario scenario = Scenario.FANOUT;
    Proto proto = Proto.NATS;
    String host = "127.0.0.1";
    int port;
    Proto pubProto;
    Proto subProto;
    int pubPort;
    int subPort;
    int publishers = 1;
    int subscribers = -1;
    int payload = 16;
    long durationNanos = TimeUnit.SECONDS.toNanos(5);
    long count;
    long rate;
    boolean json;
    String subject = "bench";
    int pingEvery = 1000;
    int pingWindow = 10;
    int pipeline = 1000;
    long backlogBytes = 8L << 20;
    long drainNanos = TimeUnit.SECONDS.toNanos(5);
    long warmupNanos = TimeUnit.SECONDS.toNanos(1);
    long settleNanos;
    long setupNanos = TimeUnit.SECONDS.toNanos(10);
    long timeoutNanos;
    int patterns = 10_000;
    int patternConns = 4;
    int connections = 2_000;
    long serverPid;
    int subThreads;
    String target = "";
    String caseName = "";
    boolean help;
    boolean version;

    record Flag(String name, String arg, String def, String help, BiConsumer<Options, String> set) {
    }

    static final List<Flag> FLAGS = List.of(
            new Flag("--scenario", "NAME", "fanout", "fanout | latency | zero-subs | wildcards | connections | cross",
                    (o, v) -> o.scenario = Scenario.parse(v)),
            new Flag("--proto", "resp|nats", "nats", "protocol for publishers and subscribers", (o, v) -> o.proto = Proto.parse(v)),
            new Flag("--host", "HOST", "127.0.0.1", "server address", (o, v) -> o.host = v),
            new Flag("--port", "PORT", "6379 resp, 4222 nats", "server port", (o, v) -> o.port = port(v)),
            new Flag("--pub-proto", "resp|nats", "--proto", "publishers' protocol (cross)", (o, v) -> o.pubProto = Proto.parse(v)),
            new Flag("--sub-proto", "resp|nats", "--proto", "subscribers' protocol (cross)", (o, v) -> o.subProto = Proto.parse(v)),
            new Flag("--pub-port", "PORT", "--port", "publishers' port (cross)", (o, v) -> o.pubPort = port(v)),
            new Flag("--sub-port", "PORT", "--port", "subscribers' port (cross)", (o, v) -> o.subPort = port(v)),
            new Flag("--publishers", "P", "1", "publisher connections", (o, v) -> o.publishers = (int) range("--publishers", count(v), 1, Payload.MAX_PUBLISHERS - 1)),
            new Flag("--subscribers", "S", "1 (latency: 10)", "subscriber connections", (o, v) -> o.subscribers = (int) range("--subscribers", count(v), 0, 1_000_000)),
            new Flag("--payload", "BYTES", "16", "payload size, 16 to 1mb (sequence + timestamp + padding)",
                    (o, v) -> o.payload = (int) range("--payload", size(v), Payload.MIN_SIZE, Payload.MAX_SIZE)),
            new Flag("--duration", "TIME", "5s", "how long to publish", (o, v) -> o.durationNanos = duration(v)),
            new Flag("--count", "N", "0", "total messages to publish instead of --duration (split over publishers)",
                    (o, v) -> o.count = range("--count", count(v), 0, Payload.NUMBER_MASK)),
            new Flag("--rate", "R", "10k", "latency: messages per second of the one publisher", (o, v) -> o.rate = range("--rate", count(v), 1, 100_000_000)),
            new Flag("--json", null, null, "also print one JSON line per result", (o, v) -> o.json = true),
            new Flag("--subject", "NAME", "bench", "subject / channel (and wildcard prefix)", (o, v) -> o.subject = v),
            new Flag("--ping-every", "K", "1000", "NATS: PING after every K messages", (o, v) -> o.pingEvery = (int) range("--ping-every", count(v), 1, 1_000_000)),
            new Flag("--ping-window", "N", "10", "NATS: PINGs outstanding before waiting for a PONG", (o, v) -> o.pingWindow = (int) range("--ping-window", count(v), 1, 100_000)),
            new Flag("--pipeline", "N", "1000", "RESP: PUBLISH replies outstanding before waiting", (o, v) -> o.pipeline = (int) range("--pipeline", count(v), 1, 10_000_000)),
            new Flag("--backlog", "BYTES", "8mb", "published but not yet received by the slowest subscriber; 0 = unbounded",
                    (o, v) -> o.backlogBytes = size(v)),
            new Flag("--drain", "TIME", "5s", "after publishing, wait this long without progress for missing messages",
                    (o, v) -> o.drainNanos = duration(v)),
            new Flag("--warmup", "TIME", "1s", "latency: publish at the rate this long first, not recorded",
                    (o, v) -> o.warmupNanos = duration(v)),
            new Flag("--settle", "TIME", "0", "wait after the subscriptions are confirmed, before publishing (interest crossing a cluster of leaf nodes)",
                    (o, v) -> o.settleNanos = duration(v)),
            new Flag("--setup-timeout", "TIME", "10s (+2ms per connection)",
                    "connecting and confirming subscriptions; a server that does not answer fails fast",
                    (o, v) -> o.setupNanos = duration(v)),
            new Flag("--timeout", "TIME", "duration + drain + 60s", "hard limit for the whole run", (o, v) -> o.timeoutNanos = duration(v)),
            new Flag("--patterns", "N", "10000", "wildcards: pattern subscriptions", (o, v) -> o.patterns = (int) range("--patterns", count(v), 2, 10_000_000)),
            new Flag("--pattern-conns", "N", "4", "wildcards: connections the patterns are spread over", (o, v) -> o.patternConns = (int) range("--pattern-conns", count(v), 1, 10_000)),
            new Flag("--connections", "N", "2000", "connections: idle subscribed connections", (o, v) -> o.connections = (int) range("--connections", count(v), 1, 1_000_000)),
            new Flag("--server-pid", "PID", "none", "connections: read this process's VmRSS", (o, v) -> o.serverPid = range("--server-pid", count(v), 1, Integer.MAX_VALUE)),
            new Flag("--sub-threads", "N", "min(subscribers, cpus)", "selector threads reading subscribers", (o, v) -> o.subThreads = (int) range("--sub-threads", count(v), 1, 256)),
            new Flag("--target", "NAME", "", "label for the server under test, copied into results", (o, v) -> o.target = v),
            new Flag("--case", "NAME", "", "label for this run, copied into results", (o, v) -> o.caseName = v),
            new Flag("--help", null, null, "print this help", (o, v) -> o.help = true),
            new Flag("--version", null, null, "print the version", (o, v) -> o.version = true));

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            Flag f = find(a);
            if (f == null) {
                throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
            }
            if (f.arg() != null && value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value: " + f.arg());
                }
                value = args[++i];
            }
            try {
                f.set().accept(o, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(a + ": " + e.getMessage(), e);
            }
        }
        o.validate();
        return o;
    }

    private void validate() {
        if (scenario == Scenario.CROSS && pubProto == null && subProto == null) {
            throw new IllegalArgumentException("cross needs --pub-proto and --sub-proto (and usually --pub-port, --sub-port)");
        }
        if (scenario == Scenario.LATENCY && rate == 0) {
            rate = 10_000;
        }
    }

    static String help() {
        StringBuilder sb = new StringBuilder("usage: loadgen [options]\n"
                + "End-to-end load generator speaking raw RESP and NATS; prints one line per result.\n\n");
        for (Flag f : FLAGS) {
            String left = f.name() + (f.arg() == null ? "" : " " + f.arg());
            sb.append(String.format(Locale.ROOT, "  %-28s %s%s%n", left, f.help(),
                    f.def() == null || f.def().isEmpty() ? "" : " [" + f.def() + "]"));
        }
        return sb.toString();
    }

    private static Flag find(String name) {
        for (Flag f : FLAGS) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        return null;
    }

    Proto pubProto() {
        return pubProto != null ? pubProto : proto;
    }

    Proto subProto() {
        return subProto != null ? subProto : proto;
    }

    InetSocketAddress pubAddress() {
        return new InetSocketAddress(host, pubPort != 0 ? pubPort : port != 0 && pubProto == null ? port : pubProto().defaultPort);
    }

    InetSocketAddress subAddress() {
        return new InetSocketAddress(host, subPort != 0 ? subPort : port != 0 && subProto == null ? port : subProto().defaultPort);
    }

    int subscribersOr(int dflt) {
        return subscribers >= 0 ? subscribers : dflt;
    }

    long hardTimeoutNanos() {
        return timeoutNanos > 0 ? timeoutNanos
                : durationNanos + warmupNanos + drainNanos + TimeUnit.SECONDS.toNanos(60);
    }

    /** Deadline for connecting and subscribing {@code conns} connections, never past the hard one. */
    long setupDeadline(long hardDeadline, int conns) {
        long d = System.nanoTime() + setupNanos + conns * TimeUnit.MILLISECONDS.toNanos(2);
        return d - hardDeadline < 0 ? d : hardDeadline;
    }

    static long duration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        double mult;
        if (s.endsWith("ms")) {
            mult = 1e6;
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            mult = 1e9;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            mult = 60e9;
            s = s.substring(0, s.length() - 1);
        } else {
            mult = 1e9;
        }
        double d = number(s, v);
        if (d < 0) {
            throw new IllegalArgumentException("negative duration '" + v + "'");
        }
        return (long) (d * mult);
    }

    static long size(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (s.endsWith("kb") || s.endsWith("k")) {
            mult = 1024;
        } else if (s.endsWith("mb") || s.endsWith("m")) {
            mult = 1024 * 1024;
        } else if (s.endsWith("b")) {
            mult = 1;
        }
        s = s.replaceAll("[kmb]+$", "");
        return (long) (number(s, v) * mult);
    }

    static long count(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        double mult = 1;
        if (s.endsWith("k")) {
            mult = 1e3;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            mult = 1e6;
            s = s.substring(0, s.length() - 1);
        }
        return (long) (number(s, v) * mult);
    }

    private static int port(String v) {
        return (int) range("port", count(v), 1, 65535);
    }

    private static double number(String s, String original) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a number: '" + original + "'");
        }
    }

    private static long range(String name, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(v + " is outside " + min + ".." + max);
        }
        return v;
    }
}
