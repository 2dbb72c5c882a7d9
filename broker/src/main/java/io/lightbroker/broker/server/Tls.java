package io.lightbroker.broker.server;

import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.ConfigException;
import io.lightbroker.broker.config.Settings;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.File;
import javax.net.ssl.SSLException;

/**
 * Server TLS contexts from the PEM files in the configuration, one per protocol because each
 * follows its own real server on client certificates: Redis's {@code tls-auth-clients} (default
 * yes) on the RESP TLS port, nats-server's {@code verify} (default off) on the NATS port.
 *
 * <p>Built once at start, so an unreadable or mismatched certificate stops the broker with the
 * setting's name (exit status 2) instead of failing each handshake later. The JDK's TLS engine
 * is used: it needs no native library, and TLS costs are outside the fan-out path.
 */
final class Tls {
    private Tls() {}

    /** The RESP TLS port's context, or null when {@code resp-tls-port} is disabled. */
    static SslContext resp(Config config) {
        if (config.get(Settings.RESP_TLS_PORT) < 0) {
            return null;
        }
        ClientAuth auth = switch (config.get(Settings.TLS_AUTH_CLIENTS)) {
            case "yes" -> ClientAuth.REQUIRE;
            case "optional" -> ClientAuth.OPTIONAL;
            default -> ClientAuth.NONE;
        };
        return build(config, auth);
    }

    /** The NATS listener's context, or null when {@code nats-tls} is off. */
    static SslContext nats(Config config) {
        if (!config.get(Settings.NATS_TLS)) {
            return null;
        }
        return build(config, config.get(Settings.NATS_TLS_VERIFY) ? ClientAuth.REQUIRE : ClientAuth.NONE);
    }

    private static SslContext build(Config config, ClientAuth auth) {
        File cert = existing(config, Settings.TLS_CERT_FILE.name(), config.get(Settings.TLS_CERT_FILE));
        File key = existing(config, Settings.TLS_KEY_FILE.name(), config.get(Settings.TLS_KEY_FILE));
        SslContextBuilder b;
        try {
            b = SslContextBuilder.forServer(cert, key);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("cannot use tls-cert-file " + cert + " with tls-key-file " + key + ": " + rootMessage(e));
        }
        String ca = config.get(Settings.TLS_CA_CERT_FILE);
        if (auth != ClientAuth.NONE) {
            b.trustManager(existing(config, Settings.TLS_CA_CERT_FILE.name(), ca));
        }
        b.clientAuth(auth);
        try {
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new ConfigException("cannot set up TLS from tls-cert-file " + cert + ", tls-key-file " + key
                    + (auth != ClientAuth.NONE ? ", tls-ca-cert-file " + ca : "") + ": " + rootMessage(e));
        }
    }

    private static File existing(Config config, String setting, String path) {
        File f = new File(path);
        if (!f.canRead()) {
            throw new ConfigException("cannot read " + setting + " " + path + " (from " + config.value(Settings.byName(setting)).origin() + ")");
        }
        return f;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
