package io.lightbroker.broker.core;

import io.lightbroker.resp.RespGlob;
import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The subject space: answers "who receives a message published on subject S" for every kind
 * of interest both protocols can express.
 *
 * <ul>
 *   <li>Exact RESP channels: one hash lookup.</li>
 *   <li>RESP glob patterns: {@link PatternIndex}, indexed by literal prefix.</li>
 *   <li>NATS subjects with {@code *}/{@code >} and queue groups: {@link NatsTrie}, which also
 *       holds the in-process ({@link SubscriptionKind#LOCAL}) subscriptions.</li>
 *   <li>RESP shard channels: a separate namespace, reached only by SPUBLISH.</li>
 * </ul>
 *
 * <p><b>Threading.</b> Subscribe and unsubscribe serialise on one lock; {@link #match} never
 * takes it. Every structure a lookup reads is either a {@link ConcurrentHashMap} or an
 * immutable array published through a volatile field. After each mutation the
 * {@link #generation} is bumped (a volatile write that also publishes the mutation); a
 * lookup that sees a generation sees the structures at least as new as it.
 *
 * <p><b>Caching.</b> {@link #match(ByteBuf, int, int, MatchCache)} consults the caller's
 * thread-confined {@link MatchCache}. The cache is emptied whenever the generation moved, and a
 * freshly computed result is stored only when the generation read before computing is still
 * current afterwards, so no result computed against older structures survives a change. This
 * makes any subscription change invalidate every cached subject: simple and correct; finer
 * invalidation (nats-server updates matching cache entries in place) is a measured
 * optimisation for subscription churn, not a correctness need.
 *
 * <p><b>Cross-protocol rule.</b> A subject reaches NATS subscriptions only if nats-server would
 * route it (non-empty tokens, no whitespace; wildcard tokens match literally); any byte string
 * reaches RESP channels and patterns.
 */
public final class SubscriptionIndex {
    private final Object lock = new Object();
    private volatile long generation;
    private volatile int total;
    private volatile long inserts;
    private volatile long removes;

    private final ConcurrentHashMap<SubjectKey, Subscription[]> channels = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<SubjectKey, Subscription[]> shards = new ConcurrentHashMap<>();
    private final PatternIndex patterns = new PatternIndex();
    private final NatsTrie nats = new NatsTrie();

    /**
     * Told of every subscription added or removed, in the order the index applied them, while
     * the index's lock is held: it must be quick and must not call back into the index. The
     * leaf-node links use it to announce local interest to their hubs.
     */
    public interface InterestListener {
        void changed(Subscription s, boolean added);
    }

    private volatile InterestListener listener;

    /** Sets the one listener (null removes it); set it before subscriptions exist to see them all. */
    public void interestListener(InterestListener l) {
        this.listener = l;
    }

    public void add(Subscription s) {
        synchronized (lock) {
            switch (s.kind) {
                case RESP_CHANNEL -> channels.merge(new SubjectKey(s.subject), new Subscription[] {s}, (a, b) -> Subs.with(a, s));
                case RESP_SHARD -> shards.merge(new SubjectKey(s.subject), new Subscription[] {s}, (a, b) -> Subs.with(a, s));
                case RESP_PATTERN -> patterns.add(s);
                case NATS, LOCAL, LEAF -> nats.add(s);
            }
            total++;
            inserts++;
            generation++;
            InterestListener l = listener;
            if (l != null) {
                l.changed(s, true);
            }
        }
    }

    public boolean remove(Subscription s) {
        synchronized (lock) {
            boolean removed = switch (s.kind) {
                case RESP_CHANNEL -> removeExact(channels, s);
                case RESP_SHARD -> removeExact(shards, s);
                case RESP_PATTERN -> patterns.remove(s);
                case NATS, LOCAL, LEAF -> nats.remove(s);
            };
            if (removed) {
                total--;
                removes++;
                generation++;
                InterestListener l = listener;
                if (l != null) {
                    l.changed(s, false);
                }
            }
            return removed;
        }
    }

    private static boolean removeExact(ConcurrentHashMap<SubjectKey, Subscription[]> map, Subscription s) {
        SubjectKey k = new SubjectKey(s.subject);
        Subscription[] a = map.get(k);
        if (a == null) {
            return false;
        }
        Subscription[] b = Subs.without(a, s);
        if (b == a) {
            return false;
        }
        if (b.length == 0) {
            map.remove(k);
        } else {
            map.put(k, b);
        }
        return true;
    }

    /**
     * Receivers of a publish on {@code subject}. Lock-free; allocation-free on a cache hit.
     *
     * @param cache the calling event loop's cache, or null from threads that have none
     */
    public MatchResult match(ByteBuf subject, int off, int len, MatchCache cache) {
        if (total == 0) {
            return MatchResult.EMPTY;
        }
        if (cache == null) {
            byte[] key = new byte[len];
            subject.getBytes(off, key);
            return compute(key);
        }
        long gen = generation;
        if (cache.generation != gen) {
            cache.clear(gen);
        }
        int hash = SubjectKey.hash(subject, off, len);
        MatchResult r = cache.get(subject, off, len, hash);
        if (r != null) {
            cache.hits++;
            return r;
        }
        cache.misses++;
        byte[] key = new byte[len];
        subject.getBytes(off, key);
        r = compute(key);
        if (generation == gen) {
            cache.put(key, hash, r);
        }
        return r;
    }

    MatchResult compute(byte[] subject) {
        Subscription[] ch = channels.getOrDefault(new SubjectKey(subject), MatchResult.NO_SUBS);
        List<PatternGroup> pg = new ArrayList<>(0);
        patterns.match(subject, pg);
        Subscription[] plain = MatchResult.NO_SUBS;
        Subscription[][] queues = MatchResult.NO_QUEUES;
        if (nats.count() > 0 && isNatsRoutable(subject)) {
            List<Subscription> ns = new ArrayList<>();
            nats.match(subject, ns);
            if (!ns.isEmpty()) {
                List<Subscription> p = new ArrayList<>(ns.size());
                Map<SubjectKey, List<Subscription>> q = new LinkedHashMap<>();
                for (Subscription s : ns) {
                    if (s.queue == null) {
                        p.add(s);
                    } else {
                        q.computeIfAbsent(new SubjectKey(s.queue), k -> new ArrayList<>()).add(s);
                    }
                }
                plain = p.toArray(MatchResult.NO_SUBS);
                queues = new Subscription[q.size()][];
                int i = 0;
                for (List<Subscription> members : q.values()) {
                    queues[i++] = members.toArray(MatchResult.NO_SUBS);
                }
            }
        }
        if (ch.length == 0 && pg.isEmpty() && plain.length == 0 && queues.length == 0) {
            return MatchResult.EMPTY;
        }
        return new MatchResult(ch, pg.toArray(MatchResult.NO_PATTERNS), plain, queues);
    }

    /** RESP shard channel subscribers (SPUBLISH), a namespace of its own. */
    public Subscription[] shardSubscribers(ByteBuf channel, int off, int len) {
        if (shards.isEmpty()) {
            return MatchResult.NO_SUBS;
        }
        return shards.getOrDefault(SubjectKey.of(channel, off, len), MatchResult.NO_SUBS);
    }

    /**
     * Whether a published subject can reach NATS subscriptions: non-empty tokens and no
     * whitespace, the subjects nats-server's sublist routes. Wildcard tokens are allowed and
     * matched literally, as nats-server does with a non-pedantic {@code PUB foo.*}.
     */
    static boolean isNatsRoutable(byte[] s) {
        if (s.length == 0) {
            return false;
        }
        int tokenStart = 0;
        for (int i = 0; i <= s.length; i++) {
            if (i == s.length || s[i] == '.') {
                if (i == tokenStart) {
                    return false;
                }
                tokenStart = i + 1;
            } else {
                byte b = s[i];
                if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == '\f') {
                    return false;
                }
            }
        }
        return true;
    }

    // ---- introspection for PUBSUB and the admin API (not on the publish path) ----

    public List<byte[]> channels(byte[] pattern) {
        return names(channels, pattern);
    }

    public List<byte[]> shardChannels(byte[] pattern) {
        return names(shards, pattern);
    }

    private static List<byte[]> names(ConcurrentHashMap<SubjectKey, Subscription[]> map, byte[] pattern) {
        List<byte[]> out = new ArrayList<>();
        for (SubjectKey k : map.keySet()) {
            if (pattern == null || RespGlob.match(pattern, k.bytes())) {
                out.add(k.bytes());
            }
        }
        return out;
    }

    public int numSub(byte[] channel) {
        return channels.getOrDefault(new SubjectKey(channel), MatchResult.NO_SUBS).length;
    }

    public int shardNumSub(byte[] channel) {
        return shards.getOrDefault(new SubjectKey(channel), MatchResult.NO_SUBS).length;
    }

    public int numPat() {
        return patterns.patternCount();
    }

    public int channelCount() {
        return channels.size();
    }

    public int natsSubscriptionCount() {
        return nats.count();
    }

    public int totalSubscriptions() {
        return total;
    }

    public long generation() {
        return generation;
    }

    /** Subscriptions added since start (nats-server's {@code num_inserts}). */
    public long inserts() {
        return inserts;
    }

    /** Subscriptions removed since start (nats-server's {@code num_removes}). */
    public long removes() {
        return removes;
    }

    /** Visits every subscription of every kind; lock-free, so it may miss concurrent changes. */
    public void forEach(Consumer<Subscription> visitor) {
        for (Subscription[] subs : channels.values()) {
            for (Subscription s : subs) {
                visitor.accept(s);
            }
        }
        for (PatternGroup g : patterns.groups()) {
            for (Subscription s : g.subs) {
                visitor.accept(s);
            }
        }
        for (Subscription[] subs : shards.values()) {
            for (Subscription s : subs) {
                visitor.accept(s);
            }
        }
        nats.forEach(visitor);
    }
}
