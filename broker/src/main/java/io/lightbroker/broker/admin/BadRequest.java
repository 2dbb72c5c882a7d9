package io.lightbroker.broker.admin;

/** A query parameter the endpoint cannot use; answered 400 with the message as plain text, as nats-server does. */
final class BadRequest extends RuntimeException {
    BadRequest(String message) {
        super(message, null, false, false);
    }
}
