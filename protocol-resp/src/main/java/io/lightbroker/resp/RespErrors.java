package io.lightbroker.resp;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Error texts exactly as redis-server 7.0 sends them, without the leading '-' and the CRLF.
 * Each was checked against a running 7.0.15 with raw requests; the request that shows a text is noted
 * where the text has a quirk.
 *
 * <p>Redis adds the "ERR " code to messages that lack one, so the constants here carry it. Every
 * formatted error passes through Redis's {@code addReplyErrorFormat}, which turns '\r' and '\n' into
 * spaces, and its {@code %s}/{@code %.128s} conversions stop at a NUL byte; the helpers do the same.
 * Bytes above 0x7f are kept as chars U+0080..U+00FF, which {@link RespWriter#error} writes back as the
 * original bytes.
 */
public final class RespErrors {

    private RespErrors() {
    }

    // Protocol errors: Redis replies and closes the connection.
    public static final String PROTOCOL_INVALID_MULTIBULK_LENGTH = "ERR Protocol error: invalid multibulk length";
    public static final String PROTOCOL_INVALID_BULK_LENGTH = "ERR Protocol error: invalid bulk length";
    public static final String PROTOCOL_TOO_BIG_INLINE_REQUEST = "ERR Protocol error: too big inline request";
    public static final String PROTOCOL_TOO_BIG_MBULK_COUNT = "ERR Protocol error: too big mbulk count string";
    public static final String PROTOCOL_TOO_BIG_BULK_COUNT = "ERR Protocol error: too big bulk count string";
    public static final String PROTOCOL_UNBALANCED_QUOTES = "ERR Protocol error: unbalanced quotes in request";
    public static final String PROTOCOL_UNAUTHENTICATED_MULTIBULK_LENGTH =
            "ERR Protocol error: unauthenticated multibulk length";
    public static final String PROTOCOL_UNAUTHENTICATED_BULK_LENGTH = "ERR Protocol error: unauthenticated bulk length";

    // Authentication.
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    /** Redis 7.0's ACL refusal of a channel given to (S|P)SUBSCRIBE or (S)PUBLISH. */
    public static final String NOPERM_CHANNEL = "NOPERM this user has no permissions to access one of the channels used as arguments";
    public static final String AUTH_WITHOUT_PASSWORD_CONFIGURED =
            "ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?";

    // HELLO.
    public static final String NOPROTO = "NOPROTO unsupported protocol version";
    public static final String HELLO_PROTOCOL_VERSION_NOT_INTEGER =
            "ERR Protocol version is not an integer or out of range";

    // Generic argument errors.
    public static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
    public static final String SYNTAX_ERROR = "ERR syntax error";
    public static final String DB_INDEX_OUT_OF_RANGE = "ERR DB index is out of range";
    public static final String INVALID_CLIENT_NAME =
            "ERR Client names cannot contain spaces, newlines or special characters.";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";

    // Connections and clients.
    public static final String MAX_CLIENTS = "ERR max number of clients reached";
    /** Redis 7.0's wording (7.2 added {@code <proto>} after HELLO). */
    public static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and "
            + "select the RESP protocol version at the same time";
    public static final String INVALID_CLIENT_ID = "ERR Invalid client ID";
    public static final String CLIENT_ID_NOT_POSITIVE = "ERR client-id should be greater than 0";
    public static final String NO_SUCH_CLIENT = "ERR No such client";

    /**
     * Redis 7.0's addReplySubcommandSyntaxError, for container subcommands that check their own
     * argument count: {@code PUBSUB CHANNELS a b} gives
     * {@code ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.}
     * (the subcommand as sent, the command upper-cased).
     */
    public static String subcommandSyntax(String subcommandAsSent, String command) {
        return sanitize("ERR unknown subcommand or wrong number of arguments for '" + subcommandAsSent + "'. Try "
                + command.toUpperCase(Locale.ROOT) + " HELP.");
    }

    /** {@code CLIENT LIST TYPE foo} gives {@code ERR Unknown client type 'foo'}. */
    public static String unknownClientType(String type) {
        return sanitize("ERR Unknown client type '" + type + "'");
    }

    /** CLIENT SETINFO (Redis 7.2) with a value holding spaces or control characters. */
    public static String clientSetinfoInvalid(String attribute) {
        return sanitize("ERR " + attribute + " cannot contain spaces, newlines or special characters.");
    }

    /** CLIENT SETINFO (Redis 7.2) with an attribute other than LIB-NAME or LIB-VER. */
    public static String clientSetinfoUnknownAttr(String attribute) {
        return sanitize("ERR Unrecognized option '" + attribute + "'");
    }

    /** Redis's {@code %.128s} of a command name or argument in error texts. */
    private static final int ARG_PRINT_LIMIT = 128;

    /** {@code *1\r\n+4\r\n} gives {@code expected '$', got '+'}; a '\r' there prints as a space. */
    public static String protocolExpectedDollar(byte got) {
        return sanitize("ERR Protocol error: expected '$', got '" + (char) (got & 0xff) + "'");
    }

    /**
     * {@code FOO a b} gives {@code ERR unknown command 'FOO', with args beginning with: 'a' 'b' } with the
     * trailing space; {@code foo} alone gives {@code ...with args beginning with: }. The name is cut at
     * 128 bytes; arguments are quoted and appended while the list is shorter than 128 bytes, each cut so
     * the list's quoted text stays within 128 bytes counting quotes and separators already written.
     */
    public static String unknownCommand(RespArgs args) {
        StringBuilder sb = new StringBuilder(64).append("ERR unknown command '");
        appendCString(sb, args.bytes(0), ARG_PRINT_LIMIT);
        sb.append("', with args beginning with: ");
        int listStart = sb.length();
        for (int i = 1; i < args.count() && sb.length() - listStart < ARG_PRINT_LIMIT; i++) {
            sb.append('\'');
            appendCString(sb, args.bytes(i), ARG_PRINT_LIMIT - (sb.length() - 1 - listStart));
            sb.append("' ");
        }
        return sanitize(sb.toString());
    }

    /**
     * A known container command with an unknown subcommand: {@code config foo} gives
     * {@code ERR unknown subcommand 'foo'. Try CONFIG HELP.}; the subcommand is printed as sent (cut at
     * 128 bytes), the command upper-cased.
     */
    public static String unknownSubcommand(RespArgs args) {
        StringBuilder sb = new StringBuilder(64).append("ERR unknown subcommand '");
        appendCString(sb, args.bytes(1), ARG_PRINT_LIMIT);
        sb.append("'. Try ");
        int commandStart = sb.length();
        appendCString(sb, args.bytes(0), Integer.MAX_VALUE);
        for (int i = commandStart; i < sb.length(); i++) {
            char c = sb.charAt(i);
            if (c >= 'a' && c <= 'z') {
                sb.setCharAt(i, (char) (c - ('a' - 'A')));
            }
        }
        return sanitize(sb.append(" HELP.").toString());
    }

    /**
     * Wrong arity. Redis 7.0 prints the command table's lower-case full name whatever the client typed:
     * {@code GET} gives {@code 'get'}, {@code CONFIG GET} gives {@code 'config|get'}.
     */
    public static String wrongArity(String fullName) {
        return "ERR wrong number of arguments for '" + fullName.toLowerCase(Locale.ROOT) + "' command";
    }

    public static String wrongArity(String container, String subcommand) {
        return wrongArity(container + "|" + subcommand);
    }

    /** A RESP2 client in subscribed mode ran something else; RESP3 clients are not restricted. */
    public static String subscribedContext(String fullName) {
        return "ERR Can't execute '" + fullName.toLowerCase(Locale.ROOT)
                + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context";
    }

    /**
     * Redis 7.0's ACL refusal of a command: a user without {@code +@all} running {@code PING} gets
     * {@code NOPERM this user has no permissions to run the 'ping' command} (full name, lower case).
     */
    public static String nopermCommand(String fullName) {
        return "NOPERM this user has no permissions to run the '" + fullName.toLowerCase(Locale.ROOT) + "' command";
    }

    /**
     * Not a Redis text: Redis has no per-client subscription limit. Lightbroker's resp-max-subscriptions
     * refuses the whole command with this error, in Redis's style; nothing of it is subscribed.
     */
    public static final String MAX_SUBSCRIPTIONS = "ERR max number of subscriptions per client reached";

    /** {@code CLIENT KILL USER nobody} gives {@code ERR No such user 'nobody'}. */
    public static String noSuchUser(String user) {
        return sanitize("ERR No such user '" + user + "'");
    }

    /** {@code HELLO 3 FOO} gives {@code ERR Syntax error in HELLO option 'FOO'}. */
    public static String helloSyntax(byte[] option) {
        StringBuilder sb = new StringBuilder("ERR Syntax error in HELLO option '");
        appendCString(sb, option, Integer.MAX_VALUE);
        return sanitize(sb.append('\'').toString());
    }

    /** Formats like Redis's {@code %s}: raw bytes as ISO-8859-1 chars, CR and LF as spaces. */
    public static String sanitize(String message) {
        if (message.indexOf('\r') < 0 && message.indexOf('\n') < 0) {
            return message;
        }
        return message.replace('\r', ' ').replace('\n', ' ');
    }

    /** Appends like C's {@code %.Ns}: at most {@code limit} bytes, stopping at a NUL. Returns the count. */
    private static int appendCString(StringBuilder sb, byte[] bytes, int limit) {
        int n = 0;
        while (n < bytes.length && n < limit && bytes[n] != 0) {
            n++;
        }
        sb.append(new String(bytes, 0, n, StandardCharsets.ISO_8859_1));
        return n;
    }
}
