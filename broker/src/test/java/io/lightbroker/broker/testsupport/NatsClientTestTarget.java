package io.lightbroker.broker.testsupport;

/**
 * The server the jnats real-client tests run against: the embedded lightbroker by default, or with
 * {@code -Dnats.clients.target=nats-server} a real nats-server, to show that a client test's own
 * expectations hold on the real server before it is used to judge lightbroker. Same design as the
 * RESP side's {@code ClientTestTarget}.
 */
public final class NatsClientTestTarget {

    public static final boolean REAL_NATS_SERVER = "nats-server".equals(System.getProperty("nats.clients.target", "lightbroker"));

    private NatsClientTestTarget() {}

    public static NatsTarget start() {
        return start(NatsServerOptions.none());
    }

    public static NatsTarget start(NatsServerOptions options) {
        return REAL_NATS_SERVER ? NatsServerProcess.start(options) : EmbeddedNatsBroker.start(options);
    }

    /** Starts a fresh server on a port a previous one used; clients that reconnect find it there. */
    public static NatsTarget startOnPort(int port) {
        return REAL_NATS_SERVER
                ? NatsServerProcess.startOnPort(port, NatsServerOptions.none())
                : EmbeddedNatsBroker.startOnPort(port, NatsServerOptions.none());
    }
}
