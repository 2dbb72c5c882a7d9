package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static io.lightbroker.resp.EncodedBytes.encode;
import static org.assertj.core.api.Assertions.assertThat;

class RespWriterTest {

    @Test
    void simpleStringIsPlusTextCrlf() {
        assertThat(encode(out -> RespWriter.simpleString(out, "PONG"))).isEqualTo("+PONG\r\n");
        assertThat(encode(RespWriter::ok)).isEqualTo("+OK\r\n");
    }

    @Test
    void errorIsDashMessageCrlf() {
        assertThat(encode(out -> RespWriter.error(out, RespErrors.NOAUTH))).isEqualTo("-NOAUTH Authentication required.\r\n");
    }

    @Test
    void lineBreaksInsideAStatusOrErrorBecomeSpaces() {
        assertThat(encode(out -> RespWriter.error(out, "ERR a\r\nb"))).isEqualTo("-ERR a  b\r\n");
        assertThat(encode(out -> RespWriter.simpleString(out, "x\ny"))).isEqualTo("+x y\r\n");
    }

    @Test
    void errorTextCharsUpToFfAreWrittenAsSingleBytes() {
        assertThat(encode(out -> RespWriter.error(out, "ERR got '\u00e9'"))).isEqualTo("-ERR got '\u00e9'\r\n");
    }

    @Test
    void integersAreWrittenInDecimalIncludingTheExtremes() {
        assertThat(encode(out -> RespWriter.integer(out, 0))).isEqualTo(":0\r\n");
        assertThat(encode(out -> RespWriter.integer(out, 7))).isEqualTo(":7\r\n");
        assertThat(encode(out -> RespWriter.integer(out, -42))).isEqualTo(":-42\r\n");
        assertThat(encode(out -> RespWriter.integer(out, 1234567890123L))).isEqualTo(":1234567890123\r\n");
        assertThat(encode(out -> RespWriter.integer(out, Long.MAX_VALUE))).isEqualTo(":9223372036854775807\r\n");
        assertThat(encode(out -> RespWriter.integer(out, Long.MIN_VALUE))).isEqualTo(":-9223372036854775808\r\n");
    }

    @Test
    void integerSizeIsExactForEveryMagnitude() {
        long[] values = {0, 9, 10, 99, 100, -1, -10, 999_999_999_999L, 1_000_000_000_000_000_000L,
                Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1};
        for (long v : values) {
            assertThat(RespWriter.integerSize(v)).as("%d", v).isEqualTo(encode(out -> RespWriter.integer(out, v)).length());
        }
        for (long v = 1; v > 0 && v < Long.MAX_VALUE / 10; v *= 10) {
            long value = v;
            assertThat(RespWriter.integerSize(value - 1)).isEqualTo(encode(out -> RespWriter.integer(out, value - 1)).length());
            assertThat(RespWriter.integerSize(value)).isEqualTo(encode(out -> RespWriter.integer(out, value)).length());
        }
    }

    @Test
    void bulkStringsFromEverySourceAreLengthPrefixed() {
        ByteBuf src = Unpooled.copiedBuffer(ParserHarness.bytes("xxhello"));
        assertThat(encode(out -> RespWriter.bulk(out, src, 2, 5))).isEqualTo("$5\r\nhello\r\n");
        assertThat(encode(out -> RespWriter.bulk(out, new byte[] {0, '\r', '\n'}))).isEqualTo("$3\r\n\0\r\n\r\n");
        assertThat(encode(out -> RespWriter.bulk(out, "caf\u00e9"))).isEqualTo("$4\r\ncaf\u00e9\r\n");
        assertThat(encode(out -> RespWriter.bulk(out, ""))).isEqualTo("$0\r\n\r\n");
        assertThat(RespWriter.bulkSize(5)).isEqualTo(11);
        assertThat(RespWriter.bulkSize(10)).isEqualTo(17);
    }

    @Test
    void nullsDifferBetweenResp2AndResp3() {
        assertThat(encode(out -> RespWriter.nullBulk(out, false))).isEqualTo("$-1\r\n");
        assertThat(encode(out -> RespWriter.nullBulk(out, true))).isEqualTo("_\r\n");
        assertThat(encode(out -> RespWriter.nullArray(out, false))).isEqualTo("*-1\r\n");
        assertThat(encode(out -> RespWriter.nullArray(out, true))).isEqualTo("_\r\n");
    }

    @Test
    void aggregateHeadersFollowTheProtocolVersion() {
        assertThat(encode(out -> RespWriter.arrayHeader(out, 3))).isEqualTo("*3\r\n");
        assertThat(encode(out -> RespWriter.pushHeader(out, 3, false))).isEqualTo("*3\r\n");
        assertThat(encode(out -> RespWriter.pushHeader(out, 3, true))).isEqualTo(">3\r\n");
        assertThat(encode(out -> RespWriter.mapHeader(out, 7, false))).isEqualTo("*14\r\n");
        assertThat(encode(out -> RespWriter.mapHeader(out, 7, true))).isEqualTo("%7\r\n");
        assertThat(encode(out -> RespWriter.setHeader(out, 2, false))).isEqualTo("*2\r\n");
        assertThat(encode(out -> RespWriter.setHeader(out, 2, true))).isEqualTo("~2\r\n");
        assertThat(RespWriter.aggregateHeaderSize(14)).isEqualTo(5);
    }

    @Test
    void verbatimIsTxtPrefixedInResp3AndAPlainBulkInResp2() {
        assertThat(encode(out -> RespWriter.verbatim(out, "# Server\r\n", true))).isEqualTo("=14\r\ntxt:# Server\r\n\r\n");
        assertThat(encode(out -> RespWriter.verbatim(out, "# Server\r\n", false))).isEqualTo("$10\r\n# Server\r\n\r\n");
    }

    @Test
    void booleansAreHashInResp3AndIntegersInResp2() {
        assertThat(encode(out -> RespWriter.bool(out, true, true))).isEqualTo("#t\r\n");
        assertThat(encode(out -> RespWriter.bool(out, false, true))).isEqualTo("#f\r\n");
        assertThat(encode(out -> RespWriter.bool(out, true, false))).isEqualTo(":1\r\n");
        assertThat(encode(out -> RespWriter.bool(out, false, false))).isEqualTo(":0\r\n");
    }

    @Test
    void doublesUseCPercent17gLikeRedis() {
        // Observed from redis-server 7.0.15 with HELLO 3: ZSCORE of 0.1 and 1e300, ZINCRBY 1.5 by 1.
        assertThat(encode(out -> RespWriter.doubleValue(out, 0.1, true))).isEqualTo(",0.10000000000000001\r\n");
        assertThat(encode(out -> RespWriter.doubleValue(out, 1e300, true))).isEqualTo(",1.0000000000000001e+300\r\n");
        assertThat(encode(out -> RespWriter.doubleValue(out, 2.5, true))).isEqualTo(",2.5\r\n");
        assertThat(encode(out -> RespWriter.doubleValue(out, 2.5, false))).isEqualTo("$3\r\n2.5\r\n");
        assertThat(encode(out -> RespWriter.doubleValue(out, Double.POSITIVE_INFINITY, true))).isEqualTo(",inf\r\n");
        assertThat(encode(out -> RespWriter.doubleValue(out, Double.NEGATIVE_INFINITY, false))).isEqualTo("$4\r\n-inf\r\n");
    }

    @Test
    void percent17gPicksNotationByExponent() {
        assertThat(RespDoubles.formatG17(0)).isEqualTo("0");
        assertThat(RespDoubles.formatG17(-0.0)).isEqualTo("-0");
        assertThat(RespDoubles.formatG17(100)).isEqualTo("100");
        assertThat(RespDoubles.formatG17(-3)).isEqualTo("-3");
        assertThat(RespDoubles.formatG17(1e16)).isEqualTo("10000000000000000");
        assertThat(RespDoubles.formatG17(1e17)).isEqualTo("1e+17");
        assertThat(RespDoubles.formatG17(0.0001)).isEqualTo("0.0001");
        assertThat(RespDoubles.formatG17(0.00001)).isEqualTo("1.0000000000000001e-05");
        assertThat(RespDoubles.formatG17(1.5e-7)).isEqualTo("1.4999999999999999e-07");
    }
}
