package io.lightbroker.resp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Expected texts are the replies of redis-server 7.0.15 to the same requests. */
class RespErrorsTest {

    @Test
    void unknownCommandQuotesEachArgumentWithATrailingSpace() {
        assertThat(RespErrors.unknownCommand(RespArgs.of("FOO", "a", "b")))
                .isEqualTo("ERR unknown command 'FOO', with args beginning with: 'a' 'b' ");
    }

    @Test
    void unknownCommandWithoutArgumentsEndsAfterTheColonAndSpace() {
        assertThat(RespErrors.unknownCommand(RespArgs.of("foo")))
                .isEqualTo("ERR unknown command 'foo', with args beginning with: ");
    }

    @Test
    void unknownCommandCutsTheArgumentListAt128Bytes() {
        String a100 = "a".repeat(100);
        String b100 = "b".repeat(100);
        assertThat(RespErrors.unknownCommand(RespArgs.of("FOO", a100, b100)))
                .isEqualTo("ERR unknown command 'FOO', with args beginning with: '" + a100 + "' '" + "b".repeat(25) + "' ");
        assertThat(RespErrors.unknownCommand(RespArgs.of("FOO", "a".repeat(126), b100)))
                .isEqualTo("ERR unknown command 'FOO', with args beginning with: '" + "a".repeat(126) + "' ");
        assertThat(RespErrors.unknownCommand(RespArgs.of("FOO", "a".repeat(200))))
                .isEqualTo("ERR unknown command 'FOO', with args beginning with: '" + "a".repeat(128) + "' ");
    }

    @Test
    void unknownCommandCutsTheNameAt128Bytes() {
        assertThat(RespErrors.unknownCommand(RespArgs.of("F".repeat(200), "x")))
                .isEqualTo("ERR unknown command '" + "F".repeat(128) + "', with args beginning with: 'x' ");
    }

    @Test
    void unknownCommandStopsEachStringAtNulAndBlanksLineBreaks() {
        assertThat(RespErrors.unknownCommand(RespArgs.of("FO\r\nO", "a\nb", "c\0d", "e")))
                .isEqualTo("ERR unknown command 'FO  O', with args beginning with: 'a b' 'c' 'e' ");
        assertThat(RespErrors.unknownCommand(RespArgs.of("FO\0O", "a")))
                .isEqualTo("ERR unknown command 'FO', with args beginning with: 'a' ");
    }

    @Test
    void unknownSubcommandUpperCasesTheCommandAndKeepsTheSubcommandAsSent() {
        assertThat(RespErrors.unknownSubcommand(RespArgs.of("config", "foo")))
                .isEqualTo("ERR unknown subcommand 'foo'. Try CONFIG HELP.");
        assertThat(RespErrors.unknownSubcommand(RespArgs.of("PUBSUB", "FOO")))
                .isEqualTo("ERR unknown subcommand 'FOO'. Try PUBSUB HELP.");
        assertThat(RespErrors.unknownSubcommand(RespArgs.of("CONFIG", "F\0OO\r\n")))
                .isEqualTo("ERR unknown subcommand 'F'. Try CONFIG HELP.");
        assertThat(RespErrors.unknownSubcommand(RespArgs.of("CONFIG", "x".repeat(200))))
                .isEqualTo("ERR unknown subcommand '" + "x".repeat(128) + "'. Try CONFIG HELP.");
    }

    @Test
    void wrongArityNamesTheLowerCaseFullCommandName() {
        assertThat(RespErrors.wrongArity("GET")).isEqualTo("ERR wrong number of arguments for 'get' command");
        assertThat(RespErrors.wrongArity("CONFIG", "GET")).isEqualTo("ERR wrong number of arguments for 'config|get' command");
        assertThat(RespErrors.wrongArity("pubsub|help")).isEqualTo("ERR wrong number of arguments for 'pubsub|help' command");
    }

    @Test
    void subscribedContextErrorListsTheAllowedCommands() {
        assertThat(RespErrors.subscribedContext("publish")).isEqualTo(
                "ERR Can't execute 'publish': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context");
    }

    @Test
    void helloErrorsMatchRedis() {
        assertThat(RespErrors.helloSyntax(ParserHarness.bytes("FOO"))).isEqualTo("ERR Syntax error in HELLO option 'FOO'");
        assertThat(RespErrors.NOPROTO).isEqualTo("NOPROTO unsupported protocol version");
        assertThat(RespErrors.HELLO_PROTOCOL_VERSION_NOT_INTEGER)
                .isEqualTo("ERR Protocol version is not an integer or out of range");
    }

    @Test
    void authErrorsMatchRedis() {
        assertThat(RespErrors.NOAUTH).isEqualTo("NOAUTH Authentication required.");
        assertThat(RespErrors.WRONGPASS).isEqualTo("WRONGPASS invalid username-password pair or user is disabled.");
        assertThat(RespErrors.AUTH_WITHOUT_PASSWORD_CONFIGURED).isEqualTo(
                "ERR AUTH <password> called without any password configured for the default user. "
                        + "Are you sure your configuration is correct?");
    }

    @Test
    void expectedDollarShowsTheOffendingByte() {
        assertThat(RespErrors.protocolExpectedDollar((byte) '+')).isEqualTo("ERR Protocol error: expected '$', got '+'");
        assertThat(RespErrors.protocolExpectedDollar((byte) '\r')).isEqualTo("ERR Protocol error: expected '$', got ' '");
        assertThat(RespErrors.protocolExpectedDollar((byte) 0xe9)).isEqualTo("ERR Protocol error: expected '$', got '\u00e9'");
    }
}
