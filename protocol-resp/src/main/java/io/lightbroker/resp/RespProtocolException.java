package io.lightbroker.resp;

/**
 * Malformed input. {@link #getMessage()} is the exact error text redis-server replies with, without the
 * leading {@code '-'} and the CRLF; Redis sends it and then closes the connection.
 * No stack trace is captured: the message is the whole story and a hostile client can trigger these at will.
 */
public final class RespProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    public RespProtocolException(String redisErrorText) {
        super(redisErrorText, null, false, false);
    }
}
