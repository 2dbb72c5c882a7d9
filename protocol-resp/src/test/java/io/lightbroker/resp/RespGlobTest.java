package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.junit.jupiter.api.Test;

import static io.lightbroker.resp.ParserHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;

class RespGlobTest {

    private static boolean matches(String pattern, String string) {
        return RespGlob.match(bytes(pattern), bytes(string));
    }

    @Test
    void literalPatternMatchesOnlyItself() {
        assertThat(matches("news", "news")).isTrue();
        assertThat(matches("news", "news.x")).isFalse();
        assertThat(matches("news", "new")).isFalse();
    }

    @Test
    void starMatchesAnyRunIncludingAnEmptyOne() {
        assertThat(matches("news.*", "news.")).isTrue();
        assertThat(matches("news.*", "news.sport")).isTrue();
        assertThat(matches("*.sport", "news.sport")).isTrue();
        assertThat(matches("n*s*t", "news.sport")).isTrue();
        assertThat(matches("n*s*x", "news.sport")).isFalse();
        assertThat(matches("a**b", "ab")).isTrue();
    }

    @Test
    void emptyStringIsMatchedOnlyByTheEmptyPattern() {
        assertThat(matches("", "")).isTrue();
        assertThat(matches("*", "")).isFalse();
        assertThat(matches("**", "")).isFalse();
        assertThat(matches("", "a")).isFalse();
    }

    @Test
    void questionMarkMatchesExactlyOneByte() {
        assertThat(matches("h?llo", "hello")).isTrue();
        assertThat(matches("h?llo", "hllo")).isFalse();
        assertThat(matches("?", "\n")).isTrue();
    }

    @Test
    void bracketMatchesOneByteOfTheSet() {
        assertThat(matches("h[ae]llo", "hallo")).isTrue();
        assertThat(matches("h[ae]llo", "hillo")).isFalse();
        assertThat(matches("h[^e]llo", "hallo")).isTrue();
        assertThat(matches("h[^e]llo", "hello")).isFalse();
        assertThat(matches("h[a-b]llo", "hbllo")).isTrue();
        assertThat(matches("[\\]]", "]")).isTrue();
    }

    @Test
    void reversedRangeMatchesLikeTheForwardOne() {
        assertThat(matches("[z-a]", "m")).isTrue();
        assertThat(matches("[c-a]", "d")).isFalse();
    }

    @Test
    void rangesCompareBytesAsSignedChars() {
        assertThat(matches("[a-\u00ff]", "\u00ff")).isTrue();
        assertThat(matches("[a-\u00ff]", "\u0000")).isTrue();
        assertThat(matches("[a-\u00ff]", "0")).isTrue();
        assertThat(matches("[a-\u00ff]", "\u0080")).isFalse();
        assertThat(matches("[\u0080-\u00ff]", "\u00c0")).isTrue();
        assertThat(matches("[a-\u00ff]", "b")).isFalse();
    }

    @Test
    void rangeEndingInClosingBracketSwallowsIt() {
        assertThat(matches("[a-]", "^")).isTrue();
        assertThat(matches("[a-]x", "ax")).isFalse();
        assertThat(matches("[a-]", "-")).isFalse();
    }

    @Test
    void unterminatedBracketRunsToTheEndOfThePattern() {
        assertThat(matches("[abc", "b")).isTrue();
        assertThat(matches("x[ab", "xa")).isTrue();
        assertThat(matches("[", "[")).isFalse();
        assertThat(matches("[^", "q")).isTrue();
        assertThat(matches("a[", "a")).isFalse();
    }

    @Test
    void backslashEscapesTheNextByte() {
        assertThat(matches("a\\*", "a*")).isTrue();
        assertThat(matches("a\\*", "ab")).isFalse();
        assertThat(matches("\\?", "?")).isTrue();
        assertThat(matches("a\\", "a\\")).isTrue();
        assertThat(matches("[\\", "\\")).isTrue();
    }

    @Test
    void matchingWorksOnABufferSlice() {
        ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer();
        try {
            buf.writeBytes(bytes("xxnews.sportyy"));
            assertThat(RespGlob.match(bytes("news.*"), buf, 2, 10)).isTrue();
            assertThat(RespGlob.match(bytes("news.*t"), buf, 2, 10)).isTrue();
            assertThat(RespGlob.match(bytes("news.*y"), buf, 2, 10)).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void moreThanAThousandNestedStarsNeverMatch() {
        String stars1000 = "a*".repeat(1000) + "a";
        String stars1001 = "a*".repeat(1001) + "a";
        assertThat(matches(stars1000, "a".repeat(2001))).isTrue();
        assertThat(matches(stars1001, "a".repeat(2003))).isFalse();
    }

    @Test
    void pathologicalPatternFinishesQuickly() {
        String pattern = "a*".repeat(30) + "b";
        long start = System.nanoTime();
        assertThat(matches(pattern, "a".repeat(5000))).isFalse();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void literalPrefixStopsAtTheFirstSpecialByte() {
        assertThat(RespGlob.literalPrefixLength(bytes("news.*"))).isEqualTo(5);
        assertThat(RespGlob.literalPrefixLength(bytes("a?b"))).isEqualTo(1);
        assertThat(RespGlob.literalPrefixLength(bytes("ab[c]"))).isEqualTo(2);
        assertThat(RespGlob.literalPrefixLength(bytes("a\\*"))).isEqualTo(1);
        assertThat(RespGlob.literalPrefixLength(bytes("*"))).isZero();
        assertThat(RespGlob.literalPrefixLength(bytes("plain"))).isEqualTo(5);
        assertThat(RespGlob.isLiteral(bytes("plain"))).isTrue();
        assertThat(RespGlob.isLiteral(bytes("a]^-"))).isTrue();
    }
}
