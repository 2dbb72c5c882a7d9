package io.lightbroker.broker.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Setting;
import io.lightbroker.broker.config.Settings;
import io.lightbroker.broker.core.Broker;
import io.lightbroker.broker.core.ClientInfo;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's routes, independent of the HTTP transport: a table of path and method to
 * endpoint, the bearer-token check, and the endpoints themselves.
 *
 * <p>Status rules: an unknown path is 404, a known path with another method is 405 with
 * {@code Allow}; with {@code admin-token} set, every path except {@code /healthz} and
 * {@code /readyz} (which orchestrators probe without credentials) needs
 * {@code Authorization: Bearer <token>}, checked before routing so that an unauthenticated
 * caller cannot map which paths exist. {@code /config} exists only when
 * {@code admin-config-endpoint} is true. The dashboard page at {@code /} is static and holds
 * no data, so it loads without the token (a browser cannot send a bearer header when
 * navigating) and asks for the token when its first fetch gets 401.
 *
 * <p>Threading: called on the admin server's single event loop, never on a client loop, so a
 * large {@code /connz} or a scrape does not delay message delivery.
 */
final class AdminApi {
    record Request(HttpMethod method, String path, Query query, String authorization) {}

    record Response(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
        static Response of(HttpResponseStatus status, String contentType, String body) {
            return new Response(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);
    static final String JSON = "application/json";
    static final String TEXT = "text/plain; charset=utf-8";
    static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    /** Probes, and the dashboard page, which is static and fetches its data from protected endpoints with the token. */
    private static final Set<String> UNAUTHENTICATED = Set.of("/healthz", "/readyz", "/");
    private static final String CONNECTION = "/connz/{cid}";

    private final ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final Broker broker;
    private final Config config;
    private final ServerView server;
    private final BrokerMetrics metrics;
    private final byte[] token;
    private final Map<String, Map<HttpMethod, Function<Request, Response>>> routes = new LinkedHashMap<>();
    private final ConcurrentHashMap<String, Long> requests = new ConcurrentHashMap<>();

    AdminApi(Broker broker, Config config, ServerView server, BrokerMetrics metrics) {
        this.broker = broker;
        this.config = config;
        this.server = server;
        this.metrics = metrics;
        String t = config.get(Settings.ADMIN_TOKEN);
        this.token = t.isEmpty() ? null : ("Bearer " + t).getBytes(StandardCharsets.UTF_8);

        route("/healthz", HttpMethod.GET, r -> json(HttpResponseStatus.OK, status("ok")));
        route("/readyz", HttpMethod.GET, r -> server.ready()
                ? json(HttpResponseStatus.OK, status("ok"))
                : json(HttpResponseStatus.SERVICE_UNAVAILABLE, status("unavailable")));
        route("/metrics", HttpMethod.GET, r -> Response.of(HttpResponseStatus.OK, PROMETHEUS, metrics.scrape()));
        route("/varz", HttpMethod.GET, r -> json(HttpResponseStatus.OK, Varz.render(json, broker, config, server, new TreeMap<>(requests))));
        route("/connz", HttpMethod.GET, r -> json(HttpResponseStatus.OK, Connz.render(json, broker, server, r.query())));
        route(CONNECTION, HttpMethod.DELETE, this::kick);
        route("/subsz", HttpMethod.GET, r -> json(HttpResponseStatus.OK, Subsz.render(json, broker, server, r.query())));
        route("/leafz", HttpMethod.GET, r -> json(HttpResponseStatus.OK, Leafz.render(json, server, r.query())));
        route("/drain", HttpMethod.POST, r -> {
            server.drain();
            return json(HttpResponseStatus.ACCEPTED, status("draining"));
        });
        if (config.get(Settings.ADMIN_CONFIG_ENDPOINT)) {
            route("/config", HttpMethod.GET, r -> json(HttpResponseStatus.OK, effectiveConfig()));
        }
        byte[] page = resource("dashboard.html");
        route("/", HttpMethod.GET, r -> new Response(HttpResponseStatus.OK, "text/html; charset=utf-8", page, Map.of()));
    }

    private void route(String path, HttpMethod method, Function<Request, Response> endpoint) {
        routes.computeIfAbsent(path, p -> new LinkedHashMap<>()).put(method, endpoint);
    }

    Response handle(Request r) {
        String key = r.path().startsWith("/connz/") ? CONNECTION : r.path();
        if (token != null && !UNAUTHENTICATED.contains(key) && !authorized(r.authorization())) {
            Response denied = json(HttpResponseStatus.UNAUTHORIZED, error("missing or wrong bearer token"));
            return new Response(denied.status(), denied.contentType(), denied.body(), Map.of("WWW-Authenticate", "Bearer realm=\"lightbroker\""));
        }
        Map<HttpMethod, Function<Request, Response>> methods = routes.get(key);
        if (methods == null) {
            return json(HttpResponseStatus.NOT_FOUND, error("no such endpoint: " + r.path()));
        }
        Function<Request, Response> endpoint = methods.get(r.method());
        if (endpoint == null) {
            Response wrong = json(HttpResponseStatus.METHOD_NOT_ALLOWED, error(r.method() + " not allowed on " + key));
            String allow = methods.keySet().stream().map(HttpMethod::name).collect(Collectors.joining(", "));
            return new Response(wrong.status(), wrong.contentType(), wrong.body(), Map.of("Allow", allow));
        }
        requests.merge(key, 1L, Long::sum);
        try {
            return endpoint.apply(r);
        } catch (BadRequest e) {
            return Response.of(HttpResponseStatus.BAD_REQUEST, TEXT, e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("admin endpoint {} {} failed", r.method(), key, e);
            return json(HttpResponseStatus.INTERNAL_SERVER_ERROR, error(e.toString()));
        }
    }

    /** Compared in constant time, so response timing does not reveal how much of a guess was right. */
    private boolean authorized(String header) {
        return header != null && MessageDigest.isEqual(token, header.getBytes(StandardCharsets.UTF_8));
    }

    private Response kick(Request r) {
        String id = r.path().substring("/connz/".length());
        long cid;
        try {
            cid = Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new BadRequest("Error decoding uint64 for 'cid': invalid syntax");
        }
        ClientInfo c = broker.clients().get(cid);
        if (c == null) {
            return json(HttpResponseStatus.NOT_FOUND, error("no connection with cid " + cid));
        }
        c.kill();
        ObjectNode n = json.createObjectNode();
        n.put("cid", cid);
        n.put("protocol", c.protocol());
        n.put("closed", true);
        return json(HttpResponseStatus.OK, n);
    }

    /** Every setting with its value and where it came from; secrets that are set show as {@code [redacted]}. */
    private ObjectNode effectiveConfig() {
        ObjectNode root = json.createObjectNode();
        root.put("server_id", server.serverId());
        ObjectNode settings = root.putObject("settings");
        for (Map.Entry<Setting<?>, Config.Value> e : config.redacted().entrySet()) {
            ObjectNode s = settings.putObject(e.getKey().name());
            s.put("value", e.getValue().raw());
            s.put("source", e.getValue().source().name().toLowerCase(Locale.ROOT));
            s.put("origin", e.getValue().origin());
        }
        return root;
    }

    private ObjectNode status(String status) {
        return json.createObjectNode().put("status", status);
    }

    private ObjectNode error(String message) {
        return json.createObjectNode().put("error", message);
    }

    private Response json(HttpResponseStatus status, ObjectNode body) {
        try {
            return new Response(status, JSON, json.writeValueAsBytes(body), Map.of());
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = AdminApi.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("admin resource " + name + " missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
