package io.lightbroker.nats;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;

/**
 * The client options of a CONNECT, decoded the way nats-server decodes them: Go's
 * {@code json.Unmarshal} into a struct that starts out as nats-server's defaults.
 *
 * <p>What that means, each checked against nats-server 2.9.10:
 * <ul>
 *   <li>Defaults are verbose, pedantic and echo <em>on</em>: {@code CONNECT {}} and
 *       {@code CONNECT null} leave them on (and the connection answers +OK).</li>
 *   <li>Keys match case-insensitively ({@code "Verbose":false} works); a repeated key's last value
 *       wins; {@code null} leaves a field unchanged; unknown keys are skipped but must be valid JSON.</li>
 *   <li>A value of the wrong type ({@code "verbose":"yes"}, {@code "name":1}, {@code "protocol":1.5},
 *       {@code "protocol":1e2}), invalid JSON, a top-level array/string/number, or anything after the
 *       object all fail the CONNECT: nats-server closes the connection without an {@code -ERR}
 *       ({@link NatsProtocolException#silentClose}).</li>
 *   <li>{@code protocol} outside 0..1 and {@code no_responders} without {@code headers} are checked
 *       afterwards by {@link #checkClientRules()}, and do send an {@code -ERR}.</li>
 * </ul>
 *
 * <p>{@link #toString()} redacts {@code pass}, {@code auth_token}, {@code jwt} and {@code sig}.
 */
public record ConnectOptions(
    boolean verbose,
    boolean pedantic,
    boolean echo,
    boolean tlsRequired,
    boolean headers,
    boolean noResponders,
    String name,
    String lang,
    String version,
    long protocol,
    String authToken,
    String user,
    String pass,
    String jwt,
    String nkey,
    String sig,
    String account,
    boolean newAccount) {

    /** What a connection has before (or without) any CONNECT. */
    public static final ConnectOptions DEFAULTS = new ConnectOptions(true, true, true, false, false, false,
        null, null, null, 0, null, null, null, null, null, null, null, false);

    /**
     * Decodes the JSON of a CONNECT.
     *
     * @throws NatsProtocolException a silent close, as nats-server answers a CONNECT it cannot decode
     */
    public static ConnectOptions parse(ByteBuf buf, int index, int length) throws NatsProtocolException {
        try {
            return decode(new NatsJson(buf, index, length));
        } catch (NatsJson.SyntaxException e) {
            throw NatsProtocolException.silentClose("CONNECT: " + e.getMessage());
        }
    }

    public static ConnectOptions parse(String json) throws NatsProtocolException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return parse(Unpooled.wrappedBuffer(bytes), 0, bytes.length);
    }

    private static ConnectOptions decode(NatsJson json) throws NatsJson.SyntaxException {
        Builder b = new Builder();
        if (json.peekKind() == NatsJson.NULL) {
            json.readNull();
            json.expectEnd();
            return b.build();
        }
        if (json.peekKind() != NatsJson.OBJECT) {
            throw new NatsJson.SyntaxException("cannot unmarshal non-object into ClientOpts");
        }
        if (json.beginObject()) {
            do {
                String key = json.readKey();
                if (json.peekKind() == NatsJson.NULL) {
                    json.readNull();
                } else {
                    b.set(key, json);
                }
            } while (json.afterMember());
        }
        json.expectEnd();
        return b.build();
    }

    /**
     * nats-server's checks after decoding a client's CONNECT, in its order, assuming the server
     * supports headers: {@code 'invalid client protocol'}, then
     * {@code 'no responders requires headers support'}; both close the connection.
     */
    public void checkClientRules() throws NatsProtocolException {
        if (protocol < 0 || protocol > NatsLimits.PROTOCOL_VERSION) {
            throw NatsProtocolException.errAndClose(NatsErrors.INVALID_CLIENT_PROTOCOL);
        }
        if (noResponders && !headers) {
            throw NatsProtocolException.errAndClose(NatsErrors.NO_RESPONDERS_REQUIRES_HEADERS);
        }
    }

    @Override
    public String toString() {
        return "ConnectOptions[verbose=" + verbose + ", pedantic=" + pedantic + ", echo=" + echo
            + ", tlsRequired=" + tlsRequired + ", headers=" + headers + ", noResponders=" + noResponders
            + ", name=" + name + ", lang=" + lang + ", version=" + version + ", protocol=" + protocol
            + ", authToken=" + redact(authToken) + ", user=" + user + ", pass=" + redact(pass)
            + ", jwt=" + redact(jwt) + ", nkey=" + nkey + ", sig=" + redact(sig)
            + ", account=" + account + ", newAccount=" + newAccount + "]";
    }

    private static String redact(String secret) {
        return secret == null ? null : "[REDACTED]";
    }

    private static final class Builder {
        boolean verbose = true;
        boolean pedantic = true;
        boolean echo = true;
        boolean tlsRequired;
        boolean headers;
        boolean noResponders;
        boolean newAccount;
        String name;
        String lang;
        String version;
        long protocol;
        String authToken;
        String user;
        String pass;
        String jwt;
        String nkey;
        String sig;
        String account;

        void set(String key, NatsJson json) throws NatsJson.SyntaxException {
            switch (key.toLowerCase(java.util.Locale.ROOT)) {
                case "verbose" -> verbose = json.readBoolean();
                case "pedantic" -> pedantic = json.readBoolean();
                case "echo" -> echo = json.readBoolean();
                case "tls_required" -> tlsRequired = json.readBoolean();
                case "headers" -> headers = json.readBoolean();
                case "no_responders" -> noResponders = json.readBoolean();
                case "new_account" -> newAccount = json.readBoolean();
                case "name" -> name = string(json);
                case "lang" -> lang = string(json);
                case "version" -> version = string(json);
                case "auth_token" -> authToken = string(json);
                case "user" -> user = string(json);
                case "pass" -> pass = string(json);
                case "jwt" -> jwt = string(json);
                case "nkey" -> nkey = string(json);
                case "sig" -> sig = string(json);
                case "account" -> account = string(json);
                case "protocol" -> protocol = json.readInteger();
                case "import", "export" -> {
                    if (json.peekKind() != NatsJson.OBJECT) {
                        throw new NatsJson.SyntaxException("cannot unmarshal into SubjectPermission");
                    }
                    json.skipValue();
                }
                default -> json.skipValue();
            }
        }

        private static String string(NatsJson json) throws NatsJson.SyntaxException {
            if (json.peekKind() != NatsJson.STRING) {
                throw new NatsJson.SyntaxException("cannot unmarshal into string");
            }
            return json.readString();
        }

        ConnectOptions build() {
            return new ConnectOptions(verbose, pedantic, echo, tlsRequired, headers, noResponders, name, lang,
                version, protocol, authToken, user, pass, jwt, nkey, sig, account, newAccount);
        }
    }
}
