package io.lightbroker.broker.config;

import io.lightbroker.broker.auth.NatsUsers;
import io.lightbroker.broker.auth.RespAcl;
import io.lightbroker.broker.leaf.LeafRemote;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The table of every setting the broker reads (Redis's {@code standardConfigs[]} is the model).
 * Defaults follow the real servers: Redis for the RESP side, nats-server for the NATS side.
 */
public final class Settings {
    private static final List<Setting<?>> ALL = new ArrayList<>();

    public static final Setting<String> BIND = string("bind", "127.0.0.1", false,
            "Address every listener binds to.");
    public static final Setting<Integer> RESP_PORT = port("resp-port", "6379",
            "RESP (Redis protocol) port; 0 picks a free port, -1 disables the listener.");
    public static final Setting<Integer> NATS_PORT = port("nats-port", "4222",
            "NATS port; 0 picks a free port, -1 disables the listener.");
    public static final Setting<Integer> ADMIN_PORT = port("admin-port", "8222",
            "Admin HTTP port; 0 picks a free port, -1 disables the listener.");
    public static final Setting<Integer> IO_THREADS = integer("io-threads", "0", 0, 1024,
            "Event loop threads; 0 means one per available processor.");
    public static final Setting<String> TRANSPORT = choice("transport", "auto",
            "Socket transport: auto (epoll where Netty's native library loads, else nio), epoll, nio, or io_uring (Linux 5.14+, and not where seccomp blocks it as Docker's default profile does; falls back to epoll with a warning). io_uring measured no faster than epoll here (benchmarks/RESULTS.md).",
            "auto", "epoll", "io_uring", "nio");
    public static final Setting<Integer> WRITE_COALESCING = integer("write-coalescing", "100", 0, 1000,
            "Under load, how long an event loop may hold back its next flush to subscribers, as a percentage of the time its flushes take (at most 100 us): when a read brought several publishes and the loop flushed moments ago, it keeps reading and writes once, so each write carries more messages. A single publish, or a loop that was idle, is written at once. 0 writes at the end of every read; the nio transport always does (its timers are as coarse as a millisecond).");
    public static final Setting<String> REQUIREPASS = string("requirepass", "", true,
            "Password RESP clients must give with AUTH or HELLO AUTH (Redis requirepass); empty disables.");
    public static final Setting<RespAcl> RESP_USERS = parsed("resp-users", "", true, RespAcl::parse,
            "RESP users as Redis ACL rules, one 'user <name> <rules>' per line (e.g. 'user alice on >secret &orders.* +@all'); see docs/security.md.");
    public static final Setting<RespAcl> RESP_ACL_FILE = parsed("resp-acl-file", "", false, RespAcl::readFile,
            "File of RESP users in the same format (Redis aclfile); read at start. Use resp-users or this, not both.");
    public static final Setting<Integer> RESP_MAX_SUBSCRIPTIONS = integer("resp-max-subscriptions", "0", 0, Integer.MAX_VALUE,
            "Channels, patterns and shard channels per RESP connection; 0 means unlimited (Redis has no such limit).");
    public static final Setting<Long> RESP_AUTH_TIMEOUT = millis("resp-auth-timeout", "0",
            "Time a RESP client has to authenticate when a password is required before it is closed; 0 disables (Redis has none).");
    public static final Setting<Integer> MAX_CLIENTS = integer("max-clients", "10000", 1, Integer.MAX_VALUE,
            "Maximum simultaneous client connections over all protocols (Redis maxclients).");
    public static final Setting<Long> RESP_MAX_BULK_LEN = size("resp-max-bulk-len", "512mb",
            "Largest bulk string a RESP client may send (Redis proto-max-bulk-len).");
    public static final Setting<Integer> RESP_MAX_MULTIBULK_LEN = integer("resp-max-multibulk-len", "2147483647", 1, Integer.MAX_VALUE,
            "Most arguments in one RESP command (Redis 7.0 accepts up to INT_MAX once authenticated; argument arrays grow as arguments arrive).");
    public static final Setting<Long> RESP_MAX_INLINE_LEN = size("resp-max-inline-len", "64kb",
            "Longest inline command (Redis PROTO_INLINE_MAX_SIZE).");
    public static final Setting<Long> RESP_OUTPUT_HARD = size("resp-output-buffer-hard-limit", "32mb",
            "Pending bytes at which a RESP subscriber is disconnected at once (client-output-buffer-limit pubsub hard); 0 disables.");
    public static final Setting<Long> RESP_OUTPUT_SOFT = size("resp-output-buffer-soft-limit", "8mb",
            "Pending bytes a RESP subscriber may hold only for resp-output-buffer-soft-seconds (soft limit); 0 disables.");
    public static final Setting<Long> RESP_OUTPUT_SOFT_SECONDS = duration("resp-output-buffer-soft-seconds", "60s",
            "How long a RESP subscriber may stay over the soft limit, in whole seconds.");
    public static final Setting<Long> NATS_MAX_PAYLOAD = size("nats-max-payload", "1mb",
            "Largest NATS message payload (nats-server max_payload); announced in INFO.");
    public static final Setting<Long> NATS_MAX_PENDING = size("nats-max-pending", "64mb",
            "Bytes a NATS connection may have pending before it is closed as a slow consumer (nats-server max_pending).");
    public static final Setting<Integer> NATS_MAX_CONTROL_LINE = integer("nats-max-control-line", "4096", 32, 1 << 20,
            "Longest NATS protocol line (nats-server max_control_line).");
    public static final Setting<Integer> NATS_MAX_SUBSCRIPTIONS = integer("nats-max-subscriptions", "0", 0, Integer.MAX_VALUE,
            "Subscriptions per NATS connection; 0 means unlimited (nats-server max_subscriptions).");
    public static final Setting<Integer> NATS_MAX_CONNECTIONS = integer("nats-max-connections", "65536", 1, Integer.MAX_VALUE,
            "NATS connections accepted at once (nats-server max_connections).");
    public static final Setting<Long> NATS_PING_INTERVAL = millis("nats-ping-interval", "2m",
            "How often the server PINGs an idle NATS client (nats-server ping_interval).");
    public static final Setting<Integer> NATS_PING_MAX = integer("nats-ping-max", "2", 1, 1000,
            "Unanswered server PINGs before the client is dropped as a stale connection (nats-server ping_max).");
    public static final Setting<Long> NATS_AUTH_TIMEOUT = millis("nats-auth-timeout", "2s",
            "Time a NATS client has to send CONNECT when authentication is required (nats-server auth_timeout).");
    public static final Setting<String> NATS_AUTH_TOKEN = string("nats-auth-token", "", true,
            "Token NATS clients must send in CONNECT auth_token; empty disables.");
    public static final Setting<String> NATS_USER = string("nats-user", "", false,
            "User NATS clients must send in CONNECT (with nats-password); empty disables.");
    public static final Setting<String> NATS_PASSWORD = string("nats-password", "", true,
            "Password for nats-user.");
    public static final Setting<NatsUsers> NATS_USERS = parsed("nats-users", "", true, NatsUsers::parse,
            "NATS users with passwords (plain or bcrypt) and publish/subscribe permissions, as a JSON array in nats-server's users shape; see docs/security.md.");
    public static final Setting<String> TLS_CERT_FILE = string("tls-cert-file", "", false,
            "PEM certificate chain the TLS listeners present (Redis tls-cert-file, nats-server tls cert_file).");
    public static final Setting<String> TLS_KEY_FILE = string("tls-key-file", "", false,
            "PEM private key (PKCS#8, unencrypted) of tls-cert-file (Redis tls-key-file, nats-server tls key_file).");
    public static final Setting<String> TLS_CA_CERT_FILE = string("tls-ca-cert-file", "", false,
            "PEM CA certificates that client certificates are verified against (Redis tls-ca-cert-file, nats-server tls ca_file).");
    public static final Setting<Integer> RESP_TLS_PORT = port("resp-tls-port", "-1",
            "RESP port that speaks TLS only (Redis tls-port), beside or instead of resp-port; 0 picks a free port, -1 disables it.");
    public static final Setting<String> TLS_AUTH_CLIENTS = choice("tls-auth-clients", "yes",
            "Client certificates on resp-tls-port (Redis tls-auth-clients): yes requires one signed by tls-ca-cert-file, optional verifies one if sent, no ignores them.",
            "yes", "no", "optional");
    public static final Setting<Boolean> NATS_TLS = bool("nats-tls", "false",
            "Require TLS on the NATS port (nats-server tls {}): INFO announces tls_required and the client upgrades right after it.");
    public static final Setting<Boolean> NATS_TLS_VERIFY = bool("nats-tls-verify", "false",
            "With nats-tls: require a client certificate signed by tls-ca-cert-file (nats-server tls verify).");
    public static final Setting<List<LeafRemote>> LEAF_REMOTES = parsed("leaf-remotes", "", false, LeafRemote::parseList,
            "Hub URLs this node joins a NATS cluster through as a leaf node, comma-separated, tried in turn (nats-leaf://[user:pass@|token@]host:port; tls:// for TLS); the flag --leaf-remote may repeat. Credentials in them are redacted in the configuration API and refused as flags.")
            .redactPartsWith(LeafRemote::redactList);
    public static final Setting<String> LEAF_USER = string("leaf-user", "", false,
            "User for leaf remotes whose URL has no credentials.");
    public static final Setting<String> LEAF_PASSWORD = string("leaf-password", "", true,
            "Password of leaf-user.");
    public static final Setting<String> LEAF_TOKEN = string("leaf-token", "", true,
            "Token for leaf remotes whose URL has no credentials.");
    public static final Setting<String> LEAF_CA_FILE = string("leaf-ca-file", "", false,
            "PEM CA certificates that a tls:// hub's certificate is verified against; empty uses the JVM's trusted CAs.");
    public static final Setting<Boolean> LEAF_RANDOMIZE = bool("leaf-randomize", "true",
            "Try the leaf-remotes URLs in a random order, so that the nodes of a scaled service spread over the hubs (nats-server's default; false tries them in the order given, as its no_randomize).");
    public static final Setting<Long> LEAF_RECONNECT_DELAY = millis("leaf-reconnect-delay", "1s",
            "First wait before reconnecting a lost leaf link (nats-server's leaf reconnect, 1s); doubles per failed attempt up to 30s, with jitter.");
    public static final Setting<Long> LEAF_MAX_PENDING = size("leaf-max-pending", "256mb",
            "Bytes a leaf link may have pending towards its hub before it is closed as a slow consumer and reconnected (larger than a client's nats-max-pending).");
    public static final Setting<String> SERVER_NAME = string("server-name", "lightbroker", false,
            "Server name announced to NATS clients (INFO server_name).");
    public static final Setting<String> LOG_LEVEL = choice("log-level", "info",
            "Root log level.", "trace", "debug", "info", "warn", "error");
    public static final Setting<String> LOG_FORMAT = choice("log-format", "plain",
            "Log line format: plain text, or one JSON object per line for log shippers.", "plain", "json");
    public static final Setting<String> ADMIN_TOKEN = string("admin-token", "", true,
            "Bearer token every admin endpoint except /healthz and /readyz requires; empty leaves the admin API open.");
    public static final Setting<String> ADMIN_BIND = string("admin-bind", "", false,
            "Address the admin HTTP listener binds to; empty means the same as bind. Set 127.0.0.1 to keep the admin API local while clients connect from outside.");
    public static final Setting<Boolean> ADMIN_CONFIG_ENDPOINT = bool("admin-config-endpoint", "false",
            "Serve GET /config on the admin port: the effective configuration with each value's source, secrets redacted.");
    public static final Setting<Long> DRAIN_GRACE = millis("drain-grace", "10s",
            "On SIGTERM or POST /drain: how long clients may stay after the listeners close before they are disconnected.");

    private Settings() {}

    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    public static Setting<?> byName(String name) {
        for (Setting<?> s : ALL) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    private static <T> Setting<T> add(Setting<T> s) {
        ALL.add(s);
        return s;
    }

    private static Setting<String> string(String name, String def, boolean sensitive, String doc) {
        return add(new Setting<>(name, Setting.Type.STRING, def, sensitive, doc, v -> v));
    }

    /** A setting whose text is parsed into a structure when the configuration is read, so errors name the setting. */
    private static <T> Setting<T> parsed(String name, String def, boolean sensitive, java.util.function.Function<String, T> parser, String doc) {
        return add(new Setting<>(name, Setting.Type.STRING, def, sensitive, doc, parser));
    }

    private static Setting<Integer> port(String name, String def, String doc) {
        return add(new Setting<>(name, Setting.Type.PORT, def, false, doc, v -> {
            int p = parseInt(v);
            if (p < -1 || p > 65535) {
                throw new IllegalArgumentException("a port must be -1 (disabled), 0 (any free port) or 1..65535");
            }
            return p;
        }));
    }

    private static Setting<Integer> integer(String name, String def, int min, int max, String doc) {
        return add(new Setting<>(name, Setting.Type.INT, def, false, doc, v -> {
            int i = parseInt(v);
            if (i < min || i > max) {
                throw new IllegalArgumentException("must be between " + min + " and " + max);
            }
            return i;
        }));
    }

    private static Setting<Long> size(String name, String def, String doc) {
        return add(new Setting<>(name, Setting.Type.SIZE, def, false, doc, Settings::parseSize));
    }

    private static Setting<Long> millis(String name, String def, String doc) {
        return add(new Setting<>(name, Setting.Type.DURATION, def, false, doc, Settings::parseMillis));
    }

    private static Setting<Long> duration(String name, String def, String doc) {
        return add(new Setting<>(name, Setting.Type.DURATION, def, false, doc, Settings::parseSeconds));
    }

    private static Setting<Boolean> bool(String name, String def, String doc) {
        return add(new Setting<>(name, Setting.Type.BOOLEAN, def, false, doc, Settings::parseBoolean));
    }

    private static Setting<String> choice(String name, String def, String doc, String... choices) {
        List<String> allowed = List.of(choices);
        return add(new Setting<>(name, Setting.Type.CHOICE, def, false, doc, v -> {
            String c = v.trim().toLowerCase(Locale.ROOT);
            if (!allowed.contains(c)) {
                throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
            }
            return c;
        }, allowed));
    }

    /** Redis's yes/no, and true/false. */
    public static boolean parseBoolean(String raw) {
        switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes" -> {
                return true;
            }
            case "false", "no" -> {
                return false;
            }
            default -> throw new IllegalArgumentException("not a boolean (true, false, yes or no)");
        }
    }

    private static int parseInt(String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an integer");
        }
    }

    /** Bytes, with Redis's unit suffixes: {@code 64}, {@code 64k}/{@code 64kb}, {@code 8m}/{@code 8mb}, {@code 1g}/{@code 1gb}. */
    public static long parseSize(String raw) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"gb", "1073741824"}, {"mb", "1048576"}, {"kb", "1024"}, {"g", "1073741824"}, {"m", "1048576"}, {"k", "1024"}, {"b", "1"}};
        for (String[] u : units) {
            if (v.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                v = v.substring(0, v.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new IllegalArgumentException("must not be negative");
            }
            return Math.multiplyExact(n, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size (examples: 1024, 64kb, 32mb, 1gb)");
        }
    }

    /** A duration in milliseconds: {@code 300ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number is seconds. */
    public static long parseMillis(String raw) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        long mul = 1000;
        if (v.endsWith("ms")) {
            mul = 1;
            v = v.substring(0, v.length() - 2);
        } else if (v.endsWith("s")) {
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("m")) {
            mul = 60_000;
            v = v.substring(0, v.length() - 1);
        } else if (v.endsWith("h")) {
            mul = 3_600_000;
            v = v.substring(0, v.length() - 1);
        }
        try {
            long n = Long.parseLong(v.trim());
            if (n < 0) {
                throw new IllegalArgumentException("must not be negative");
            }
            return Math.multiplyExact(n, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a duration (examples: 300ms, 30s, 2m, 1h)");
        }
    }

    private static long parseSeconds(String raw) {
        return parseMillis(raw) / 1000;
    }
}
