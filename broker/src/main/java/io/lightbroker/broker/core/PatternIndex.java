package io.lightbroker.broker.core;

import io.lightbroker.resp.RespGlob;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * RESP glob patterns, indexed by their literal prefix.
 *
 * <p>Redis scans every pattern on every publish ({@code pubsub.c}), which is its known weak
 * spot with thousands of patterns. Here each pattern is filed under the bytes before its first
 * special character (capped at {@link #MAX_PREFIX}); a publish looks up only the prefixes of the
 * subject for the handful of distinct prefix lengths in use, then runs the real glob match on
 * the few candidates. Patterns that start with a wildcard share the empty prefix and are
 * always candidates.
 *
 * <p>Threading: mutations are serialised by the owning {@link SubscriptionIndex}'s lock;
 * lookups are lock-free and see either the old or the new immutable {@link PatternGroup}
 * arrays.
 */
final class PatternIndex {
    static final int MAX_PREFIX = 64;

    private final ConcurrentHashMap<SubjectKey, PatternGroup> byPattern = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SubjectKey, PatternGroup[]> byPrefix = new ConcurrentHashMap<>();
    private final int[] lengthRefs = new int[MAX_PREFIX + 1];
    private volatile int[] lengths = new int[0];

    int patternCount() {
        return byPattern.size();
    }

    PatternGroup group(byte[] pattern) {
        return byPattern.get(new SubjectKey(pattern));
    }

    Iterable<PatternGroup> groups() {
        return byPattern.values();
    }

    void add(Subscription s) {
        SubjectKey key = new SubjectKey(s.subject);
        PatternGroup old = byPattern.get(key);
        PatternGroup now = new PatternGroup(s.subject, old == null ? new Subscription[] {s} : Subs.with(old.subs, s));
        byPattern.put(key, now);
        replaceInPrefix(s.subject, old, now);
    }

    boolean remove(Subscription s) {
        SubjectKey key = new SubjectKey(s.subject);
        PatternGroup old = byPattern.get(key);
        if (old == null) {
            return false;
        }
        Subscription[] rest = Subs.without(old.subs, s);
        if (rest == old.subs) {
            return false;
        }
        if (rest.length == 0) {
            byPattern.remove(key);
            replaceInPrefix(s.subject, old, null);
        } else {
            PatternGroup now = new PatternGroup(old.pattern, rest);
            byPattern.put(key, now);
            replaceInPrefix(s.subject, old, now);
        }
        return true;
    }

    private void replaceInPrefix(byte[] pattern, PatternGroup old, PatternGroup now) {
        int plen = Math.min(RespGlob.literalPrefixLength(pattern), MAX_PREFIX);
        SubjectKey pkey = new SubjectKey(Arrays.copyOf(pattern, plen));
        PatternGroup[] groups = byPrefix.getOrDefault(pkey, MatchResult.NO_PATTERNS);
        PatternGroup[] next;
        if (old == null) {
            next = Arrays.copyOf(groups, groups.length + 1);
            next[groups.length] = now;
            if (lengthRefs[plen]++ == 0) {
                rebuildLengths();
            }
        } else if (now != null) {
            next = groups.clone();
            for (int i = 0; i < next.length; i++) {
                if (next[i] == old) {
                    next[i] = now;
                }
            }
        } else {
            List<PatternGroup> keep = new ArrayList<>(groups.length);
            for (PatternGroup g : groups) {
                if (g != old) {
                    keep.add(g);
                }
            }
            next = keep.toArray(MatchResult.NO_PATTERNS);
            if (--lengthRefs[plen] == 0) {
                rebuildLengths();
            }
        }
        if (next.length == 0) {
            byPrefix.remove(pkey);
        } else {
            byPrefix.put(pkey, next);
        }
    }

    private void rebuildLengths() {
        int n = 0;
        for (int r : lengthRefs) {
            if (r > 0) {
                n++;
            }
        }
        int[] l = new int[n];
        int j = 0;
        for (int i = 0; i < lengthRefs.length; i++) {
            if (lengthRefs[i] > 0) {
                l[j++] = i;
            }
        }
        lengths = l;
    }

    /** Appends the groups whose pattern matches {@code subject}. */
    void match(byte[] subject, List<PatternGroup> out) {
        for (int plen : lengths) {
            if (plen > subject.length) {
                break;
            }
            PatternGroup[] candidates = byPrefix.get(new SubjectKey(Arrays.copyOf(subject, plen)));
            if (candidates == null) {
                continue;
            }
            for (PatternGroup g : candidates) {
                if (RespGlob.match(g.pattern, subject)) {
                    out.add(g);
                }
            }
        }
    }
}
