package io.lightbroker.broker.testsupport;

import io.lightbroker.broker.Version;
import io.lightbroker.broker.server.LightBroker;

/**
 * An embedded lightbroker with its NATS listener on as a {@link NatsTarget}, configured from the
 * same {@link NatsServerOptions} as the nats-server it is compared with. The RESP listener is on too
 * (on a free port), so cross-protocol tests can use the same broker.
 */
public final class EmbeddedNatsBroker implements NatsTarget {

    private final LightBroker broker;

    private EmbeddedNatsBroker(LightBroker broker) {
        this.broker = broker;
    }

    public static EmbeddedNatsBroker start() {
        return start(NatsServerOptions.none());
    }

    public static EmbeddedNatsBroker start(NatsServerOptions options) {
        return startOnPort(0, options);
    }

    /** Port 0 picks a free port; a fixed port lets a test restart the broker where clients reconnect. */
    public static EmbeddedNatsBroker startOnPort(int natsPort, NatsServerOptions options) {
        LightBroker.Builder builder = LightBroker.builder().bind("127.0.0.1").respPort(0).natsPort(natsPort);
        return new EmbeddedNatsBroker(options.applyTo(builder).start());
    }

    public LightBroker broker() {
        return broker;
    }

    @Override
    public String description() {
        return "lightbroker " + Version.VERSION + " on " + host() + ":" + port();
    }

    @Override
    public String host() {
        return "127.0.0.1";
    }

    @Override
    public int port() {
        return broker.natsPort();
    }

    @Override
    public void close() {
        broker.close();
    }
}
