package io.lightbroker.broker.nats;

import io.lightbroker.broker.auth.NatsPermissions;
import io.lightbroker.broker.auth.NatsUsers;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Settings;
import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.ClientInfo;
import io.lightbroker.broker.core.Faults;
import io.lightbroker.broker.core.OutputLimits;
import io.lightbroker.nats.ConnectOptions;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * What every NATS session shares: the broker, the NATS settings (nats-server's defaults), the
 * server identity announced in INFO, and the credential check.
 */
public final class NatsServerContext {
    /** The nats-server protocol level we match; clients gate features on it. */
    static final String COMPAT_VERSION = "2.9.10";

    final Broker broker;
    final Config config;
    final String serverId;
    final String serverName;
    final String host;
    volatile int port;
    final int maxPayload;
    final int maxControlLine;
    final int maxSubscriptions;
    final int maxConnections;
    final long pingIntervalMillis;
    final int pingMax;
    final long authTimeoutMillis;
    final OutputLimits outputLimits;
    /** Publish-side fault injection (embedded API); inert unless a test arms it. */
    final Faults faults;
    private final String token;
    private final String user;
    private final String password;
    private final NatsUsers users;
    volatile boolean lameDuck;

    /** TLS for every connection (nats-tls), begun right after INFO; null when off. */
    final SslContext tls;
    final boolean tlsVerify;

    public NatsServerContext(Broker broker, Config config, String serverId, Faults faults, SslContext tls) {
        this.broker = broker;
        this.tls = tls;
        this.tlsVerify = tls != null && config.get(Settings.NATS_TLS_VERIFY);
        this.faults = faults;
        this.serverId = serverId;
        this.config = config;
        this.serverName = config.get(Settings.SERVER_NAME);
        this.host = config.get(Settings.BIND);
        this.maxPayload = (int) Math.min(Integer.MAX_VALUE, config.get(Settings.NATS_MAX_PAYLOAD));
        this.maxControlLine = config.get(Settings.NATS_MAX_CONTROL_LINE);
        this.maxSubscriptions = config.get(Settings.NATS_MAX_SUBSCRIPTIONS);
        this.maxConnections = config.get(Settings.NATS_MAX_CONNECTIONS);
        this.pingIntervalMillis = config.get(Settings.NATS_PING_INTERVAL);
        this.pingMax = config.get(Settings.NATS_PING_MAX);
        this.authTimeoutMillis = config.get(Settings.NATS_AUTH_TIMEOUT);
        this.outputLimits = new OutputLimits(config.get(Settings.NATS_MAX_PENDING), 0, 0);
        this.token = emptyToNull(config.get(Settings.NATS_AUTH_TOKEN));
        this.user = emptyToNull(config.get(Settings.NATS_USER));
        this.password = emptyToNull(config.get(Settings.NATS_PASSWORD));
        this.users = config.get(Settings.NATS_USERS);
    }

    public void port(int port) {
        this.port = port;
    }

    /**
     * Lame-duck mode, as nats-server enters it on a drain: every connected NATS client gets an
     * INFO with {@code ldm: true} (clients then reconnect elsewhere), as does any later INFO.
     */
    public void enterLameDuckMode() {
        lameDuck = true;
        for (ClientInfo c : broker.clients().all()) {
            if (c instanceof NatsSession s) {
                s.announceLameDuck();
            }
        }
    }

    boolean authRequired() {
        return token != null || user != null || !users.isEmpty();
    }

    /**
     * Token, single user and password, or the users list, as configured; plain secrets compared in
     * constant time. Returns the permissions the client gets, or null when it is not authorized.
     */
    NatsPermissions authorize(ConnectOptions o) {
        if (token != null) {
            return equal(token, o.authToken()) ? NatsPermissions.ALL : null;
        }
        if (user != null) {
            return equal(user, o.user()) && equal(password == null ? "" : password, o.pass() == null ? "" : o.pass())
                    ? NatsPermissions.ALL : null;
        }
        if (!users.isEmpty()) {
            NatsUsers.User u = users.authenticate(o.user(), o.pass());
            return u == null ? null : u.permissions();
        }
        return NatsPermissions.ALL;
    }

    /** Whether {@link #authorize} would be slow (an uncached bcrypt check) and belongs off the event loop. */
    boolean slowToAuthorize(ConnectOptions o) {
        return token == null && user == null && !users.isEmpty() && !users.isQuick(o.user(), o.pass());
    }

    private static boolean equal(String expected, String given) {
        if (given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    /** The INFO JSON, fields in nats-server's order. */
    String info(long clientId, String clientIp, boolean ldm) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"server_id\":\"").append(serverId)
                .append("\",\"server_name\":\"").append(escape(serverName))
                .append("\",\"version\":\"").append(COMPAT_VERSION)
                .append("\",\"proto\":1")
                .append(",\"java\":\"").append(escape(System.getProperty("java.version")))
                .append("\",\"host\":\"").append(escape(host))
                .append("\",\"port\":").append(port)
                .append(",\"headers\":true");
        if (authRequired()) {
            sb.append(",\"auth_required\":true");
        }
        if (tls != null) {
            sb.append(",\"tls_required\":true");
            if (tlsVerify) {
                sb.append(",\"tls_verify\":true");
            }
        }
        sb.append(",\"max_payload\":").append(maxPayload)
                .append(",\"client_id\":").append(clientId)
                .append(",\"client_ip\":\"").append(escape(clientIp)).append('"');
        if (ldm) {
            sb.append(",\"ldm\":true");
        }
        return sb.append('}').toString();
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
