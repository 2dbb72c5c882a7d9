package io.lightbroker.broker.testsupport;

import io.lightbroker.broker.server.LightBroker;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Server options that mean the same thing to nats-server and to lightbroker, so one list drives
 * both servers of a differential test. Keys are nats-server configuration names; each renders as a
 * line of a nats-server configuration file and as a lightbroker setting:
 *
 * <pre>
 * key                nats-server config file              lightbroker setting
 * auth_token t       authorization { token: "t" }         nats-auth-token t
 * user u             authorization { user: "u" }          nats-user u
 * password p         authorization { password: "p" }      nats-password p
 * auth_timeout 0.5   authorization { timeout: 0.5 }       nats-auth-timeout 500ms   (seconds, may be fractional)
 * max_payload 1024   max_payload: 1024                    nats-max-payload 1024
 * max_control_line   max_control_line: N                  nats-max-control-line N
 * max_subscriptions  max_subscriptions: N                 nats-max-subscriptions N
 * max_pending        max_pending: N                       nats-max-pending N
 * max_connections    max_connections: N                   nats-max-connections N
 * ping_interval 300ms ping_interval: "300ms"              nats-ping-interval 300ms
 * ping_max 2         ping_max: 2                          nats-ping-max 2
 * users [json]       authorization { users: [json] }      nats-users [json]   (the JSON array as written)
 * tls_cert F         tls { cert_file: F }                 nats-tls true, tls-cert-file F
 * tls_key F          tls { key_file: F }                  tls-key-file F
 * tls_ca F           tls { ca_file: F }                   tls-ca-cert-file F
 * tls_verify true    tls { verify: true }                 nats-tls-verify true
 * </pre>
 */
public final class NatsServerOptions {

    private static final Map<String, String> LIGHTBROKER_SETTING = Map.ofEntries(
            Map.entry("auth_token", "nats-auth-token"),
            Map.entry("user", "nats-user"),
            Map.entry("password", "nats-password"),
            Map.entry("auth_timeout", "nats-auth-timeout"),
            Map.entry("max_payload", "nats-max-payload"),
            Map.entry("max_control_line", "nats-max-control-line"),
            Map.entry("max_subscriptions", "nats-max-subscriptions"),
            Map.entry("max_pending", "nats-max-pending"),
            Map.entry("max_connections", "nats-max-connections"),
            Map.entry("ping_interval", "nats-ping-interval"),
            Map.entry("ping_max", "nats-ping-max"),
            Map.entry("users", "nats-users"),
            Map.entry("tls_cert", "tls-cert-file"),
            Map.entry("tls_key", "tls-key-file"),
            Map.entry("tls_ca", "tls-ca-cert-file"),
            Map.entry("tls_verify", "nats-tls-verify"));

    private final Map<String, String> options;

    private NatsServerOptions(Map<String, String> options) {
        this.options = options;
    }

    public static NatsServerOptions none() {
        return new NatsServerOptions(Map.of());
    }

    /** {@code of("max_payload", "1024", "ping_max", "2")}: key/value pairs. */
    public static NatsServerOptions of(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("key/value pairs expected");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return of(m);
    }

    public static NatsServerOptions of(Map<String, String> options) {
        for (String key : options.keySet()) {
            if (!LIGHTBROKER_SETTING.containsKey(key)) {
                throw new IllegalArgumentException("unknown NATS option '" + key + "'; known: " + LIGHTBROKER_SETTING.keySet());
            }
        }
        return new NatsServerOptions(java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options)));
    }

    public boolean isEmpty() {
        return options.isEmpty();
    }

    /** The options as a nats-server configuration file. */
    public String natsServerConfig() {
        StringBuilder top = new StringBuilder();
        List<String> authorization = new ArrayList<>();
        List<String> tls = new ArrayList<>();
        options.forEach((key, value) -> {
            switch (key) {
                case "tls_cert" -> tls.add("cert_file: " + quote(value));
                case "tls_key" -> tls.add("key_file: " + quote(value));
                case "tls_ca" -> tls.add("ca_file: " + quote(value));
                case "tls_verify" -> tls.add("verify: " + Boolean.parseBoolean(value));
                case "auth_token" -> authorization.add("token: " + quote(value));
                case "user" -> authorization.add("user: " + quote(value));
                case "password" -> authorization.add("password: " + quote(value));
                // nats-server's configuration syntax reads JSON, so the users array goes in as written.
                case "users" -> authorization.add("users: " + value);
                case "auth_timeout" -> authorization.add("timeout: " + new BigDecimal(value).toPlainString());
                case "ping_interval" -> top.append("ping_interval: ").append(quote(value)).append('\n');
                default -> top.append(key).append(": ").append(Long.parseLong(value)).append('\n');
            }
        });
        if (!authorization.isEmpty()) {
            top.append("authorization {\n");
            authorization.forEach(line -> top.append("  ").append(line).append('\n'));
            top.append("}\n");
        }
        if (!tls.isEmpty()) {
            top.append("tls {\n");
            tls.forEach(line -> top.append("  ").append(line).append('\n'));
            top.append("}\n");
        }
        return top.toString();
    }

    /** The options as lightbroker settings on an embedded broker's builder. */
    public LightBroker.Builder applyTo(LightBroker.Builder builder) {
        options.forEach((key, value) -> {
            String v = key.equals("auth_timeout")
                    ? new BigDecimal(value).movePointRight(3).toBigIntegerExact() + "ms"
                    : value;
            builder.setting(LIGHTBROKER_SETTING.get(key), v);
            if (key.equals("tls_cert")) {
                builder.setting("nats-tls", "true");
            }
        });
        return builder;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public String toString() {
        return options.toString();
    }
}
