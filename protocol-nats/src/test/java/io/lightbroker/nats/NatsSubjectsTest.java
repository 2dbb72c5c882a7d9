package io.lightbroker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NatsSubjectsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void validSubjectsAsForSub() {
        for (String s : List.of("foo", "foo.bar", "foo.*", "foo.>", ">", "*", "*.*.>", "a*", "b>.c", "foo.*.bar",
            "$SYS.REQ", "_INBOX.abc.123", "é.ü")) {
            assertThat(NatsSubjects.isValidSubject(b(s))).as(s).isTrue();
            assertThat(NatsSubjects.isValidSubscriptionSubject(b(s))).as(s).isTrue();
        }
    }

    @Test
    void invalidSubjects() {
        // nats-server: SUB a..b 1 and SUB a.>.b 1 -> -ERR 'Invalid Subject', connection stays open
        for (String s : List.of("", ".", "a..b", ".a", "a.", "a.>.b", ">.a", "> .a", "a b", "a\tb", "a\fb", "a.\r")) {
            assertThat(NatsSubjects.isValidSubject(b(s))).as(s).isFalse();
        }
    }

    @Test
    void subscriptionSubjectsDoNotCheckWhitespace() {
        // the subscription index only checks tokens; a form feed can reach it inside a SUB token
        assertThat(NatsSubjects.isValidSubscriptionSubject(b("a\fb"))).isTrue();
        assertThat(NatsSubjects.isValidSubscriptionSubject(b("a..b"))).isFalse();
        assertThat(NatsSubjects.isValidSubscriptionSubject(b("a.>.b"))).isFalse();
        assertThat(NatsSubjects.isValidSubscriptionSubject(b(""))).isFalse();
    }

    @Test
    void literalSubjectsForPedanticPub() {
        // nats-server, pedantic: PUB a.* 1 -> -ERR 'Invalid Publish Subject', then the message is accepted
        for (String s : List.of("foo", "foo.bar", "a*", "b>", "foo.*x", "a b")) {
            assertThat(NatsSubjects.isValidLiteralSubject(b(s))).as(s).isTrue();
        }
        for (String s : List.of("", "a.*", "*", ">", "a.>", "a..b", "a.", ".a")) {
            assertThat(NatsSubjects.isValidLiteralSubject(b(s))).as(s).isFalse();
        }
    }

    @Test
    void publishSubjectsAreValidAndLiteral() {
        assertThat(NatsSubjects.isValidPublishSubject(b("foo.bar"))).isTrue();
        assertThat(NatsSubjects.isValidPublishSubject(b("foo.*"))).isFalse();
        assertThat(NatsSubjects.isValidPublishSubject(b("a b"))).isFalse();
    }

    @Test
    void queueNames() {
        assertThat(NatsSubjects.isValidQueueName(b("workers"))).isTrue();
        assertThat(NatsSubjects.isValidQueueName(b("q.*"))).isTrue();
        assertThat(NatsSubjects.isValidQueueName(b(""))).isFalse();
        assertThat(NatsSubjects.isValidQueueName(b("a b"))).isFalse();
    }

    @Test
    void wildcardDetectionLooksAtWholeTokens() {
        assertThat(NatsSubjects.hasWildcard(Unpooled.wrappedBuffer(b("a.*")), 0, 3)).isTrue();
        assertThat(NatsSubjects.hasWildcard(Unpooled.wrappedBuffer(b(">")), 0, 1)).isTrue();
        assertThat(NatsSubjects.hasWildcard(Unpooled.wrappedBuffer(b("a*.b>")), 0, 5)).isFalse();
    }

    /**
     * Recorded from nats-server 2.9.10: one connection subscribed to every filter, then published
     * to each subject (pedantic off) and noted which subscriptions got a MSG.
     */
    @Test
    void matchesAgreesWithNatsServer() {
        List<String> filters = List.of("foo", "foo.bar", "foo.*", "foo.>", "*", "*.*", ">", "foo.*.baz", "*.bar",
            "a*", "foo.b>", "*.>", "foo.bar.>", "a.*", "a.b");
        Map<String, List<String>> recorded = Map.ofEntries(
            Map.entry("foo", List.of("foo", "*", ">")),
            Map.entry("foo.bar", List.of("foo.bar", "foo.*", "foo.>", "*.*", ">", "*.bar", "*.>")),
            Map.entry("foo.bar.baz", List.of("foo.>", ">", "foo.*.baz", "*.>", "foo.bar.>")),
            Map.entry("bar", List.of("*", ">")),
            Map.entry("foo.baz.baz", List.of("foo.>", ">", "foo.*.baz", "*.>")),
            Map.entry("a*", List.of("*", ">", "a*")),
            Map.entry("foo.b>", List.of("foo.*", "foo.>", "*.*", ">", "foo.b>", "*.>")),
            Map.entry("a.*", List.of("*.*", ">", "*.>", "a.*")),
            Map.entry("a.b", List.of("*.*", ">", "*.>", "a.*", "a.b")),
            Map.entry("x.bar", List.of("*.*", ">", "*.bar", "*.>")),
            Map.entry("foo..bar", List.of()),
            Map.entry("foo.", List.of()),
            Map.entry("foo.bar.", List.of()),
            Map.entry("a.>", List.of("*.*", ">", "*.>", "a.*")));
        recorded.forEach((subject, expected) -> {
            List<String> matched = new ArrayList<>();
            ByteBuf buf = Unpooled.wrappedBuffer(b("xx" + subject));
            for (String f : filters) {
                if (NatsSubjects.matches(b(f), buf, 2, subject.length())) {
                    matched.add(f);
                }
            }
            assertThat(matched).as(subject).containsExactlyInAnyOrderElementsOf(expected);
        });
    }

    @Test
    void fullWildcardNeedsAtLeastOneToken() {
        assertThat(NatsSubjects.matches(b("foo.>"), b("foo"))).isFalse();
        assertThat(NatsSubjects.matches(b("foo.>"), b("foo.a"))).isTrue();
        assertThat(NatsSubjects.matches(b(">"), b("a"))).isTrue();
        assertThat(NatsSubjects.matches(b(">"), b(""))).isFalse();
        assertThat(NatsSubjects.matches(b("*"), b(""))).isFalse();
        assertThat(NatsSubjects.matches(b("foo.*"), b("foo.bar.baz"))).isFalse();
        assertThat(NatsSubjects.matches(b("foo.bar"), b("foo"))).isFalse();
        assertThat(NatsSubjects.matches(b("foo"), b("foo.bar"))).isFalse();
    }

    @Test
    void tokensAreWalkedWithoutAllocation() {
        SubjectTokens tokens = new SubjectTokens();
        List<String> seen = new ArrayList<>();
        byte[] subject = b("..foo.*.>.");
        tokens.reset(subject, 2, subject.length - 2);
        while (tokens.next()) {
            seen.add(new String(subject, tokens.tokenIndex(), tokens.tokenLength(), StandardCharsets.UTF_8)
                + (tokens.tokenIs((byte) '*') ? "(pwc)" : "") + (tokens.tokenIs((byte) '>') ? "(fwc)" : ""));
        }
        assertThat(seen).containsExactly("foo", "*(pwc)", ">(fwc)", "");

        seen.clear();
        ByteBuf buf = Unpooled.wrappedBuffer(b("a"));
        tokens.reset(buf, 0, 1);
        while (tokens.next()) {
            seen.add(buf.toString(tokens.tokenIndex(), tokens.tokenLength(), StandardCharsets.UTF_8));
        }
        assertThat(seen).containsExactly("a");

        tokens.reset(buf, 0, 0);
        assertThat(tokens.next()).isTrue();
        assertThat(tokens.tokenLength()).isZero();
        assertThat(tokens.next()).isFalse();
    }
}
