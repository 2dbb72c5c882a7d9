package io.lightbroker.nats;

import java.time.Duration;

/**
 * Limits and defaults of the NATS client protocol, with the values of nats-server 2.9's
 * {@code server/const.go}. The broker's configuration table takes its defaults from here.
 */
public final class NatsLimits {

    /** Protocol version announced in INFO ({@code proto}); clients may send 0 or 1 in CONNECT. */
    public static final int PROTOCOL_VERSION = 1;
    public static final int DEFAULT_PORT = 4222;
    /** Longest control line argument accepted, in bytes. */
    public static final int MAX_CONTROL_LINE_SIZE = 4096;
    /** Largest PUB/HPUB total size accepted by default. */
    public static final int MAX_PAYLOAD_SIZE = 1024 * 1024;
    /** nats-server warns when max_payload is configured above this. */
    public static final int MAX_PAYLOAD_MAX_SIZE = 8 * 1024 * 1024;
    /** Outbound bytes a client may have pending before it is a slow consumer. */
    public static final long MAX_PENDING_SIZE = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_CONNECTIONS = 64 * 1024;
    /** Passed as max_payload to turn the payload check off (nats-server's {@code jwt.NoLimit}). */
    public static final int NO_LIMIT = -1;
    public static final Duration AUTH_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofMinutes(2);
    public static final int DEFAULT_PING_MAX_OUT = 2;
    public static final Duration DEFAULT_FLUSH_DEADLINE = Duration.ofSeconds(10);
    public static final Duration DEFAULT_LAME_DUCK_DURATION = Duration.ofMinutes(2);
    /** Longest size field nats-server parses: nine decimal digits; a tenth digit is a bad size. */
    public static final int MAX_SIZE_DIGITS = 9;

    private NatsLimits() {
    }
}
