package io.lightbroker.broker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The RESP users, from Redis ACL rules: one user per line, {@code user <name> <rule> ...}, as in a
 * Redis ACL file or a redis.conf {@code user} directive (settings {@code resp-users} and
 * {@code resp-acl-file}).
 *
 * <p>Supported rules, with Redis 7.0's meaning: {@code on}, {@code off}, {@code >password},
 * {@code <password}, {@code #sha256hex}, {@code !sha256hex}, {@code nopass}, {@code resetpass},
 * {@code &pattern}, {@code allchannels} (and {@code &*}), {@code resetchannels}, {@code +@all},
 * {@code allcommands}, {@code -@all}, {@code nocommands}, key rules ({@code ~pattern},
 * {@code %R~pattern}, {@code allkeys}, {@code resetkeys}; accepted and meaningless here, there are
 * no keys) and {@code reset}. A new user starts as Redis 7.0 creates one: off, no password, no
 * channels ({@code acl-pubsub-default resetchannels}), no commands. Finer command rules
 * ({@code +publish}, {@code -@pubsub}, selectors) are rejected with the rule named, rather than
 * approximated.
 *
 * <p>The {@code default} user is Redis's: {@code on nopass ~* &* +@all} unless a line redefines it;
 * {@code requirepass} gives it a password.
 */
public final class RespAcl {
    public static final String DEFAULT_USER = "default";

    private final Map<String, RespUser> users;

    private RespAcl(Map<String, RespUser> users) {
        this.users = users;
    }

    public RespUser user(String name) {
        return users.get(name);
    }

    public RespUser defaultUser() {
        return users.get(DEFAULT_USER);
    }

    public int size() {
        return users.size();
    }

    /** The built-in users only: {@code default}, with {@code requirepass} as its password if given. */
    public static RespAcl builtIn() {
        return parse("");
    }

    public static RespAcl readFile(String path) {
        if (path == null || path.isBlank()) {
            return builtIn();
        }
        try {
            return parse(Files.readString(Path.of(path.strip()), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read ACL file " + path + ": " + e);
        }
    }

    public static RespAcl parse(String text) {
        Map<String, Builder> builders = new LinkedHashMap<>();
        Builder def = new Builder(DEFAULT_USER);
        def.enabled = true;
        def.nopass = true;
        def.allCommands = true;
        def.allChannels = true;
        builders.put(DEFAULT_USER, def);
        Set<String> seen = new LinkedHashSet<>();
        String[] lines = text.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] t = line.split("\\s+");
            String where = "line " + (i + 1);
            if (!t[0].equals("user") || t.length < 2) {
                throw new IllegalArgumentException(where + ": expected 'user <name> <rules...>'");
            }
            String name = t[1];
            if (!seen.add(name)) {
                throw new IllegalArgumentException(where + ": user '" + name + "' is defined twice");
            }
            Builder b = new Builder(name);
            for (int k = 2; k < t.length; k++) {
                b.apply(t[k], where);
            }
            builders.put(name, b);
        }
        Map<String, RespUser> users = new LinkedHashMap<>();
        builders.forEach((n, b) -> users.put(n, b.build()));
        return new RespAcl(Map.copyOf(users));
    }

    /** This ACL with {@code requirepass}: the default user gets exactly that password (Redis's {@code resetpass >pass}). */
    public RespAcl withRequirePass(String password) {
        if (password == null || password.isEmpty()) {
            return this;
        }
        Map<String, RespUser> copy = new LinkedHashMap<>(users);
        RespUser d = users.get(DEFAULT_USER);
        copy.put(DEFAULT_USER, new RespUser(DEFAULT_USER, d.enabled(), false, Set.of(RespUser.sha256Hex(password)),
                d.allCommands(), d.allChannels(), d.channelPatterns()));
        return new RespAcl(Map.copyOf(copy));
    }

    private static final class Builder {
        final String name;
        boolean enabled;
        boolean nopass;
        final Set<String> hashes = new LinkedHashSet<>();
        boolean allCommands;
        boolean allChannels;
        final List<byte[]> channels = new ArrayList<>();

        Builder(String name) {
            this.name = name;
        }

        void apply(String rule, String where) {
            String lower = rule.toLowerCase(Locale.ROOT);
            switch (lower) {
                case "on" -> enabled = true;
                case "off" -> enabled = false;
                case "nopass" -> {
                    nopass = true;
                    hashes.clear();
                }
                case "resetpass" -> {
                    nopass = false;
                    hashes.clear();
                }
                case "allchannels", "&*" -> {
                    allChannels = true;
                    channels.clear();
                }
                case "resetchannels" -> {
                    allChannels = false;
                    channels.clear();
                }
                case "+@all", "allcommands" -> allCommands = true;
                case "-@all", "nocommands" -> allCommands = false;
                case "allkeys", "resetkeys" -> { }
                case "reset" -> {
                    enabled = false;
                    nopass = false;
                    hashes.clear();
                    allCommands = false;
                    allChannels = false;
                    channels.clear();
                }
                default -> applyWithArgument(rule, where);
            }
        }

        private void applyWithArgument(String rule, String where) {
            char c = rule.charAt(0);
            String arg = rule.substring(1);
            switch (c) {
                case '>' -> {
                    hashes.add(RespUser.sha256Hex(arg));
                    nopass = false;
                }
                case '<' -> hashes.remove(RespUser.sha256Hex(arg));
                case '#' -> {
                    if (!arg.matches("[0-9a-f]{64}")) {
                        throw new IllegalArgumentException(where + ": '" + rule + "' for user '" + name
                                + "' is not a SHA-256 hash (64 lower-case hex digits)");
                    }
                    hashes.add(arg);
                    nopass = false;
                }
                case '!' -> hashes.remove(arg);
                case '&' -> {
                    if (allChannels) {
                        // Redis refuses this too (ACLSetSelector, errno EISDIR).
                        throw new IllegalArgumentException(where + ": '" + rule + "' for user '" + name
                                + "' comes after allchannels; use resetchannels first");
                    }
                    channels.add(arg.getBytes(StandardCharsets.ISO_8859_1));
                }
                case '~', '%' -> { }
                default -> throw new IllegalArgumentException(where + ": unsupported ACL rule '" + rule + "' for user '" + name
                        + "'; lightbroker supports on, off, >password, <password, #hash, !hash, nopass, resetpass, &pattern, "
                        + "allchannels, resetchannels, +@all, allcommands, -@all, nocommands, ~pattern, allkeys, resetkeys, reset");
            }
        }

        RespUser build() {
            return new RespUser(name, enabled, nopass, hashes, allCommands, allChannels, channels);
        }
    }
}
