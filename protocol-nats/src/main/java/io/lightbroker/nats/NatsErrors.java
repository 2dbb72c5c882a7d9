package io.lightbroker.nats;

/**
 * The exact error texts nats-server 2.9 sends to clients, in one place.
 *
 * <p>Each constant is the text between the quotes of an {@code -ERR '...'} line: nats-server formats
 * every error as {@code -ERR '%s'\r\n}, and {@link NatsEncoder#err} adds the quotes. Casing varies
 * because nats-server sends some texts as literals ({@code 'Unknown Protocol Operation'}) and others
 * as the text of a Go {@code error} value ({@code 'maximum control line exceeded'}); both were
 * checked byte for byte against a running nats-server 2.9.10.
 *
 * <p>Texts nats-server does not send: a slow consumer is closed with no {@code -ERR} at all, and so
 * are the argument errors of PUB, HPUB, SUB, UNSUB and a CONNECT whose JSON does not decode (see
 * {@link NatsProtocolException#silentClose}).
 */
public final class NatsErrors {

    /** Any byte the parser cannot place; closes the connection. */
    public static final String UNKNOWN_PROTOCOL_OPERATION = "Unknown Protocol Operation";
    /** PUB/HPUB size above max_payload, sent before the payload is read; closes the connection. */
    public static final String MAXIMUM_PAYLOAD_VIOLATION = "Maximum Payload Violation";
    /** Lower case: nats-server sends the text of its Go error value here; closes the connection. */
    public static final String MAXIMUM_CONTROL_LINE_EXCEEDED = "maximum control line exceeded";
    /** SUB subject rejected by the subscription index; the connection stays open. */
    public static final String INVALID_SUBJECT = "Invalid Subject";
    /** PUB/HPUB to a wildcard or malformed subject in pedantic mode; the connection stays open. */
    public static final String INVALID_PUBLISH_SUBJECT = "Invalid Publish Subject";
    /** Failed authentication, or a first operation other than CONNECT when auth is required; closes. */
    public static final String AUTHORIZATION_VIOLATION = "Authorization Violation";
    /** No CONNECT within the auth timeout; closes. */
    public static final String AUTHENTICATION_TIMEOUT = "Authentication Timeout";
    /** Too many outstanding server PINGs; closes. */
    public static final String STALE_CONNECTION = "Stale Connection";
    /** Lower case, a Go error value; closes. */
    public static final String MAXIMUM_CONNECTIONS_EXCEEDED = "maximum connections exceeded";
    /** Lower case, a Go error value; the connection stays open, the SUB is dropped. */
    public static final String MAXIMUM_SUBSCRIPTIONS_EXCEEDED = "maximum subscriptions exceeded";
    /** CONNECT with {@code protocol} outside 0..1; closes. */
    public static final String INVALID_CLIENT_PROTOCOL = "invalid client protocol";
    /** CONNECT with {@code no_responders} but without {@code headers}; closes. */
    public static final String NO_RESPONDERS_REQUIRES_HEADERS = "no responders requires headers support";
    /** Plain-text client on a TLS-only listener; closes. */
    public static final String SECURE_CONNECTION_TLS_REQUIRED = "Secure Connection - TLS Required";

    private static final String PUBLISH_VIOLATION = "Permissions Violation for Publish to ";
    private static final String PUBLISH_REPLY_VIOLATION = "Permissions Violation for Publish with Reply of ";
    private static final String SUBSCRIPTION_VIOLATION = "Permissions Violation for Subscription to ";

    private NatsErrors() {
    }

    /** {@code Permissions Violation for Publish to "subject"}, quoted as Go's {@code %q} quotes. */
    public static String publishPermissionViolation(String subject) {
        return PUBLISH_VIOLATION + goQuote(subject);
    }

    /** {@code Permissions Violation for Publish with Reply of "reply"}. */
    public static String publishReplyPermissionViolation(String reply) {
        return PUBLISH_REPLY_VIOLATION + goQuote(reply);
    }

    /**
     * {@code Permissions Violation for Subscription to "subject"}, or with
     * {@code using queue "q"} appended for a queue subscription ({@code queue} null otherwise).
     */
    public static String subscriptionPermissionViolation(String subject, String queue) {
        String text = SUBSCRIPTION_VIOLATION + goQuote(subject);
        return queue == null ? text : text + " using queue " + goQuote(queue);
    }

    /**
     * Go's {@code %q} for the strings that can occur in a subject: printable characters stay, quote
     * and backslash are escaped, control characters use Go's short escapes or {@code \xNN}.
     */
    static String goQuote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 0x07 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x0b -> sb.append("\\v");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        sb.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
