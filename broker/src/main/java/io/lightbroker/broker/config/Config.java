package io.lightbroker.broker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The effective configuration: every setting of {@link Settings} resolved from its sources,
 * lowest to highest precedence: defaults, environment variables (and {@code _FILE} variables
 * for secrets, as container platforms mount them), command-line flags. Each value remembers
 * its source so errors and the config API can name it.
 */
public final class Config {
    public enum Source { DEFAULT, ENV, FLAG, API }

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
            return new Config(new LinkedHashMap<>(values));
        }
    }
}
