package io.lightbroker.nats;

/**
 * A client protocol violation, carrying what nats-server does about it: the {@code -ERR} text it
 * sends (or none) and whether it then closes the connection.
 *
 * <p>nats-server answers some violations with no error line at all: argument errors in PUB, HPUB,
 * SUB and UNSUB, a CONNECT whose JSON does not decode, an HPUB before headers were negotiated and a
 * {@code -ERR} sent by the client all close the connection silently. For those
 * {@link #errorText()} is null and {@link #getMessage()} describes the violation for the log.
 */
public final class NatsProtocolException extends Exception {

    private static final long serialVersionUID = 1L;

    private final String errorText;
    private final boolean closesConnection;

    private NatsProtocolException(String errorText, String detail, boolean closesConnection) {
        super(errorText != null ? errorText : detail, null, false, false);
        this.errorText = errorText;
        this.closesConnection = closesConnection;
    }

    /** The client is sent {@code -ERR 'text'} and the connection is closed. */
    public static NatsProtocolException errAndClose(String text) {
        return new NatsProtocolException(text, null, true);
    }

    /** The client is sent {@code -ERR 'text'} and the connection stays open. */
    public static NatsProtocolException errAndContinue(String text) {
        return new NatsProtocolException(text, null, false);
    }

    /** The connection is closed with nothing sent; {@code detail} is for the log only. */
    public static NatsProtocolException silentClose(String detail) {
        return new NatsProtocolException(null, detail, true);
    }

    /** The text to send between the quotes of {@code -ERR '...'}, or null when nothing is sent. */
    public String errorText() {
        return errorText;
    }

    public boolean sendsError() {
        return errorText != null;
    }

    public boolean closesConnection() {
        return closesConnection;
    }
}
