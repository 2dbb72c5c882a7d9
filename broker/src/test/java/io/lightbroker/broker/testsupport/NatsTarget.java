package io.lightbroker.broker.testsupport;

/**
 * A running NATS server that tests open raw connections or clients to: a real nats-server process
 * or an embedded lightbroker. Closing it stops the server and releases its port.
 */
public interface NatsTarget extends AutoCloseable {

    /** Human-readable identity for failure messages, e.g. {@code nats-server 2.9.10 on 127.0.0.1:40123}. */
    String description();

    String host();

    int port();

    default String url() {
        return "nats://" + host() + ":" + port();
    }

    @Override
    void close();
}
