package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.lightbroker.resp.ParserHarness.parse;
import static org.assertj.core.api.Assertions.assertThat;

/** Inline commands, split with Redis's sdssplitargs rules; expectations checked against redis-server 7.0. */
class RespInlineCommandTest {

    private static List<String> only(String stream) {
        var result = parse(stream);
        assertThat(result.error()).as("error for %s", stream).isNull();
        assertThat(result.commands()).as("commands for %s", stream).hasSize(1);
        return result.commands().get(0);
    }

    private static String error(String stream) {
        return parse(stream).error();
    }

    @Test
    void inlineCommandIsSplitOnSpaces() {
        assertThat(only("SET key  value\r\n")).containsExactly("SET", "key", "value");
    }

    @Test
    void lineFeedAloneEndsAnInlineCommand() {
        assertThat(only("PING\n")).containsExactly("PING");
    }

    @Test
    void blankLinesAndBlankCommandsAreSkipped() {
        var result = parse("\r\n\n  \r\n\t\r\nPING\r\n");
        assertThat(result.commands()).containsExactly(List.of("PING"));
        assertThat(result.unconsumed()).isZero();
    }

    @Test
    void carriageReturnInsideALineSeparatesArguments() {
        assertThat(only("PING\rECHO\r\n")).containsExactly("PING", "ECHO");
        assertThat(only("ECHO\r\r\n")).containsExactly("ECHO");
    }

    @Test
    void verticalTabIsSkippedBetweenArgumentsButKeptInsideOne() {
        assertThat(only("ECHO \u000bx\u000b\r\n")).containsExactly("ECHO", "x\u000b");
        assertThat(only("ECHO x\u000by\r\n")).containsExactly("ECHO", "x\u000by");
    }

    @Test
    void doubleQuotesDecodeHexAndBackslashEscapes() {
        assertThat(only("ECHO \"a\\x41\\n\"\r\n")).containsExactly("ECHO", "aA\n");
        assertThat(only("ECHO \"\\r\\t\\b\\a\\\\\\\"\\q\"\r\n")).containsExactly("ECHO", "\r\t\b\u0007\\\"q");
        assertThat(only("ECHO \"\\xfF\\x0\"\r\n")).containsExactly("ECHO", "\u00ffx0");
    }

    @Test
    void doubleQuotesKeepSpacesAndSingleQuotes() {
        assertThat(only("ECHO \"a b 'c'\"\r\n")).containsExactly("ECHO", "a b 'c'");
    }

    @Test
    void singleQuotesDecodeOnlyAnEscapedSingleQuote() {
        assertThat(only("ECHO 'a\\'b\\n\"'\r\n")).containsExactly("ECHO", "a'b\\n\"");
    }

    @Test
    void emptyQuotesAreAnEmptyArgument() {
        assertThat(only("ECHO \"\" ''\r\n")).containsExactly("ECHO", "", "");
    }

    @Test
    void quoteOpeningInsideAnArgumentContinuesIt() {
        assertThat(only("ECHO a\"b c\"\r\n")).containsExactly("ECHO", "ab c");
        assertThat(only("ECHO x'y z' w\r\n")).containsExactly("ECHO", "xy z", "w");
    }

    @Test
    void closingQuoteMustBeFollowedByABlank() {
        assertThat(error("ECHO \"a\"b\r\n")).isEqualTo("ERR Protocol error: unbalanced quotes in request");
        assertThat(error("ECHO 'a'b\r\n")).isEqualTo(RespErrors.PROTOCOL_UNBALANCED_QUOTES);
        assertThat(only("ECHO \"a\"\tb\r\n")).containsExactly("ECHO", "a", "b");
    }

    @Test
    void unterminatedQuoteIsUnbalanced() {
        assertThat(error("ECHO \"abc\r\n")).isEqualTo(RespErrors.PROTOCOL_UNBALANCED_QUOTES);
        assertThat(error("ECHO 'abc\r\n")).isEqualTo(RespErrors.PROTOCOL_UNBALANCED_QUOTES);
        assertThat(error("ECHO \"\\\"\r\n")).isEqualTo(RespErrors.PROTOCOL_UNBALANCED_QUOTES);
        assertThat(error("ECHO \"abc\\\r\n")).isEqualTo(RespErrors.PROTOCOL_UNBALANCED_QUOTES);
    }

    @Test
    void commandsBeforeUnbalancedQuotesAreDelivered() {
        var result = parse("PING\r\nECHO \"x\r\nPING\r\n");
        assertThat(result.commands()).containsExactly(List.of("PING"));
        assertThat(result.error()).isEqualTo(RespErrors.PROTOCOL_UNBALANCED_QUOTES);
    }

    @Test
    void inlineLineOf64KibWithoutLineEndStillWaits() {
        var result = parse("A".repeat(64 * 1024));
        assertThat(result.error()).isNull();
        assertThat(result.unconsumed()).isEqualTo(64 * 1024);
    }

    @Test
    void inlineLineLongerThan64KibWithoutLineEndIsTooBig() {
        assertThat(error("A".repeat(64 * 1024 + 1))).isEqualTo("ERR Protocol error: too big inline request");
    }

    @Test
    void nulByteInAnInlineLineHidesItsLineEndUntilTooBig() {
        var waiting = parse("PING\0\r\nPING\r\n");
        assertThat(waiting.commands()).isEmpty();
        assertThat(waiting.error()).isNull();
        assertThat(error("PING\0" + "A".repeat(70000))).isEqualTo(RespErrors.PROTOCOL_TOO_BIG_INLINE_REQUEST);
    }

    @Test
    void unquotedArgumentsPointIntoTheInputAndQuotedOnesIntoScratch() throws Exception {
        ByteBuf in = Unpooled.copiedBuffer(ParserHarness.bytes("SET k \"v 1\"\r\n"));
        List<Boolean> inInput = new ArrayList<>();
        new RespRequestParser(RespLimits.DEFAULTS).parse(in, args -> {
            for (int i = 0; i < args.count(); i++) {
                inInput.add(args.buffer(i) == in);
                assertThat(args.isInputSlice(i)).isEqualTo(args.buffer(i) == in);
            }
        });
        assertThat(inInput).containsExactly(true, true, false);
    }

    @Test
    void scratchArgumentsOfOneCommandDoNotLeakIntoTheNext() {
        var result = parse("ECHO \"a\"\r\nECHO b\r\nECHO \"c d\" e\r\n");
        assertThat(result.commands()).containsExactly(
                List.of("ECHO", "a"), List.of("ECHO", "b"), List.of("ECHO", "c d", "e"));
    }

    @Test
    void manyArgumentsGrowTheView() {
        String line = "X" + " a".repeat(200) + " \"q\"" + " b".repeat(100) + "\r\n";
        List<String> args = only(line);
        assertThat(args).hasSize(302);
        assertThat(args.get(201)).isEqualTo("q");
        assertThat(args.get(301)).isEqualTo("b");
    }
}
