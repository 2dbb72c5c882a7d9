package io.lightbroker.bench.load;

import java.util.Locale;

/** The end-to-end scenarios; see {@link Scenarios} for what each one measures. */
enum Scenario {
    FANOUT,
    LATENCY,
    ZERO_SUBS,
    WILDCARDS,
    CONNECTIONS,
    CROSS;

    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Scenario parse(String s) {
        for (Scenario sc : values()) {
            if (sc.label().equals(s.toLowerCase(Locale.ROOT))) {
                return sc;
            }
        }
        throw new IllegalArgumentException(
                "expected one of fanout, latency, zero-subs, wildcards, connections, cross; got '" + s + "'");
    }
}
