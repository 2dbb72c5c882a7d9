package io.lightbroker.nats;

import static io.lightbroker.nats.Recorder.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Behaviour of the client protocol parser. The expectations about errors were taken from a running
 * nats-server 2.9.10 ({@code nats-server -a 127.0.0.1 -p PORT -DV}, raw bytes over a socket); the
 * comment on each says what nats-server answered.
 */
class NatsParserTest {

    private static final String UNKNOWN = "-ERR 'Unknown Protocol Operation' close";
    private static final String SILENT = "silent close";

    @Test
    void pubDeliversSubjectAndPayload() {
        assertThat(parse("PUB foo 5\r\nhello\r\n")).containsExactly("PUB foo [hello]");
    }

    @Test
    void pubWithReplyDeliversReply() {
        assertThat(parse("PUB foo bar.baz 2\r\nhi\r\n")).containsExactly("PUB foo reply=bar.baz [hi]");
    }

    @Test
    void pubWithEmptyPayload() {
        assertThat(parse("PUB foo 0\r\n\r\nPING\r\n")).containsExactly("PUB foo []", "PING");
    }

    @Test
    void payloadMayContainCrlfAndProtocolText() {
        assertThat(parse("PUB a 11\r\nPING\r\nPUB\r\n\r\n")).containsExactly("PUB a [PING\r\nPUB\r\n]");
    }

    @Test
    void argumentsMaySeparateWithRunsOfSpacesAndTabs() {
        // nats-server: "PUB\ta\t2" and "PUB foo  2" are accepted
        assertThat(parse("PUB\ta\t2\r\nhi\r\nPUB  foo \t bar   2  \r\nhi\r\n"))
            .containsExactly("PUB a [hi]", "PUB foo reply=bar [hi]");
    }

    @Test
    void linesMayEndWithBareLf() {
        // nats-server: "PUB a 2\nhi\r\nPING\n" -> +OK PONG
        assertThat(parse("PUB a 2\nhi\r\nPING\n")).containsExactly("PUB a [hi]", "PING");
    }

    @Test
    void operationNamesAreCaseInsensitive() {
        assertThat(parse("pub a 1\r\nx\r\nPuB a 1\r\ny\r\nsub a 1\r\nSuB a 2\r\nunsub 1\r\nUnSuB 2\r\n"
            + "ping\r\npInG\r\npong\r\nconnect {}\r\nhpub a 0 0\r\n\r\ninfo {}\r\n+ok\r\n"))
            .containsExactly("PUB a [x]", "PUB a [y]", "SUB a sid=1", "SUB a sid=2", "UNSUB sid=1 max=-1",
                "UNSUB sid=2 max=-1", "PING", "PING", "PONG", "CONNECT {}", "HPUB a hdr=[] payload=[]",
                "INFO {}", "+OK");
    }

    @Test
    void hpubSplitsHeadersFromPayload() {
        assertThat(parse("HPUB a r 12 14\r\nNATS/1.0\r\n\r\nhi\r\n"))
            .containsExactly("HPUB a reply=r hdr=[NATS/1.0\r\n\r\n] payload=[hi]");
    }

    @Test
    void subWithAndWithoutQueue() {
        assertThat(parse("SUB foo.* 1\r\nSUB foo.> workers 22\r\n"))
            .containsExactly("SUB foo.* sid=1", "SUB foo.> queue=workers sid=22");
    }

    @Test
    void subSplitsOnCrAsWell() {
        // nats-server: "SUB foo\r1\r\n" is SUB foo 1 (its SUB splitter treats CR and LF as blanks)
        assertThat(parse("SUB foo\r1\r\n")).containsExactly("SUB foo sid=1");
    }

    @Test
    void unsubMaxIsMinusOneWhenAbsentOrNotASize() {
        // nats-server: "UNSUB 1 x" -> +OK and the connection stays open
        assertThat(parse("UNSUB 1\r\nUNSUB 2 10\r\nUNSUB 3 x\r\nUNSUB 4 0\r\nUNSUB 5 \r\n"))
            .containsExactly("UNSUB sid=1 max=-1", "UNSUB sid=2 max=10", "UNSUB sid=3 max=-1",
                "UNSUB sid=4 max=0", "UNSUB sid=5 max=-1");
    }

    @Test
    void connectNeedsNoBlankAfterTheName() {
        // nats-server: CONNECT{"verbose":true} -> +OK
        assertThat(parse("CONNECT{\"verbose\":true}\r\nCONNECT \t {}\r\n"))
            .containsExactly("CONNECT {\"verbose\":true}", "CONNECT {}");
    }

    @Test
    void pingPongAndOkIgnoreEverythingUpToLf() {
        // nats-server: "PINGfoo\r\n" -> PONG, "+OKjunk\r\n" is ignored
        assertThat(parse("PINGfoo\r\nPONG bar\r\n+OKjunk\r\nPING\n"))
            .containsExactly("PING", "PONG", "+OK", "PING");
    }

    @Test
    void clientInfoWithValidJsonIsDelivered() {
        assertThat(parse("INFO {\"a\":[1,2]}\r\nPING\r\n")).containsExactly("INFO {\"a\":[1,2]}", "PING");
    }

    @Test
    void clientInfoWithInvalidJsonClosesSilently() {
        // nats-server: "INFO\r\n" and "INFO {bad\r\n" close the connection with no reply
        assertThat(parse("INFO {bad\r\nPING\r\n")).containsExactly(SILENT);
        assertThat(parse("INFO\r\nPING\r\n")).containsExactly(SILENT);
    }

    @Test
    void clientErrClosesSilently() {
        // nats-server: "-ERR foo\r\n" -> connection closed, nothing sent ("Client Error foo" logged)
        assertThat(parse("-ERR 'foo'\r\nPING\r\n")).containsExactly(SILENT);
    }

    @Test
    void errWithoutArgumentIsUnknownOperation() {
        assertThat(parse("-ERR\r\n")).containsExactly(UNKNOWN);
    }

    @Test
    void unknownOperationIsRejectedAtItsFirstBadByte() {
        // nats-server: "FOO\r\n" -> -ERR 'Unknown Protocol Operation' and close
        assertThat(parse("FOO")).containsExactly(UNKNOWN);
        assertThat(parse("PUX")).containsExactly(UNKNOWN);
        assertThat(parse("PING\r\nPIN")).containsExactly("PING");
    }

    @Test
    void unknownOperationTable() {
        for (String s : List.of("FOO\r\n", "PUB\r\n", "SUB\r\n", "UNSUB\r\n", "HPUB\r\n", "\r\nPING\r\n",
            " PING\r\n", "\tsub a 1\r\n", "PI NG\r\n", "MSG a 1 2\r\n", "HMSG a 1 2 3\r\n", "RS+ a\r\n",
            "A+ a\r\n", "LS+ a\r\n", "CONNEC {}\r\n", "+O\r\n", "-E\r\n")) {
            assertThat(parse(s)).as(s).containsExactly(UNKNOWN);
        }
    }

    @Test
    void payloadNotFollowedByCrlfIsUnknownOperation() {
        // nats-server: "PUB a 2\r\nhix\r\n" -> -ERR 'Unknown Protocol Operation', close
        assertThat(parse("PUB a 2\r\nhix\r\n")).containsExactly(UNKNOWN);
        // nats-server: "PUB a 2\r\nhi\nPING\r\n" -> -ERR 'Unknown Protocol Operation', close
        assertThat(parse("PUB a 2\r\nhi\nPING\r\n")).containsExactly(UNKNOWN);
    }

    @Test
    void pubArgumentErrorsCloseSilently() {
        // nats-server logs "processPub Parse Error" / "Bad or Missing Size" and closes, sending nothing
        for (String s : List.of("PUB a\r\n", "PUB \r\n", "PUB a b c d\r\n", "PUB a -1\r\n", "PUB a x\r\n",
            "PUB a +2\r\n", "PUB a 0000000002\r\n", "PUB a 99999999999999999999\r\n")) {
            assertThat(parse(s)).as(s).containsExactly(SILENT);
        }
    }

    @Test
    void sizesAreOneToNineDigitsWithLeadingZerosAllowed() {
        // nats-server: "PUB a 02" is a 2-byte PUB, "PUB a 000000002" too, ten digits are a bad size
        assertThat(parse("PUB a 02\r\nhi\r\nPUB a 000000002\r\nhi\r\n"))
            .containsExactly("PUB a [hi]", "PUB a [hi]");
    }

    @Test
    void subAndUnsubArgumentErrorsCloseSilently() {
        for (String s : List.of("SUB a\r\n", "SUB a b c d\r\n", "UNSUB 1 2 3\r\n", "SUB \r\n", "UNSUB \r\n")) {
            assertThat(parse(s)).as(s).containsExactly(SILENT);
        }
    }

    @Test
    void hpubArgumentErrorsCloseSilently() {
        // nats-server (after CONNECT {"headers":true}): "HPUB a 5 2", "HPUB a x 2", "HPUB a 2" close silently
        for (String s : List.of("HPUB a 5 2\r\n", "HPUB a x 2\r\n", "HPUB a 2\r\n", "HPUB a 1 x\r\n",
            "HPUB a b c d e\r\n")) {
            assertThat(parse(s)).as(s).containsExactly(SILENT);
        }
    }

    @Test
    void hpubWithoutHeadersEnabledClosesSilently() {
        // nats-server: "HPUB a 2 2\r\nhi\r\n" without CONNECT {"headers":true} -> closed, nothing sent
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec);
        assertThat(Recorder.feed(parser, rec, bytes("HPUB a 2 2\r\nhi\r\n"))).containsExactly(SILENT);
    }

    @Test
    void headersCanBeEnabledByTheConnectHandler() {
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec);
        rec.afterConnect = () -> parser.setHeadersEnabled(true);
        assertThat(Recorder.feed(parser, rec, bytes("CONNECT {\"headers\":true}\r\nHPUB a 0 1\r\nx\r\n")))
            .containsExactly("CONNECT {\"headers\":true}", "HPUB a hdr=[] payload=[x]");
    }

    @Test
    void maxPayloadIsCheckedBeforeThePayloadIsRead() {
        // nats-server (max_payload: 16): "PUB a 17\r\n" alone -> -ERR 'Maximum Payload Violation', close
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec, 4096, 16);
        assertThat(Recorder.feed(parser, rec, bytes("PUB a 16\r\n0123456789abcdef\r\nPUB a 17\r\n")))
            .containsExactly("PUB a [0123456789abcdef]", "-ERR 'Maximum Payload Violation' close");
    }

    @Test
    void maxPayloadAppliesToHpubTotalAfterItsArgumentChecks() {
        // nats-server (max_payload: 16): "HPUB a 2 17" -> Maximum Payload Violation; "HPUB a 20 17" -> silent
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec, 4096, 16);
        parser.setHeadersEnabled(true);
        assertThat(Recorder.feed(parser, rec, bytes("HPUB a 2 17\r\n")))
            .containsExactly("-ERR 'Maximum Payload Violation' close");
        Recorder rec2 = new Recorder();
        NatsParser parser2 = new NatsParser(rec2, 4096, 16);
        parser2.setHeadersEnabled(true);
        assertThat(Recorder.feed(parser2, rec2, bytes("HPUB a 20 17\r\n"))).containsExactly(SILENT);
    }

    @Test
    void noLimitTurnsThePayloadCheckOff() {
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec, 4096, NatsLimits.NO_LIMIT);
        assertThat(Recorder.feed(parser, rec, bytes("PUB a 999999999\r\n"))).isEmpty();
    }

    @Test
    void controlLineLimitIsCheckedWhileScanning() {
        // nats-server: a 5000-byte PUB or SUB line -> -ERR 'maximum control line exceeded', close
        String err = "-ERR 'maximum control line exceeded' close";
        assertThat(parse("PUB " + "a".repeat(5000))).containsExactly(err);
        assertThat(parse("SUB " + "a".repeat(5000) + " 1\r\n")).containsExactly(err);
        assertThat(parse("CONNECT " + "a".repeat(4097))).containsExactly(err);
    }

    @Test
    void controlLineLimitCountsArgumentBytesWithoutTheCr() {
        String arg = "a".repeat(4094) + " 1";
        assertThat(parse("SUB " + arg + "\r\n")).containsExactly("SUB " + "a".repeat(4094) + " sid=1");
        assertThat(parse("SUB " + arg + "2\r\n")).containsExactly("-ERR 'maximum control line exceeded' close");
    }

    @Test
    void controlLineLimitIsConfigurable() {
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec, 8, 1024);
        assertThat(Recorder.feed(parser, rec, bytes("SUB abc 12\r\nSUB abcd 1234\r\n"), 5, 16))
            .containsExactly("SUB abc sid=12", "-ERR 'maximum control line exceeded' close");
    }

    @Test
    void pingLinesHaveNoLengthLimit() {
        // nats-server: "PING" + 6000 bytes + CRLF -> PONG
        assertThat(parse("PING" + "a".repeat(6000) + "\r\n")).containsExactly("PING");
    }

    @Test
    void awaitingAuthRejectsAnythingButConnect() {
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec);
        parser.setAwaitingAuth(true);
        assertThat(Recorder.feed(parser, rec, bytes("PING\r\n")))
            .containsExactly("-ERR 'Authorization Violation' close");
    }

    @Test
    void awaitingAuthAllowsConnectAndEndsWhenTheHandlerSaysSo() {
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec);
        parser.setAwaitingAuth(true);
        rec.afterConnect = () -> parser.setAwaitingAuth(false);
        assertThat(Recorder.feed(parser, rec, bytes("connect {}\r\nPING\r\n"))).containsExactly("CONNECT {}", "PING");
    }

    @Test
    void crAnywhereInAnArgumentDropsTheByteBeforeLf() {
        // nats-server drops one byte before LF once it has seen a CR in the argument
        assertThat(parse("UNSUB 1\r2x\n")).containsExactly("UNSUB sid=1 max=2");
    }

    @Test
    void handlerExceptionStopsParsingAndReachesTheCaller() {
        NatsHandler failing = new Recorder() {
            @Override
            public void onPing() {
                throw new IllegalStateException("boom");
            }
        };
        NatsParser parser = new NatsParser(failing);
        ByteBuf in = Unpooled.copiedBuffer("PING\r\nPING\r\n", StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> parser.parse(in)).hasMessage("boom");
        assertThatThrownBy(() -> parser.parse(in)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("failed");
        in.release();
    }

    @Test
    void parserIsAtAFrameBoundaryOnlyBetweenOperations() {
        NatsParser parser = new NatsParser(new Recorder());
        ByteBuf a = Unpooled.copiedBuffer("PUB a 2\r\nh", StandardCharsets.US_ASCII);
        ByteBuf b = Unpooled.copiedBuffer("i\r\n", StandardCharsets.US_ASCII);
        try {
            assertThat(parser.atFrameBoundary()).isTrue();
            parser.parse(a);
            assertThat(parser.atFrameBoundary()).isFalse();
            parser.parse(b);
            assertThat(parser.atFrameBoundary()).isTrue();
        } catch (NatsProtocolException e) {
            throw new AssertionError(e);
        } finally {
            a.release();
            b.release();
            parser.close();
        }
    }

    @Test
    void payloadSlicesPointIntoTheReadBufferWhenTheFrameIsWhole() throws NatsProtocolException {
        ByteBuf in = Unpooled.copiedBuffer("PUB a 2\r\nhi\r\n", StandardCharsets.US_ASCII);
        ByteBuf[] seen = new ByteBuf[2];
        NatsParser parser = new NatsParser(new Recorder() {
            @Override
            public void onPub(ByteBuf line, int si, int sl, int ri, int rl, ByteBuf payload, int pi, int pl) {
                seen[0] = line;
                seen[1] = payload;
            }
        });
        parser.parse(in);
        assertThat(seen[0]).isSameAs(in);
        assertThat(seen[1]).isSameAs(in);
        in.release();
        parser.close();
    }

    @Test
    void aWholeFrameIsParsedWithoutAllocating() throws NatsProtocolException {
        TrackingAllocator alloc = new TrackingAllocator();
        NatsParser parser = new NatsParser(new Recorder());
        ByteBuf in = alloc.buffer().writeBytes(bytes("PUB a r 5\r\nhello\r\nSUB a 1\r\n"));
        parser.parse(in);
        in.release();
        parser.close();
        assertThat(alloc.allocations()).isEqualTo(1);
    }

    @Test
    void aSplitPayloadIsCopiedOnceAndReleasedAfterDelivery() throws NatsProtocolException {
        TrackingAllocator alloc = new TrackingAllocator();
        Recorder rec = new Recorder();
        NatsParser parser = new NatsParser(rec);
        ByteBuf a = alloc.buffer().writeBytes(bytes("PUB a 5\r\nhe"));
        parser.parse(a);
        a.release();
        assertThat(alloc.unreleased()).isEqualTo(1);
        ByteBuf b = alloc.buffer().writeBytes(bytes("llo\r\n"));
        parser.parse(b);
        b.release();
        assertThat(rec.events).containsExactly("PUB a [hello]");
        assertThat(alloc.allocations()).isEqualTo(3);
        assertThat(alloc.unreleased()).isZero();
        parser.close();
    }

    @Test
    void closeReleasesAPartlyReceivedPayload() throws NatsProtocolException {
        TrackingAllocator alloc = new TrackingAllocator();
        NatsParser parser = new NatsParser(new Recorder());
        ByteBuf a = alloc.buffer().writeBytes(bytes("PUB a 5\r\nhe"));
        parser.parse(a);
        a.release();
        assertThat(alloc.unreleased()).isEqualTo(1);
        parser.close();
        assertThat(alloc.unreleased()).isZero();
    }

    @Test
    void aProtocolErrorReleasesAPartlyReceivedPayload() {
        TrackingAllocator alloc = new TrackingAllocator();
        NatsParser parser = new NatsParser(new Recorder());
        ByteBuf a = alloc.buffer().writeBytes(bytes("PUB a 2\r\nh"));
        ByteBuf b = alloc.buffer().writeBytes(bytes("ix\r\n"));
        try {
            parser.parse(a);
            assertThatThrownBy(() -> parser.parse(b)).hasMessage(NatsErrors.UNKNOWN_PROTOCOL_OPERATION);
        } catch (NatsProtocolException e) {
            throw new AssertionError(e);
        } finally {
            a.release();
            b.release();
        }
        assertThat(alloc.unreleased()).isZero();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
