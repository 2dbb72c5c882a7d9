package io.lightbroker.broker.leaf;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One hub URL of a leaf-node remote, as nats-server's {@code leafnodes { remotes [{ urls }] }}
 * takes them: {@code nats-leaf://[user:pass@|token@]host[:port]} (also {@code nats://}, and
 * {@code tls://} for TLS from the first byte after INFO); the port defaults to 7422, nats-server's
 * leaf-node port.
 */
public record LeafRemote(String scheme, String host, int port, String user, String password, String token) {
    public static final int DEFAULT_PORT = 7422;

    public boolean tls() {
        return scheme.equals("tls");
    }

    /** {@code host:port}, for logs and {@code /leafz}: never the credentials. */
    public String address() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    /** The URL with any credentials replaced, for the configuration API and logs. */
    public String redacted() {
        return scheme + "://" + (user != null || token != null ? "[redacted]@" : "") + address();
    }

    public boolean hasCredentials() {
        return user != null || token != null;
    }

    /** This remote with the given credentials when it has none of its own. */
    public LeafRemote withDefaultCredentials(String user, String password, String token) {
        if (hasCredentials()) {
            return this;
        }
        return new LeafRemote(scheme, host, port, emptyToNull(user), emptyToNull(password), emptyToNull(token));
    }

    /** Comma- or whitespace-separated URLs; empty text gives no remotes. */
    public static List<LeafRemote> parseList(String text) {
        List<LeafRemote> out = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (!part.isBlank()) {
                out.add(parse(part.trim()));
            }
        }
        return List.copyOf(out);
    }

    public static LeafRemote parse(String url) {
        URI u;
        try {
            u = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + redactText(url));
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("nats-leaf") && !scheme.equals("nats") && !scheme.equals("tls")) {
            throw new IllegalArgumentException("a leaf remote URL starts with nats-leaf://, nats:// or tls://: " + redactText(url));
        }
        String host = u.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("a leaf remote URL needs a host: " + redactText(url));
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = u.getPort() < 0 ? DEFAULT_PORT : u.getPort();
        String user = null;
        String password = null;
        String token = null;
        String info = u.getRawUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                token = decode(info);
            } else {
                user = decode(info.substring(0, colon));
                password = decode(info.substring(colon + 1));
            }
        }
        return new LeafRemote(scheme, host, port, user, password, token);
    }

    /** {@code scheme://[redacted]@host:port} for text that may not even parse. */
    public static String redactText(String url) {
        int at = url.lastIndexOf('@');
        int slashes = url.indexOf("://");
        if (at < 0 || slashes < 0 || at < slashes) {
            return url;
        }
        return url.substring(0, slashes + 3) + "[redacted]" + url.substring(at);
    }

    /** A list setting's text with every URL's credentials redacted. */
    public static String redactList(String text) {
        List<String> parts = new ArrayList<>();
        for (String part : text.split("[,\\s]+")) {
            if (!part.isBlank()) {
                parts.add(redactText(part.trim()));
            }
        }
        return String.join(",", parts);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    @Override
    public String toString() {
        return redacted();
    }
}
