package io.lightbroker.resp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import static io.lightbroker.resp.EncodedBytes.encode;
import static io.lightbroker.resp.ParserHarness.bytes;
import static org.assertj.core.api.Assertions.assertThat;

/** Frames compared with bytes captured from redis-server 7.0.15 in RESP2 and after HELLO 3. */
class RespPubSubFramesTest {

    private final ByteBuf channel = Unpooled.copiedBuffer(bytes("..ch"));
    private final ByteBuf payload = Unpooled.copiedBuffer(bytes("hi!"));

    @Test
    void messageIsAThreeElementArrayInResp2AndAPushInResp3() {
        assertThat(encode(out -> RespPubSubFrames.message(out, false, channel, 2, 2, payload, 0, 2)))
                .isEqualTo("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
        assertThat(encode(out -> RespPubSubFrames.message(out, true, channel, 2, 2, payload, 0, 2)))
                .isEqualTo(">3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
    }

    @Test
    void pmessageCarriesThePatternBeforeTheChannel() {
        assertThat(encode(out -> RespPubSubFrames.pmessage(out, false, bytes("c*"), channel, 2, 2, payload, 0, 2)))
                .isEqualTo("*4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nhi\r\n");
        assertThat(encode(out -> RespPubSubFrames.pmessage(out, true, bytes("c*"), channel, 2, 2, payload, 0, 2)))
                .isEqualTo(">4\r\n$8\r\npmessage\r\n$2\r\nc*\r\n$2\r\nch\r\n$2\r\nhi\r\n");
    }

    @Test
    void smessageIsShapedLikeMessage() {
        assertThat(encode(out -> RespPubSubFrames.smessage(out, false, channel, 2, 2, payload, 0, 2)))
                .isEqualTo("*3\r\n$8\r\nsmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
        assertThat(encode(out -> RespPubSubFrames.smessage(out, true, channel, 2, 2, payload, 0, 2)))
                .isEqualTo(">3\r\n$8\r\nsmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
    }

    @Test
    void sizeHelpersGiveTheExactFrameLength() {
        for (int payloadLength : new int[] {0, 3, 9, 10, 99, 100, 1000}) {
            ByteBuf big = Unpooled.wrappedBuffer(new byte[payloadLength]);
            assertThat(encode(out -> RespPubSubFrames.message(out, false, channel, 2, 2, big, 0, payloadLength)))
                    .hasSize(RespPubSubFrames.messageSize(2, payloadLength));
            assertThat(encode(out -> RespPubSubFrames.pmessage(out, true, bytes("c*"), channel, 2, 2, big, 0, payloadLength)))
                    .hasSize(RespPubSubFrames.pmessageSize(2, 2, payloadLength));
            assertThat(encode(out -> RespPubSubFrames.smessage(out, true, channel, 2, 2, big, 0, payloadLength)))
                    .hasSize(RespPubSubFrames.smessageSize(2, payloadLength));
        }
    }

    @Test
    void subscriptionReplyCarriesKindNameAndCount() {
        assertThat(encode(out -> RespPubSubFrames.subscriptionReply(out, false, RespPubSubFrames.SUBSCRIBE, bytes("a"), 1)))
                .isEqualTo("*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n");
        assertThat(encode(out -> RespPubSubFrames.subscriptionReply(out, true, RespPubSubFrames.PUNSUBSCRIBE, bytes("c*"), 12)))
                .isEqualTo(">3\r\n$12\r\npunsubscribe\r\n$2\r\nc*\r\n:12\r\n");
        assertThat(encode(out -> RespPubSubFrames.subscriptionReply(out, false, RespPubSubFrames.SSUBSCRIBE, channel, 2, 2, 3)))
                .isEqualTo("*3\r\n$10\r\nssubscribe\r\n$2\r\nch\r\n:3\r\n");
    }

    @Test
    void unsubscribeFromNothingRepliesWithANullName() {
        assertThat(encode(out -> RespPubSubFrames.subscriptionReply(out, false, RespPubSubFrames.UNSUBSCRIBE, null, 0)))
                .isEqualTo("*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n");
        assertThat(encode(out -> RespPubSubFrames.subscriptionReply(out, true, RespPubSubFrames.SUNSUBSCRIBE, null, 0)))
                .isEqualTo(">3\r\n$12\r\nsunsubscribe\r\n_\r\n:0\r\n");
    }

    @Test
    void subscriptionReplySizeIsExact() {
        for (boolean resp3 : new boolean[] {false, true}) {
            for (byte[] name : new byte[][] {null, bytes(""), bytes("news.*")}) {
                String frame = encode(out -> RespPubSubFrames.subscriptionReply(out, resp3, RespPubSubFrames.PSUBSCRIBE, name, 10));
                assertThat(RespPubSubFrames.subscriptionReplySize(resp3, RespPubSubFrames.PSUBSCRIBE, name, 10)).isEqualTo(frame.length());
            }
        }
    }

    @Test
    void pingInResp2SubscribedModeIsAPongArray() {
        assertThat(encode(RespPubSubFrames::subscribedPong)).isEqualTo("*2\r\n$4\r\npong\r\n$0\r\n\r\n");
        assertThat(encode(out -> RespPubSubFrames.subscribedPong(out, payload, 0, 1))).isEqualTo("*2\r\n$4\r\npong\r\n$1\r\nh\r\n");
    }
}
