package io.lightbroker.broker.testsupport;

/**
 * A running RESP server that tests can open raw connections to: a real redis-server process or an
 * embedded lightbroker. Closing it stops the server and releases its port.
 */
public interface RespTarget extends AutoCloseable {

    /** Human-readable identity used in failure messages, e.g. {@code redis-server 7.0.15 on 127.0.0.1:40123}. */
    String description();

    String host();

    int port();

    @Override
    void close();
}
