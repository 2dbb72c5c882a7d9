package io.lightbroker.broker.config;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * One row of the settings table: name (also the flag {@code --name}), type, default,
 * environment variable, flags and a one-line description. Everything that reads, validates,
 * documents or redacts configuration works from these rows.
 */
public final class Setting<T> {
    public enum Type { STRING, INT, PORT, SIZE, DURATION, BOOLEAN, CHOICE }

    private final String name;
    private final Type type;
    private final String defaultValue;
    private final boolean sensitive;
    private final String description;
    private final Function<String, T> parser;
    private final List<String> choices;
    /** For values that hold a secret in part (credentials inside a URL); set while the table is built. */
    private Function<String, String> partRedactor;

    Setting(String name, Type type, String defaultValue, boolean sensitive, String description, Function<String, T> parser) {
        this(name, type, defaultValue, sensitive, description, parser, List.of());
    }

    Setting(String name, Type type, String defaultValue, boolean sensitive, String description, Function<String, T> parser,
            List<String> choices) {
        this.choices = List.copyOf(choices);
        this.name = name;
        this.type = type;
        this.defaultValue = defaultValue;
        this.sensitive = sensitive;
        this.description = description;
        this.parser = parser;
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public String defaultValue() {
        return defaultValue;
    }

    public boolean sensitive() {
        return sensitive;
    }

    public String description() {
        return description;
    }

    /** The accepted values of a {@link Type#CHOICE} setting; empty for other types. */
    public List<String> choices() {
        return choices;
    }

    /** {@code LIGHTBROKER_} + the name in upper snake case. */
    public String envVar() {
        return "LIGHTBROKER_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    }

    Setting<T> redactPartsWith(Function<String, String> redactor) {
        this.partRedactor = redactor;
        return this;
    }

    /** The raw value as the configuration API may show it. */
    public String shown(String raw) {
        if (raw.isEmpty()) {
            return raw;
        }
        if (sensitive) {
            return Config.REDACTED;
        }
        return partRedactor == null ? raw : partRedactor.apply(raw);
    }

    T parse(String raw) {
        return parser.apply(raw);
    }
}
