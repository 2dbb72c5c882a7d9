package io.lightbroker.broker.server;

import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Settings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the admin API listens, and a loud warning when it is reachable beyond loopback without a
 * token. The defaults ({@code bind 127.0.0.1}, {@code admin-bind} empty) expose nothing beyond
 * loopback; an image or deployment that binds {@code 0.0.0.0} for clients should set
 * {@code admin-token} or {@code admin-bind 127.0.0.1}. Not an error: probes reach /healthz and
 * /readyz, which need no token, over the pod address.
 */
final class AdminExposure {
    private static final Logger LOG = LoggerFactory.getLogger(AdminExposure.class);

    private AdminExposure() {}

    static String host(Config config) {
        String adminBind = config.get(Settings.ADMIN_BIND);
        return adminBind == null || adminBind.isBlank() ? config.get(Settings.BIND) : adminBind.strip();
    }

    static void warnIfOpen(Config config, String host) {
        if (!config.get(Settings.ADMIN_TOKEN).isEmpty() || isLoopback(host)) {
            return;
        }
        LOG.warn("the admin API listens on {} without admin-token: anyone who can reach it can list and kill clients; "
                + "set admin-token, or admin-bind 127.0.0.1 (see docs/security.md)", host);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
