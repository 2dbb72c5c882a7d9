package io.lightbroker.broker.resp.diff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lightbroker.broker.testsupport.MutatingProxy;
import io.lightbroker.broker.testsupport.RedisServerProcess;
import io.lightbroker.broker.testsupport.RespBytes;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The differential harness must be able to fail. Each test runs a small conversation against real
 * Redis and against a proxy in front of another real Redis that damages the replies in one way.
 */
class HarnessSensitivityTest {

    private static final Conversation PING_AND_SUBSCRIBE = ConversationParser.parse("ping-and-subscribe", """
            title: ping and subscribe
            A cmd PING
            A read
            A cmd SUBSCRIBE a
            A read
            P cmd PUBLISH a hello
            P read
            A read
            """);

    private static final Conversation PROTOCOL_ERROR = ConversationParser.parse("protocol-error", """
            title: protocol error closes
            A send *abc\\r\\n
            A read
            A closed
            """);

    private static final Conversation UNSUBSCRIBE_ALL = ConversationParser.parse("unsubscribe-all", """
            title: unsubscribe all
            A cmd SUBSCRIBE a b c
            A read
            A cmd UNSUBSCRIBE
            A read unordered
            """);

    private static ConversationRunner runnerWithCandidate(UnaryOperator<byte[]> damage, boolean forwardClose) {
        return new ConversationRunner(RedisServerProcess::start,
                args -> new MutatingProxy(RedisServerProcess.start(args), damage, forwardClose));
    }

    @Test
    void anUntouchedProxyPassesSoTheProxyItselfAddsNoDifference() {
        assertThatCode(() -> runnerWithCandidate(UnaryOperator.identity(), true).run(PING_AND_SUBSCRIBE))
                .doesNotThrowAnyException();
    }

    @Test
    void aSingleChangedByteFailsWithExpectedAndActualBytes() {
        UnaryOperator<byte[]> lowercasePong = b -> RespBytes.latin1(RespBytes.latin1(b).replace("+PONG", "+pong"));
        assertThatThrownBy(() -> runnerWithCandidate(lowercasePong, true).run(PING_AND_SUBSCRIBE))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("line 3: replies differ")
                .hasMessageContaining("+PONG\\r\\n")
                .hasMessageContaining("+pong\\r\\n");
    }

    @Test
    void anExtraFrameAfterTheExpectedOnesFails() {
        UnaryOperator<byte[]> addFrame = b -> RespBytes.latin1(RespBytes.latin1(b).replace(":1\r\n", ":1\r\n+EXTRA\r\n"));
        assertThatThrownBy(() -> runnerWithCandidate(addFrame, true).run(PING_AND_SUBSCRIBE))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("+EXTRA\\r\\n");
    }

    @Test
    void keepingTheConnectionOpenWhereRedisClosesFails() {
        assertThatThrownBy(() -> runnerWithCandidate(UnaryOperator.identity(), false).run(PROTOCOL_ERROR))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("[then closed the connection]");
    }

    @Test
    void unorderedReadsStillCatchAWrongCount() {
        UnaryOperator<byte[]> wrongCount = b -> RespBytes.latin1(RespBytes.latin1(b).replace(":0\r\n", ":9\r\n"));
        assertThatThrownBy(() -> runnerWithCandidate(wrongCount, true).run(UNSUBSCRIBE_ALL))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("integer fields in order");
    }

    @Test
    void unorderedComparisonIgnoresFrameOrderButKeepsIntegerSequence() {
        byte[] abc = RespBytes.latin1("*2\r\n$1\r\na\r\n:2\r\n*2\r\n$1\r\nb\r\n:1\r\n");
        byte[] bac = RespBytes.latin1("*2\r\n$1\r\nb\r\n:2\r\n*2\r\n$1\r\na\r\n:1\r\n");
        byte[] swappedCounts = RespBytes.latin1("*2\r\n$1\r\na\r\n:1\r\n*2\r\n$1\r\nb\r\n:2\r\n");
        String canonical = ReplyComparison.canonical(abc, Conversation.ReadMode.UNORDERED, List.of());
        assertThat(ReplyComparison.canonical(bac, Conversation.ReadMode.UNORDERED, List.of())).isEqualTo(canonical);
        assertThat(ReplyComparison.canonical(swappedCounts, Conversation.ReadMode.UNORDERED, List.of())).isNotEqualTo(canonical);
    }

    @Test
    void maskReplacesOnlyTheValueAfterTheNamedKey() {
        Normalization mask = Normalization.maskValueAfterKey("id");
        assertThat(mask.apply("%2\r\n$2\r\nid\r\n:17\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n"))
                .isEqualTo("%2\r\n$2\r\nid\r\n<id>\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n");
    }
}
