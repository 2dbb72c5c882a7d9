package io.lightbroker.broker.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The NATS users list (setting {@code nats-users}): a JSON array in the shape of nats-server's
 * {@code authorization { users = [...] }}, so the same text works in a nats-server configuration:
 *
 * <pre>
 * [{"user": "orders", "password": "$2a$11$...",
 *   "permissions": {"publish": {"allow": ["orders.>"], "deny": ["orders.admin"]},
 *                   "subscribe": ["orders.>", "_INBOX.>"]}}]
 * </pre>
 *
 * <p>{@code allow_responses} is true or {@code {"max": n, "expires": "2m"}} as in nats-server.
 * {@code publish} and {@code subscribe} take a subject, a list of subjects (allow list), or an
 * object with {@code allow} and {@code deny}. What nats-server supports and lightbroker does not
 * ({@code nkey}, queue permissions written {@code "subject queue"}) is
 * rejected when the configuration is read rather than silently ignored. Immutable.
 */
public final class NatsUsers {
    public record User(String name, String password, NatsPermissions permissions) {}

    /** Created on first use: most brokers have no users list, and a mapper costs ~0.2 s of start-up. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }
    private static final Set<String> USER_KEYS = Set.of("user", "password", "permissions");
    private static final Set<String> PERMISSION_KEYS = Set.of("publish", "subscribe", "allow_responses");
    private static final Set<String> RESPONSE_KEYS = Set.of("max", "expires");
    private static final Set<String> LIST_KEYS = Set.of("allow", "deny");

    public static final NatsUsers NONE = new NatsUsers(Map.of());

    private final Map<String, User> users;

    private NatsUsers(Map<String, User> users) {
        this.users = users;
    }

    public boolean isEmpty() {
        return users.isEmpty();
    }

    /** The user these credentials log in as, or null. */
    public User authenticate(String user, String password) {
        User u = user == null ? null : users.get(user);
        if (u == null || !Passwords.matches(u.password(), password == null ? "" : password)) {
            return null;
        }
        return u;
    }

    /** Whether {@link #authenticate} would answer at once (no uncached bcrypt check). */
    public boolean isQuick(String user, String password) {
        User u = user == null ? null : users.get(user);
        return u == null || Passwords.isQuick(u.password(), password == null ? "" : password);
    }

    public static NatsUsers parse(String json) {
        if (json == null || json.isBlank()) {
            return NONE;
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("expected a JSON array of users, e.g. [{\"user\":\"a\",\"password\":\"p\"}]");
        }
        Map<String, User> users = new LinkedHashMap<>();
        for (JsonNode u : root) {
            if (!u.isObject()) {
                throw new IllegalArgumentException("each user must be a JSON object");
            }
            unknownKeys(u, USER_KEYS, "user");
            String name = text(u, "user");
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a user has no \"user\" name");
            }
            String password = text(u, "password");
            if (password == null) {
                throw new IllegalArgumentException("user '" + name + "' has no \"password\"");
            }
            Passwords.checkStored(password);
            if (users.containsKey(name)) {
                throw new IllegalArgumentException("user '" + name + "' is listed twice");
            }
            users.put(name, new User(name, password, permissions(name, u.get("permissions"))));
        }
        return new NatsUsers(Map.copyOf(users));
    }

    private static NatsPermissions permissions(String user, JsonNode p) {
        if (p == null || p.isNull()) {
            return NatsPermissions.ALL;
        }
        if (!p.isObject()) {
            throw new IllegalArgumentException("permissions of user '" + user + "' must be an object");
        }
        unknownKeys(p, PERMISSION_KEYS, "permissions of user '" + user + "'");
        List<List<String>> pub = lists(user, "publish", p.get("publish"));
        List<List<String>> sub = lists(user, "subscribe", p.get("subscribe"));
        return new NatsPermissions(pub.get(0), pub.get(1), sub.get(0), sub.get(1), responses(user, p.get("allow_responses")));
    }

    /** {@code allow_responses}: true, false, or {@code {"max": n, "expires": "1m"}} as nats-server reads it. */
    private static NatsPermissions.Responses responses(String user, JsonNode n) {
        if (n == null || n.isNull() || (n.isBoolean() && !n.asBoolean())) {
            return null;
        }
        if (n.isBoolean()) {
            return NatsPermissions.Responses.DEFAULT;
        }
        String where = "allow_responses of user '" + user + "'";
        if (!n.isObject()) {
            throw new IllegalArgumentException(where + " must be true, false or {\"max\": n, \"expires\": \"duration\"}");
        }
        unknownKeys(n, RESPONSE_KEYS, where);
        int max = n.has("max") ? n.get("max").asInt() : NatsPermissions.Responses.DEFAULT.max();
        long expires = NatsPermissions.Responses.DEFAULT.expiresMillis();
        if (n.has("expires")) {
            try {
                expires = io.lightbroker.broker.config.Settings.parseMillis(n.get("expires").asText());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": expires " + e.getMessage());
            }
        }
        return new NatsPermissions.Responses(max < 1 ? NatsPermissions.Responses.DEFAULT.max() : max, expires);
    }

    /** [allow or null, deny] from a subject, a list, or {allow, deny}. */
    private static List<List<String>> lists(String user, String what, JsonNode n) {
        List<List<String>> out = new ArrayList<>();
        if (n == null || n.isNull()) {
            out.add(null);
            out.add(List.of());
        } else if (n.isTextual() || n.isArray()) {
            out.add(subjects(user, what, n));
            out.add(List.of());
        } else if (n.isObject()) {
            unknownKeys(n, LIST_KEYS, what + " permissions of user '" + user + "'");
            out.add(n.has("allow") ? subjects(user, what, n.get("allow")) : null);
            out.add(n.has("deny") ? subjects(user, what, n.get("deny")) : List.of());
        } else {
            throw new IllegalArgumentException(what + " permissions of user '" + user + "' must be a subject, a list or {allow, deny}");
        }
        return out;
    }

    private static List<String> subjects(String user, String what, JsonNode n) {
        List<String> out = new ArrayList<>();
        Iterable<JsonNode> items = n.isArray() ? n : List.of(n);
        for (JsonNode s : items) {
            if (!s.isTextual() || s.asText().isEmpty()) {
                throw new IllegalArgumentException(what + " permissions of user '" + user + "': subjects must be non-empty strings");
            }
            String subject = s.asText();
            if (subject.indexOf(' ') >= 0) {
                throw new IllegalArgumentException(what + " permissions of user '" + user + "': queue permissions (\""
                        + subject + "\") are not supported");
            }
            out.add(subject);
        }
        return List.copyOf(out);
    }

    private static void unknownKeys(JsonNode n, Set<String> known, String where) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) {
                throw new IllegalArgumentException("unsupported key \"" + k + "\" in " + where + " (supported: " + known + ")");
            }
        }
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }
}
