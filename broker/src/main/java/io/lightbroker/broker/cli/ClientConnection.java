package io.lightbroker.broker.cli;

import java.io.Closeable;
import java.io.IOException;

/**
 * What {@code pub} and {@code sub} need from a protocol: a blocking connection over a plain
 * socket, speaking the wire protocol directly (the jar carries no client library).
 */
interface ClientConnection extends Closeable {

    /** A delivered message; {@code pattern} is the matching Redis pattern for a pmessage, else null. */
    record Message(String subject, byte[] payload, String pattern) {}

    static ClientConnection open(Endpoint endpoint, String clientName, int timeoutMillis) throws IOException {
        return switch (endpoint.proto()) {
            case NATS -> NatsConnection.open(endpoint, clientName, timeoutMillis);
            case RESP -> RespConnection.open(endpoint, timeoutMillis);
        };
    }

    /** Sends one message (RESP waits for the reply, NATS only buffers it). */
    void publish(String subject, byte[] payload) throws IOException;

    /** Waits until the server has processed everything sent so far. */
    void flush() throws IOException;

    /** Subscribes and waits until the server confirms the subscription is in place. */
    void subscribe(String subject, String queue, boolean pattern) throws IOException;

    /** Blocks for the next message; null when the server closed the connection. */
    Message next() throws IOException;

    /** Receivers counted by the server's replies since the last call, or -1 when the protocol does not tell. */
    long receivers();
}
