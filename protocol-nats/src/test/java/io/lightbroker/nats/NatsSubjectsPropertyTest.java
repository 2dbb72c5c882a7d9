package io.lightbroker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** {@link NatsSubjects#matches} against a naive reference that splits on '.' and compares tokens. */
class NatsSubjectsPropertyTest {

    /** The reference: split both on '.', reject empty subject tokens, walk the filter's tokens. */
    static boolean naiveMatch(String filter, String subject) {
        String[] s = subject.split("\\.", -1);
        for (String t : s) {
            if (t.isEmpty()) {
                return false;
            }
        }
        String[] f = filter.split("\\.", -1);
        for (int i = 0; i < f.length; i++) {
            if (f[i].equals(">")) {
                return i == f.length - 1 && s.length > i;
            }
            if (i >= s.length) {
                return false;
            }
            if (!f[i].equals("*") && !f[i].equals(s[i])) {
                return false;
            }
        }
        return f.length == s.length;
    }

    private static Arbitrary<String> token() {
        return Arbitraries.oneOf(
            Arbitraries.of("a", "b", "foo", "*", ">", "a*", "b>", "ab"),
            Arbitraries.strings().withChars("ab*>").ofMinLength(1).ofMaxLength(3));
    }

    @Provide
    Arbitrary<String> filters() {
        return Combinators.combine(token().list().ofMinSize(1).ofMaxSize(5), Arbitraries.of(true, false))
            .as((tokens, fwc) -> {
                List<String> t = tokens.stream().map(x -> x.equals(">") ? "*" : x).toList();
                String joined = String.join(".", t);
                return fwc ? joined + ".>" : joined;
            })
            .filter(f -> NatsSubjects.isValidSubject(f.getBytes(StandardCharsets.UTF_8)));
    }

    @Provide
    Arbitrary<String> subjects() {
        Arbitrary<String> wellFormed = token().list().ofMinSize(1).ofMaxSize(6).map(t -> String.join(".", t));
        Arbitrary<String> anyDots = Arbitraries.strings().withChars("ab.*>").ofMinLength(0).ofMaxLength(10);
        return Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(8, wellFormed),
            net.jqwik.api.Tuple.of(2, anyDots));
    }

    @Property(tries = 3000)
    void matchesAgreesWithTheNaiveReference(@ForAll("filters") String filter, @ForAll("subjects") String subject) {
        ByteBuf buf = Unpooled.wrappedBuffer(("##" + subject + "##").getBytes(StandardCharsets.UTF_8));
        boolean actual = NatsSubjects.matches(filter.getBytes(StandardCharsets.UTF_8), buf, 2, subject.length());
        assertThat(actual).as("%s ~ %s", filter, subject).isEqualTo(naiveMatch(filter, subject));
    }

    @Property(tries = 1000)
    void everyLiteralValidSubjectMatchesItselfAndTheFullWildcard(@ForAll("subjects") String subject) {
        byte[] s = subject.getBytes(StandardCharsets.UTF_8);
        if (NatsSubjects.isValidPublishSubject(s)) {
            assertThat(NatsSubjects.matches(s, s)).isTrue();
            assertThat(NatsSubjects.matches(">".getBytes(StandardCharsets.UTF_8), s)).isTrue();
        }
    }
}
