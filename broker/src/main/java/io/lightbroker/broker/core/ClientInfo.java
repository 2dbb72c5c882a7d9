package io.lightbroker.broker.core;

/**
 * What the admin API and metrics may read of a connection of any protocol. Values are read
 * from other threads without locks: each is a single field, possibly a moment stale.
 */
public interface ClientInfo {
    long clientId();

    /** {@code resp} or {@code nats}. */
    String protocol();

    /** Client name (CLIENT SETNAME / CONNECT name), or null. */
    String name();

    String remoteAddress();

    long startMillis();

    long lastActivityMillis();

    int subscriptionCount();

    long pendingBytes();

    long msgsIn();

    long bytesIn();

    long msgsOut();

    long bytesOut();

    /** Closes the connection from any thread. */
    void kill();
}
