package io.lightbroker.broker.core;

import java.util.Arrays;

/** Copy-on-write helpers for the immutable subscription arrays the index publishes. */
final class Subs {
    private Subs() {}

    static Subscription[] with(Subscription[] a, Subscription s) {
        Subscription[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }

    /** Returns {@code a} itself when {@code s} is not in it. */
    static Subscription[] without(Subscription[] a, Subscription s) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == s) {
                if (a.length == 1) {
                    return MatchResult.NO_SUBS;
                }
                Subscription[] b = new Subscription[a.length - 1];
                System.arraycopy(a, 0, b, 0, i);
                System.arraycopy(a, i + 1, b, i, a.length - i - 1);
                return b;
            }
        }
        return a;
    }
}
