package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.lightbroker.resp.ParserHarness.multibulk;
import static io.lightbroker.resp.ParserHarness.parse;
import static io.lightbroker.resp.ParserHarness.parseUnauthenticated;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespRequestParserTest {

    @Test
    void multibulkCommandIsDeliveredWithItsArguments() {
        var result = parse("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nvalue\r\n");
        assertThat(result.commands()).containsExactly(List.of("SET", "k", "value"));
        assertThat(result.error()).isNull();
        assertThat(result.unconsumed()).isZero();
    }

    @Test
    void pipelinedCommandsAreDeliveredInOrder() {
        var result = parse(multibulk("PING") + "PING\r\n" + multibulk("ECHO", "x") + multibulk("PUBLISH", "c", "m"));
        assertThat(result.commands()).containsExactly(
                List.of("PING"), List.of("PING"), List.of("ECHO", "x"), List.of("PUBLISH", "c", "m"));
    }

    @Test
    void bulkArgumentsAreBinarySafe() {
        String binary = "a\r\n\0\u00ff*$\n";
        var result = parse(multibulk("PUBLISH", "ch\0an", binary));
        assertThat(result.commands()).containsExactly(List.of("PUBLISH", "ch\0an", binary));
    }

    @Test
    void emptyBulkArgumentIsAnEmptyString() {
        assertThat(parse("*2\r\n$4\r\nECHO\r\n$0\r\n\r\n").commands()).containsExactly(List.of("ECHO", ""));
    }

    @Test
    void multibulkArgumentsPointIntoTheInputBuffer() throws Exception {
        ByteBuf in = Unpooled.copiedBuffer(ParserHarness.bytes("xx" + multibulk("GET", "key")));
        in.readerIndex(2);
        List<int[]> seen = new ArrayList<>();
        new RespRequestParser(RespLimits.DEFAULTS).parse(in, args -> {
            assertThat(args.buffer(1)).isSameAs(in);
            seen.add(new int[] {args.offset(0), args.offset(1), args.length(1)});
        });
        assertThat(seen).singleElement().satisfies(o -> assertThat(o).containsExactly(2 + 8, 2 + 17, 3));
    }

    @Test
    void zeroAndNegativeMultibulkCountsAreSkippedAsEmptyCommands() {
        var result = parse("*0\r\n*-1\r\n*-5\r\n" + multibulk("PING"));
        assertThat(result.commands()).containsExactly(List.of("PING"));
        assertThat(result.unconsumed()).isZero();
    }

    @Test
    void bytesAfterTheCountLineCarriageReturnAreNotChecked() {
        assertThat(parse("*1\rX$4\rXPING\r\n").commands()).containsExactly(List.of("PING"));
    }

    @Test
    void twoBytesAfterABulkPayloadAreSkippedWhateverTheyAre() {
        assertThat(parse("*1\r\n$4\r\nPINGxy*1\r\n$4\r\nPING\r\n").commands())
                .containsExactly(List.of("PING"), List.of("PING"));
    }

    @Test
    void incompleteCommandIsLeftUnconsumed() {
        var result = parse(multibulk("PING") + "*2\r\n$4\r\nECHO\r\n$5\r\nhel");
        assertThat(result.commands()).containsExactly(List.of("PING"));
        assertThat(result.unconsumed()).isEqualTo("*2\r\n$4\r\nECHO\r\n$5\r\nhel".length());
    }

    @Test
    void countLineWaitsForTheByteAfterItsCarriageReturn() {
        assertThat(parse("*1\r").unconsumed()).isEqualTo(3);
        assertThat(parse("*1\r\n$4\r").commands()).isEmpty();
    }

    @Test
    void largestMultibulkCountIsAccepted() {
        var result = parse("*2147483647\r\n");
        assertThat(result.error()).isNull();
        assertThat(result.commands()).isEmpty();
    }

    @Test
    void multibulkCountAboveIntMaxIsInvalid() {
        assertThat(parse("*2147483648\r\n").error()).isEqualTo("ERR Protocol error: invalid multibulk length");
    }

    @Test
    void multibulkCountFollowsString2llRules() {
        for (String bad : new String[] {"*+1\r\n", "*01\r\n", "* 1\r\n", "*1 \r\n", "*\r\n", "*-\r\n", "*-0\r\n", "*x\r\n"}) {
            assertThat(parse(bad).error()).as(bad).isEqualTo(RespErrors.PROTOCOL_INVALID_MULTIBULK_LENGTH);
        }
    }

    @Test
    void lineFeedOnlyCountLineRunsIntoTheNextCarriageReturnAndFails() {
        assertThat(parse("*1\r\n$4\nPING\r\n").error()).isEqualTo("ERR Protocol error: invalid bulk length");
    }

    @Test
    void negativeBulkLengthIsInvalid() {
        assertThat(parse("*1\r\n$-1\r\n").error()).isEqualTo("ERR Protocol error: invalid bulk length");
    }

    @Test
    void bulkLengthAboveProtoMaxBulkLenIsInvalid() {
        assertThat(parse("*1\r\n$536870913\r\n").error()).isEqualTo(RespErrors.PROTOCOL_INVALID_BULK_LENGTH);
        var atLimit = parse("*1\r\n$536870912\r\n");
        assertThat(atLimit.error()).isNull();
        assertThat(atLimit.commands()).isEmpty();
    }

    @Test
    void configuredLimitsAreEnforced() {
        var parser = new RespRequestParser(new RespLimits(5, 2, 10));
        var tooManyArgs = ParserHarness.parse(parser, true, ParserHarness.Cumulation.APPEND,
                ParserHarness.bytes("*3\r\n"));
        assertThat(tooManyArgs.error()).isEqualTo(RespErrors.PROTOCOL_INVALID_MULTIBULK_LENGTH);

        var bigBulk = ParserHarness.parse(new RespRequestParser(new RespLimits(5, 2, 10)), true,
                ParserHarness.Cumulation.APPEND, ParserHarness.bytes("*1\r\n$6\r\n"));
        assertThat(bigBulk.error()).isEqualTo(RespErrors.PROTOCOL_INVALID_BULK_LENGTH);

        var longInline = ParserHarness.parse(new RespRequestParser(new RespLimits(5, 2, 10)), true,
                ParserHarness.Cumulation.APPEND, ParserHarness.bytes("PING PING P"));
        assertThat(longInline.error()).isEqualTo(RespErrors.PROTOCOL_TOO_BIG_INLINE_REQUEST);
    }

    @Test
    void somethingOtherThanDollarWhereABulkIsExpectedIsAnError() {
        assertThat(parse("*1\r\n+4\r\n").error()).isEqualTo("ERR Protocol error: expected '$', got '+'");
        assertThat(parse("*1\r\n:4\r\n").error()).isEqualTo("ERR Protocol error: expected '$', got ':'");
    }

    @Test
    void carriageReturnWhereABulkIsExpectedPrintsAsASpace() {
        assertThat(parse("*1\r\n\r\n\r\n").error()).isEqualTo("ERR Protocol error: expected '$', got ' '");
    }

    @Test
    void highByteWhereABulkIsExpectedIsPrintedRaw() {
        assertThat(parse("*1\r\n\u00e9\r\n").error()).isEqualTo("ERR Protocol error: expected '$', got '\u00e9'");
    }

    @Test
    void commandsBeforeAProtocolErrorAreDelivered() {
        var result = parse(multibulk("PING") + "PING\r\n*1\r\n$x\r\n" + multibulk("PING"));
        assertThat(result.commands()).containsExactly(List.of("PING"), List.of("PING"));
        assertThat(result.error()).isEqualTo(RespErrors.PROTOCOL_INVALID_BULK_LENGTH);
    }

    @Test
    void parserKeepsFailingWithTheSameErrorUntilReset() throws Exception {
        var parser = new RespRequestParser(RespLimits.DEFAULTS);
        parser.setAuthenticated(true);
        ByteBuf in = Unpooled.copiedBuffer(ParserHarness.bytes("*x\r\n"));
        assertThatThrownBy(() -> parser.parse(in, args -> { }))
                .isInstanceOf(RespProtocolException.class)
                .hasMessage(RespErrors.PROTOCOL_INVALID_MULTIBULK_LENGTH);
        assertThatThrownBy(() -> parser.parse(in, args -> { }))
                .hasMessage(RespErrors.PROTOCOL_INVALID_MULTIBULK_LENGTH);
        parser.reset();
        List<String> got = new ArrayList<>();
        parser.parse(Unpooled.copiedBuffer(ParserHarness.bytes("PING\r\n")), args -> got.add(args.string(0)));
        assertThat(got).containsExactly("PING");
    }

    @Test
    void countLineWithoutLineEndIsTooBigPastTheInlineLimit() {
        assertThat(parse("*" + "1".repeat(64 * 1024 - 1)).error()).isNull();
        assertThat(parse("*" + "1".repeat(64 * 1024)).error())
                .isEqualTo("ERR Protocol error: too big mbulk count string");
    }

    @Test
    void bulkLengthLineWithoutLineEndIsTooBigPastTheInlineLimit() {
        assertThat(parse("*1\r\n$" + "1".repeat(64 * 1024 - 1)).error()).isNull();
        assertThat(parse("*1\r\n$" + "1".repeat(64 * 1024)).error())
                .isEqualTo("ERR Protocol error: too big bulk count string");
    }

    @Test
    void nulByteBeforeTheCountLineEndKeepsTheLineIncompleteUntilTooBig() {
        var waiting = parse("*1\0\r\n" + multibulk("PING"));
        assertThat(waiting.commands()).isEmpty();
        assertThat(waiting.error()).isNull();
        assertThat(parse("*1\0\r\n" + "x".repeat(64 * 1024)).error()).isEqualTo(RespErrors.PROTOCOL_TOO_BIG_MBULK_COUNT);
    }

    @Test
    void nulByteBeforeABulkLengthLineEndKeepsTheCommandIncomplete() {
        var result = parse("*1\r\n$4\0\r\nPING\r\n" + multibulk("PING"));
        assertThat(result.commands()).isEmpty();
        assertThat(result.error()).isNull();
    }

    @Test
    void unauthenticatedClientMaySendTenArguments() {
        var result = parseUnauthenticated("*10\r\n");
        assertThat(result.error()).isNull();
    }

    @Test
    void unauthenticatedClientSendingElevenArgumentsIsRejected() {
        assertThat(parseUnauthenticated("*11\r\n").error())
                .isEqualTo("ERR Protocol error: unauthenticated multibulk length");
    }

    @Test
    void unauthenticatedBulkLimitIs16384Bytes() {
        assertThat(parseUnauthenticated("*1\r\n$16384\r\n").error()).isNull();
        assertThat(parseUnauthenticated("*1\r\n$16385\r\n").error())
                .isEqualTo("ERR Protocol error: unauthenticated bulk length");
    }

    @Test
    void invalidLengthIsReportedBeforeTheUnauthenticatedLimit() {
        assertThat(parseUnauthenticated("*11x\r\n").error()).isEqualTo(RespErrors.PROTOCOL_INVALID_MULTIBULK_LENGTH);
        assertThat(parseUnauthenticated("*1\r\n$-1\r\n").error()).isEqualTo(RespErrors.PROTOCOL_INVALID_BULK_LENGTH);
    }

    @Test
    void unauthenticatedLimitsDoNotApplyToInlineCommands() {
        var result = parseUnauthenticated("ECHO " + "a ".repeat(20) + "\r\n");
        assertThat(result.error()).isNull();
        assertThat(result.commands()).singleElement().satisfies(c -> assertThat(c).hasSize(21));
    }

    @Test
    void authenticatingInTheSinkLiftsTheLimitsForTheNextCommandOfThePipeline() throws Exception {
        var parser = new RespRequestParser(RespLimits.DEFAULTS);
        ByteBuf in = Unpooled.copiedBuffer(ParserHarness.bytes(
                multibulk("AUTH", "secret") + multibulk("ECHO", "x".repeat(20000))));
        List<Integer> lengths = new ArrayList<>();
        parser.parse(in, args -> {
            if (args.equalsIgnoreCase(0, "AUTH".getBytes())) {
                parser.setAuthenticated(true);
            }
            lengths.add(args.length(args.count() - 1));
        });
        assertThat(lengths).containsExactly(6, 20000);
    }

    @Test
    void stopFromTheSinkLeavesTheRestOfThePipelineUnconsumed() throws Exception {
        var parser = new RespRequestParser(RespLimits.DEFAULTS);
        String rest = multibulk("PING");
        ByteBuf in = Unpooled.copiedBuffer(ParserHarness.bytes(multibulk("QUIT") + rest));
        List<String> got = new ArrayList<>();
        parser.parse(in, args -> {
            got.add(args.string(0));
            parser.stop();
        });
        assertThat(got).containsExactly("QUIT");
        assertThat(in.readableBytes()).isEqualTo(rest.length());
        parser.parse(in, args -> got.add(args.string(0)));
        assertThat(got).containsExactly("QUIT", "PING");
    }

    @Test
    void readerIndexIsPastTheCommandWhileTheSinkRuns() throws Exception {
        ByteBuf in = Unpooled.copiedBuffer(ParserHarness.bytes(multibulk("A") + multibulk("BB")));
        List<Integer> readerIndexes = new ArrayList<>();
        new RespRequestParser(RespLimits.DEFAULTS).parse(in, args -> readerIndexes.add(in.readerIndex()));
        assertThat(readerIndexes).containsExactly(11, 23);
    }
}
