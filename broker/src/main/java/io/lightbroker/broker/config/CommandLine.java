package io.lightbroker.broker.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command line: {@code --name value} or {@code --name=value} for every setting, plus the
 * options that are not settings ({@code --config}, {@code --config-dir}, {@code --help},
 * {@code --help-config}, {@code --version}).
 *
 * <p>Flags are collected first and applied last, so precedence never depends on where
 * {@code --config} appears among them. Secrets are refused as flags: they would show in
 * process listings.
 */
public final class CommandLine {
    public enum Action { RUN, HELP, HELP_CONFIG, VERSION }

    public record Parsed(Action action, Config config) {}

    private record Flag(String name, String value) {}

    private CommandLine() {}

    public static Parsed parse(String[] args, Map<String, String> env) {
        List<Flag> flags = new ArrayList<>();
        List<String> leafRemotes = new ArrayList<>();
        Path file = null;
        Path dir = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> {
                    return new Parsed(Action.HELP, null);
                }
                case "--help-config" -> {
                    return new Parsed(Action.HELP_CONFIG, null);
                }
                case "--version", "-v" -> {
                    return new Parsed(Action.VERSION, null);
                }
                default -> { }
            }
            if (!a.startsWith("--") || a.length() == 2) {
                throw new ConfigException("unexpected argument '" + a + "' (see --help)");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new ConfigException("option --" + name + " needs a value (see --help)");
            }
            if (name.equals("config")) {
                file = once(file, value, name);
                continue;
            }
            if (name.equals("config-dir")) {
                dir = once(dir, value, name);
                continue;
            }
            if (name.equals("leaf-remote") || name.equals(Settings.LEAF_REMOTES.name())) {
                if (!io.lightbroker.broker.leaf.LeafRemote.redactList(value).equals(value.trim().replaceAll("[,\\s]+", ","))) {
                    throw new ConfigException("--" + name + " with credentials in the URL is not accepted on the command line (it would show in process listings); use "
                            + Settings.LEAF_REMOTES.envVar() + ", " + Settings.LEAF_REMOTES.envVar() + "_FILE, a config file, or leaf-user/leaf-password/leaf-token");
                }
                leafRemotes.add(value);
                continue;
            }
            Setting<?> s = Settings.byName(name);
            if (s == null) {
                throw new ConfigException("unknown option --" + name + " (see --help)");
            }
            if (s.sensitive()) {
                throw new ConfigException("--" + name + " is a secret and is not accepted on the command line (it would show in process listings); use "
                        + s.envVar() + ", " + s.envVar() + "_FILE or a config file");
            }
            flags.add(new Flag(name, value));
        }
        Config.Builder b = Config.builder();
        if (file != null) {
            b.file(file);
        }
        if (dir != null) {
            b.dir(dir);
        }
        b.env(env);
        for (Flag f : flags) {
            b.flag(f.name(), f.value());
        }
        if (!leafRemotes.isEmpty()) {
            // --leaf-remote may repeat: the URLs together form one failover list.
            b.flag(Settings.LEAF_REMOTES.name(), String.join(",", leafRemotes));
        }
        return new Parsed(Action.RUN, b.build());
    }

    private static Path once(Path previous, String value, String name) {
        if (previous != null) {
            throw new ConfigException("--" + name + " given more than once");
        }
        if (value.isBlank()) {
            throw new ConfigException("--" + name + " needs a path");
        }
        return Path.of(value);
    }
}
