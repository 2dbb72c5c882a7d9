package io.lightbroker.broker.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A subcommand's arguments: {@code --name value}, {@code --name=value}, switches without a
 * value, and positional arguments ({@code --} ends the options). Deliberately free of
 * lambdas and streams: {@code healthcheck} parses its arguments with this class in a JVM that
 * lives a fraction of a second, where bootstrapping those costs more than the probe.
 */
final class Args {
    private final Map<String, String> values = new HashMap<>();
    private final Set<String> switches = new HashSet<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {}

    /**
     * @param valued   option names (without {@code --}) that take a value
     * @param switched option names that take none
     */
    static Args parse(String[] args, Set<String> valued, Set<String> switched) {
        Args a = new Args();
        boolean options = true;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!options || !arg.startsWith("--") || arg.length() == 2) {
                if (arg.equals("--") && options) {
                    options = false;
                } else {
                    a.positional.add(arg);
                }
                continue;
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (switched.contains(name)) {
                if (value != null) {
                    throw new UsageException("option --" + name + " takes no value");
                }
                a.switches.add(name);
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new UsageException("option --" + name + " needs a value");
                    }
                    value = args[++i];
                }
                if (a.values.put(name, value) != null) {
                    throw new UsageException("option --" + name + " given more than once");
                }
            } else {
                throw new UsageException("unknown option --" + name);
            }
        }
        return a;
    }

    String get(String name, String fallback) {
        String v = values.get(name);
        return v == null ? fallback : v;
    }

    boolean has(String name) {
        return values.containsKey(name) || switches.contains(name);
    }

    List<String> positional() {
        return positional;
    }

    long integer(String name, long fallback, long min) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        long n;
        try {
            n = Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, not '" + v + "'");
        }
        if (n < min) {
            throw new UsageException("--" + name + " must be at least " + min);
        }
        return n;
    }

    /** {@code 250ms}, {@code 2s}, {@code 1m}; a bare number is milliseconds. */
    long millis(String name, long fallback) {
        String v = values.get(name);
        if (v == null) {
            return fallback;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        if (s.endsWith("ms")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("s")) {
            mul = 1000;
            s = s.substring(0, s.length() - 1);
        } else if (s.endsWith("m")) {
            mul = 60_000;
            s = s.substring(0, s.length() - 1);
        }
        try {
            long n = Long.parseLong(s.trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, mul);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UsageException("--" + name + " must be a duration such as 250ms, 2s or 1m, not '" + v + "'");
        }
    }
}
