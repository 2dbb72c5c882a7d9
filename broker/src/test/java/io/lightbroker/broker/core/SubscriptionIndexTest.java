package io.lightbroker.broker.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every matcher test runs twice: through the per-loop cache and without it. */
class SubscriptionIndexTest {

    private static final class Stub implements Subscriber {
        final String name;

        Stub(String name) {
            this.name = name;
        }

        @Override
        public Outbound outbound() {
            return null;
        }

        @Override
        public long clientId() {
            return 0;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final SubscriptionIndex index = new SubscriptionIndex();
    private MatchCache cache;

    private MatchResult match(String subject) {
        ByteBuf b = Unpooled.copiedBuffer("xx" + subject, StandardCharsets.ISO_8859_1);
        return index.match(b, 2, b.readableBytes() - 2, cache);
    }

    private Subscription add(SubscriptionKind kind, String subject) {
        return add(kind, subject, null);
    }

    private Subscription add(SubscriptionKind kind, String subject, String queue) {
        Subscription s = new Subscription(new Stub(subject), kind, bytes(subject), queue == null ? null : bytes(queue), bytes("1"));
        index.add(s);
        return s;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private void useCache(boolean on) {
        cache = on ? new MatchCache() : null;
    }

    private static List<String> subjects(Subscription[] subs) {
        List<String> out = new ArrayList<>();
        for (Subscription s : subs) {
            out.add(new String(s.subject, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    private static List<String> patterns(MatchResult r) {
        List<String> out = new ArrayList<>();
        for (PatternGroup g : r.patterns) {
            out.add(new String(g.pattern, StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void emptyIndexMatchesNothing(boolean cached) {
        useCache(cached);
        assertThat(match("anything").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void exactChannelMatchesOnlyItself(boolean cached) {
        useCache(cached);
        add(SubscriptionKind.RESP_CHANNEL, "news");
        assertThat(subjects(match("news").channel)).containsExactly("news");
        assertThat(match("news2").isEmpty()).isTrue();
        assertThat(match("new").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void patternsAreFoundByPrefixAndByLeadingWildcard(boolean cached) {
        useCache(cached);
        add(SubscriptionKind.RESP_PATTERN, "orders.*");
        add(SubscriptionKind.RESP_PATTERN, "*.eu");
        add(SubscriptionKind.RESP_PATTERN, "ord?rs.e[a-z]");
        add(SubscriptionKind.RESP_PATTERN, "users.*");
        assertThat(patterns(match("orders.eu"))).containsExactlyInAnyOrder("orders.*", "*.eu", "ord?rs.e[a-z]");
        assertThat(patterns(match("users.eu"))).containsExactlyInAnyOrder("*.eu", "users.*");
        assertThat(match("other").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void membersOfOnePatternShareOneGroup(boolean cached) {
        useCache(cached);
        add(SubscriptionKind.RESP_PATTERN, "a*");
        add(SubscriptionKind.RESP_PATTERN, "a*");
        MatchResult r = match("abc");
        assertThat(r.patterns).hasSize(1);
        assertThat(r.patterns[0].subs).hasSize(2);
        assertThat(index.numPat()).isEqualTo(1);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void natsWildcardsFollowTokenRules(boolean cached) {
        useCache(cached);
        add(SubscriptionKind.NATS, "foo.*");
        add(SubscriptionKind.NATS, "foo.>");
        add(SubscriptionKind.NATS, ">");
        add(SubscriptionKind.NATS, "*.bar.baz");
        add(SubscriptionKind.NATS, "foo.bar");
        assertThat(subjects(match("foo").nats)).containsExactlyInAnyOrder(">");
        assertThat(subjects(match("foo.bar").nats)).containsExactlyInAnyOrder("foo.*", "foo.>", ">", "foo.bar");
        assertThat(subjects(match("foo.bar.baz").nats)).containsExactlyInAnyOrder("foo.>", ">", "*.bar.baz");
        assertThat(subjects(match("x.bar.baz").nats)).containsExactlyInAnyOrder(">", "*.bar.baz");
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void queueGroupsAreKeptApartFromPlainSubscribers(boolean cached) {
        useCache(cached);
        add(SubscriptionKind.NATS, "jobs.*", "workers");
        add(SubscriptionKind.NATS, "jobs.>", "workers");
        add(SubscriptionKind.NATS, "jobs.run", "auditors");
        add(SubscriptionKind.NATS, "jobs.run");
        MatchResult r = match("jobs.run");
        assertThat(subjects(r.nats)).containsExactly("jobs.run");
        assertThat(r.natsQueues.length).isEqualTo(2);
        assertThat(Arrays.stream(r.natsQueues).mapToInt(q -> q.length).sum()).isEqualTo(3);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void invalidNatsSubjectsFromRespReachOnlyRespSubscribers(boolean cached) {
        useCache(cached);
        add(SubscriptionKind.NATS, ">");
        add(SubscriptionKind.RESP_PATTERN, "*");
        for (String s : new String[] {"a..b", ".a", "a.", "a b", "a\tb"}) {
            MatchResult r = match(s);
            assertThat(r.nats).as(s).isEmpty();
            assertThat(r.patterns).as(s).hasSize(1);
        }
        // Redis quirk kept: stringmatchlen("*", "") is false, so the empty channel matches nothing.
        assertThat(match("").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void publishedWildcardTokensMatchLiterallyAsNatsServerRoutesThem(boolean cached) {
        useCache(cached);
        add(SubscriptionKind.NATS, "foo.*");
        add(SubscriptionKind.NATS, "foo.>");
        add(SubscriptionKind.NATS, "foo.bar");
        assertThat(subjects(match("foo.*").nats)).containsExactlyInAnyOrder("foo.*", "foo.>");
        assertThat(subjects(match("foo.>").nats)).containsExactlyInAnyOrder("foo.*", "foo.>");
    }

    /** nats-server 2.9 sends these MSG frames in exactly this order (recorded in the NATS differential corpus). */
    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void overlappingSubscriptionsComeInNatsServerOrder(boolean cached) {
        useCache(cached);
        for (String s : new String[] {"foo.bar", "foo.*", "foo.>", ">", "*.bar", "*.*"}) {
            add(SubscriptionKind.NATS, s);
        }
        assertThat(subjects(match("foo.bar").nats)).containsExactly(">", "*.bar", "*.*", "foo.>", "foo.bar", "foo.*");
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void changesAreSeenByTheNextLookup(boolean cached) {
        useCache(cached);
        assertThat(match("a.b").isEmpty()).isTrue();
        Subscription ch = add(SubscriptionKind.RESP_CHANNEL, "a.b");
        assertThat(match("a.b").channel).hasSize(1);
        Subscription pat = add(SubscriptionKind.RESP_PATTERN, "a.*");
        Subscription nats = add(SubscriptionKind.NATS, "a.*");
        MatchResult r = match("a.b");
        assertThat(r.channel).hasSize(1);
        assertThat(r.patterns).hasSize(1);
        assertThat(r.nats).hasSize(1);
        assertThat(index.remove(ch)).isTrue();
        assertThat(index.remove(pat)).isTrue();
        assertThat(index.remove(nats)).isTrue();
        assertThat(index.remove(nats)).isFalse();
        assertThat(match("a.b").isEmpty()).isTrue();
        assertThat(index.totalSubscriptions()).isZero();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void shardChannelsAreASeparateNamespace(boolean cached) {
        useCache(cached);
        add(SubscriptionKind.RESP_SHARD, "s");
        assertThat(match("s").isEmpty()).isTrue();
        ByteBuf b = Unpooled.copiedBuffer("s", StandardCharsets.ISO_8859_1);
        assertThat(index.shardSubscribers(b, 0, 1)).hasSize(1);
        assertThat(index.channels(null)).isEmpty();
        assertThat(index.shardChannels(null)).hasSize(1);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void removingTheLastNatsSubscriptionPrunesTheTrie(boolean cached) {
        useCache(cached);
        Subscription a = add(SubscriptionKind.NATS, "x.y.z");
        Subscription b = add(SubscriptionKind.NATS, "x.*.z");
        index.remove(a);
        index.remove(b);
        assertThat(index.natsSubscriptionCount()).isZero();
        add(SubscriptionKind.NATS, "x.y.z");
        assertThat(match("x.y.z").nats).hasSize(1);
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void manyPatternsWithDistinctPrefixesMatchOnlyTheirOwn(boolean cached) {
        useCache(cached);
        for (int i = 0; i < 2000; i++) {
            add(SubscriptionKind.RESP_PATTERN, "bench." + i + ".*");
        }
        assertThat(patterns(match("bench.17.x"))).containsExactly("bench.17.*");
        assertThat(patterns(match("bench.1999.y"))).containsExactly("bench.1999.*");
        assertThat(match("bench.2000.y").isEmpty()).isTrue();
    }

    @ParameterizedTest(name = "cache={0}")
    @ValueSource(booleans = {true, false})
    void cacheIsReusedWhileNothingChanges(boolean cached) {
        useCache(cached);
        add(SubscriptionKind.RESP_CHANNEL, "hot");
        MatchResult first = match("hot");
        MatchResult second = match("hot");
        if (cached) {
            assertThat(second).isSameAs(first);
            assertThat(cache.hits()).isEqualTo(1);
            assertThat(cache.misses()).isEqualTo(1);
        } else {
            assertThat(second).isNotSameAs(first);
        }
    }
}
