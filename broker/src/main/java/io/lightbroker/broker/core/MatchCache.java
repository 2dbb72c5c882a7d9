package io.lightbroker.broker.core;

import io.netty.buffer.ByteBuf;

/**
 * A per-event-loop cache of {@link MatchResult}s by subject, so that repeated publishes to the
 * same subject cost one hash of the subject bytes and one probe, with no allocation and no
 * pattern walk.
 *
 * <p>Thread-confined: each event loop owns one, so it needs no synchronisation and may hold
 * a lookup key as a raw (buffer, offset, length) slice. Validity is a generation number: when
 * the {@link SubscriptionIndex} changes, its generation moves and the next lookup empties the
 * cache. An entry is stored only if the generation did not move while it was computed, so a
 * stale result can never be cached (see {@link SubscriptionIndex#match}).
 *
 * <p>Open addressing with a short probe; on a full probe the home slot is overwritten, which
 * bounds memory at {@link #CAPACITY} entries whatever the subject churn.
 */
public final class MatchCache {
    static final int CAPACITY = 4096;
    private static final int MASK = CAPACITY - 1;
    private static final int PROBE = 8;

    private final byte[][] keys = new byte[CAPACITY][];
    private final int[] hashes = new int[CAPACITY];
    private final MatchResult[] values = new MatchResult[CAPACITY];
    long generation = -1;
    long hits;
    long misses;

    MatchResult get(ByteBuf buf, int off, int len, int hash) {
        int slot = hash & MASK;
        for (int p = 0; p < PROBE; p++) {
            int i = (slot + p) & MASK;
            byte[] k = keys[i];
            if (k == null) {
                return null;
            }
            if (hashes[i] == hash && equal(k, buf, off, len)) {
                return values[i];
            }
        }
        return null;
    }

    void put(byte[] key, int hash, MatchResult value) {
        int slot = hash & MASK;
        for (int p = 0; p < PROBE; p++) {
            int i = (slot + p) & MASK;
            if (keys[i] == null) {
                set(i, key, hash, value);
                return;
            }
        }
        set(slot, key, hash, value);
    }

    private void set(int i, byte[] key, int hash, MatchResult value) {
        keys[i] = key;
        hashes[i] = hash;
        values[i] = value;
    }

    /**
     * Empties the cache if the index moved on since it was filled. A closing connection calls this
     * on its own loop (see {@link Connection#releaseCachedMatches}): otherwise results naming its
     * subscriptions, and through them the whole connection, stayed reachable until this loop's
     * next publish, which on a quiet loop may never come.
     */
    void clearIfStale(long currentGeneration) {
        if (generation != currentGeneration) {
            clear(currentGeneration);
        }
    }

    void clear(long newGeneration) {
        java.util.Arrays.fill(keys, null);
        java.util.Arrays.fill(values, null);
        generation = newGeneration;
    }

    public long hits() {
        return hits;
    }

    public long misses() {
        return misses;
    }

    /**
     * Entries held; for the admin API, which calls it from another thread and so may see a
     * slightly stale count (it scans, so it costs nothing on the lookup path).
     */
    public int size() {
        int n = 0;
        for (byte[] k : keys) {
            if (k != null) {
                n++;
            }
        }
        return n;
    }

    private static boolean equal(byte[] k, ByteBuf buf, int off, int len) {
        if (k.length != len) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (k[i] != buf.getByte(off + i)) {
                return false;
            }
        }
        return true;
    }
}
