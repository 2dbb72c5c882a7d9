package io.lightbroker.broker.testsupport;

import java.util.List;

/**
 * The server the real-client tests run against: the embedded lightbroker by default, or with
 * {@code -Dclients.target=redis-server} a real redis-server, to show that a client test's own
 * expectations match real Redis before it is used to judge lightbroker.
 */
public final class ClientTestTarget {

    public static final boolean REAL_REDIS = "redis-server".equals(System.getProperty("clients.target", "lightbroker"));

    private ClientTestTarget() {}

    public static RespTarget start() {
        return REAL_REDIS ? RedisServerProcess.start(List.of()) : EmbeddedLightBroker.start(List.of());
    }

    /** Starts a fresh server on a port a previous one used; clients that reconnect find it there. */
    public static RespTarget startOnPort(int port) {
        return REAL_REDIS ? RedisServerProcess.startOnPort(port, List.of()) : EmbeddedLightBroker.startOnPort(port, List.of());
    }
}
