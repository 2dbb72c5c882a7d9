package io.lightbroker.broker.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a {@code pub} or {@code sub} connects and with which credentials: {@code --proto},
 * {@code --url} ({@code nats://host:port}, {@code redis://host:port} or {@code host:port};
 * the port defaults to the protocol's), {@code --user} and {@code --auth-file}.
 *
 * <p>A password in the URL is refused, as the server refuses secret flags: a command line
 * shows in process listings. The secret comes from a file, the way platforms mount them.
 */
record Endpoint(Proto proto, String host, int port, String user, String secret) {

    enum Proto {
        NATS("nats", 4222), RESP("redis", 6379);

        final String scheme;
        final int defaultPort;

        Proto(String scheme, int defaultPort) {
            this.scheme = scheme;
            this.defaultPort = defaultPort;
        }
    }

    static Endpoint from(Args args) {
        String protoName = args.get("proto", null);
        if (protoName == null) {
            throw new UsageException("--proto nats|resp is required");
        }
        Proto proto = switch (protoName) {
            case "nats" -> Proto.NATS;
            case "resp", "redis" -> Proto.RESP;
            default -> throw new UsageException("--proto must be nats or resp, not '" + protoName + "'");
        };
        String url = args.get("url", proto.scheme + "://127.0.0.1:" + proto.defaultPort);
        String rest = url;
        int scheme = url.indexOf("://");
        if (scheme >= 0) {
            String s = url.substring(0, scheme);
            if (!s.equals(proto.scheme) && !(proto == Proto.RESP && s.equals("resp"))) {
                throw new UsageException("--url " + url + " does not match --proto " + protoName);
            }
            rest = url.substring(scheme + 3);
        }
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.contains("@")) {
            throw new UsageException("credentials do not belong in --url (it shows in process listings); use --user and --auth-file");
        }
        String host = rest;
        int port = proto.defaultPort;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0 && rest.indexOf(']') < colon) {
            host = rest.substring(0, colon);
            try {
                port = Integer.parseInt(rest.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new UsageException("bad port in --url " + url);
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty() || port <= 0 || port > 65535) {
            throw new UsageException("bad --url " + url);
        }
        return new Endpoint(proto, host, port, args.get("user", null), readSecret(args.get("auth-file", null)));
    }

    private static String readSecret(String file) {
        if (file == null) {
            return null;
        }
        try {
            return Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UsageException("cannot read --auth-file " + file + ": " + e.getMessage());
        }
    }

    /** For messages: never includes the secret. */
    String display() {
        return proto.scheme + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
