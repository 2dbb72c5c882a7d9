package io.lightbroker.broker.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The effective configuration: every setting of {@link Settings} resolved from its sources,
 * lowest to highest precedence: defaults; the {@code --config} file; each {@code *.properties}
 * file of {@code --config-dir} in name order (so {@code 10-base.properties} is overridden by
 * {@code 20-site.properties}, the way conf.d directories work); environment variables (and
 * {@code _FILE} variables for secrets, as container platforms mount them); command-line flags.
 * The embedded builder's values ({@link Source#API}) stand in for flags.
 *
 * <p>The builder applies sources in the order it is called, later values replacing earlier
 * ones; {@link CommandLine} calls it in precedence order whatever order the flags came in.
 * Every value is parsed as it is applied, so the first bad value fails with its setting and
 * its source, and each value remembers its source so the config API can show it.
 */
public final class Config {
    public enum Source { DEFAULT, FILE, DIR, ENV, FLAG, API }

    /** What the config API shows for a secret that is set. */
    public static final String REDACTED = "[redacted]";

    public record Value(Object parsed, String raw, Source source, String origin) {}

    private final Map<Setting<?>, Value> values;

    private Config(Map<Setting<?>, Value> values) {
        this.values = values;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> s) {
        return (T) values.get(s).parsed();
    }

    public Value value(Setting<?> s) {
        return values.get(s);
    }

    /** Every setting in table order with its value as given, secrets replaced by {@link #REDACTED}. */
    public Map<Setting<?>, Value> redacted() {
        Map<Setting<?>, Value> out = new LinkedHashMap<>();
        values.forEach((s, v) -> {
            String shown = s.shown(v.raw());
            out.put(s, shown.equals(v.raw()) ? v : new Value(shown, shown, v.source(), v.origin()));
        });
        return out;
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final Map<Setting<?>, Value> values = new LinkedHashMap<>();

        private Builder() {
            for (Setting<?> s : Settings.all()) {
                values.put(s, new Value(parse(s, s.defaultValue(), "default"), s.defaultValue(), Source.DEFAULT, "default"));
            }
        }

        /** Applies {@code LIGHTBROKER_*} variables and, for every setting, {@code LIGHTBROKER_*_FILE}. */
        public Builder env(Map<String, String> env) {
            for (Setting<?> s : Settings.all()) {
                String file = env.get(s.envVar() + "_FILE");
                if (file != null) {
                    String origin = "environment variable " + s.envVar() + "_FILE (" + file + ")";
                    String raw;
                    try {
                        raw = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
                    } catch (IOException e) {
                        throw new ConfigException("cannot read " + s.name() + " from " + origin + ": " + e.getMessage());
                    }
                    set(s, raw, Source.ENV, origin);
                }
                String raw = env.get(s.envVar());
                if (raw != null) {
                    set(s, raw, Source.ENV, "environment variable " + s.envVar());
                }
            }
            return this;
        }

        /** A Java properties file whose keys are setting names ({@code --config}). */
        public Builder file(Path file) {
            return properties(file, Source.FILE, "config file " + file);
        }

        /** Every {@code *.properties} file of a directory in name order ({@code --config-dir}). */
        public Builder dir(Path dir) {
            List<Path> files;
            try (Stream<Path> list = Files.list(dir)) {
                files = list.filter(p -> p.getFileName().toString().endsWith(".properties") && Files.isRegularFile(p))
                        .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                        .toList();
            } catch (IOException e) {
                throw new ConfigException("cannot read config directory " + dir + ": " + describe(e));
            }
            for (Path f : files) {
                properties(f, Source.DIR, "config file " + f);
            }
            return this;
        }

        private Builder properties(Path file, Source source, String origin) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException("cannot read " + origin + ": " + describe(e));
            }
            for (String key : new TreeSet<>(p.stringPropertyNames())) {
                Setting<?> s = Settings.byName(key);
                if (s == null) {
                    throw new ConfigException("unknown setting '" + key + "' in " + origin);
                }
                set(s, p.getProperty(key).strip(), source, origin);
            }
            return this;
        }

        private static String describe(Exception e) {
            if (e instanceof NoSuchFileException) {
                return "no such file or directory";
            }
            if (e instanceof AccessDeniedException) {
                return "permission denied";
            }
            if (e instanceof NotDirectoryException) {
                return "not a directory";
            }
            return e.getMessage();
        }

        public Builder flag(String name, String raw) {
            Setting<?> s = Settings.byName(name);
            if (s == null) {
                throw new ConfigException("unknown option --" + name + " (see --help)");
            }
            return set(s, raw, Source.FLAG, "flag --" + name);
        }

        public Builder set(Setting<?> s, String raw, Source source, String origin) {
            values.put(s, new Value(parse(s, raw, origin), raw, source, origin));
            return this;
        }

        private static Object parse(Setting<?> s, String raw, String origin) {
            try {
                return s.parse(raw);
            } catch (IllegalArgumentException e) {
                String shown = s.sensitive() ? "[redacted]" : "'" + raw + "'";
                throw new ConfigException("invalid value " + shown + " for " + s.name() + " from " + origin + ": " + e.getMessage());
            }
        }

        public Config build() {
            Config c = new Config(new LinkedHashMap<>(values));
            checkTogether(c);
            return c;
        }

        /** Rules that involve more than one setting; each message names both and their sources. */
        private static void checkTogether(Config c) {
            bothGiven(c, Settings.RESP_USERS, Settings.RESP_ACL_FILE, "give the RESP users in one of them");
            // nats-server refuses a single user or token together with a users list, too.
            bothGiven(c, Settings.NATS_USERS, Settings.NATS_USER, "list every user in nats-users");
            bothGiven(c, Settings.NATS_USERS, Settings.NATS_AUTH_TOKEN, "use either a token or users");
            boolean respTls = c.get(Settings.RESP_TLS_PORT) >= 0;
            boolean natsTls = c.get(Settings.NATS_TLS);
            if (respTls || natsTls) {
                String user = respTls ? "resp-tls-port (from " + c.value(Settings.RESP_TLS_PORT).origin() + ")"
                        : "nats-tls (from " + c.value(Settings.NATS_TLS).origin() + ")";
                needed(c, Settings.TLS_CERT_FILE, user);
                needed(c, Settings.TLS_KEY_FILE, user);
            }
            if (respTls && !"no".equals(c.get(Settings.TLS_AUTH_CLIENTS))) {
                // Redis refuses to start a TLS port without CA certificates as well.
                needed(c, Settings.TLS_CA_CERT_FILE, "resp-tls-port with tls-auth-clients " + c.get(Settings.TLS_AUTH_CLIENTS)
                        + " (set tls-auth-clients no to accept clients without certificates)");
            }
            if (natsTls && c.get(Settings.NATS_TLS_VERIFY)) {
                needed(c, Settings.TLS_CA_CERT_FILE, "nats-tls-verify (from " + c.value(Settings.NATS_TLS_VERIFY).origin() + ")");
            }
            long payload = c.get(Settings.NATS_MAX_PAYLOAD);
            long pending = c.get(Settings.NATS_MAX_PENDING);
            if (pending > 0 && payload > pending) {
                // nats-server refuses to start with max_payload above max_pending too.
                throw new ConfigException("nats-max-payload (" + payload + " bytes, from " + c.value(Settings.NATS_MAX_PAYLOAD).origin()
                        + ") must not be larger than nats-max-pending (" + pending + " bytes, from "
                        + c.value(Settings.NATS_MAX_PENDING).origin() + ")");
            }
        }

        private static void needed(Config c, Setting<?> s, String by) {
            if (c.value(s).raw().isBlank()) {
                throw new ConfigException(s.name() + " must be set: " + by + " needs it");
            }
        }

        private static void bothGiven(Config c, Setting<?> a, Setting<?> b, String advice) {
            if (!c.value(a).raw().isBlank() && !c.value(b).raw().isBlank()) {
                throw new ConfigException(a.name() + " (from " + c.value(a).origin() + ") and " + b.name() + " (from "
                        + c.value(b).origin() + ") cannot both be set: " + advice);
            }
        }
    }
}
