package io.lightbroker.broker.cli;

import java.io.IOException;

/** The server answered with an error ({@code -ERR ...} or a RESP error) or something unexpected. */
final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    ProtocolException(String message) {
        super(message);
    }
}
