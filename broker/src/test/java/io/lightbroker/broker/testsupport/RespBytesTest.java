package io.lightbroker.broker.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RespBytesTest {

    @Test
    void unescapeAndEscapeRoundTripEveryByte() {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        assertThat(RespBytes.unescape(RespBytes.escape(all))).isEqualTo(all);
        assertThat(RespBytes.unescape("a\\r\\n\\x00\\\\\\\"")).containsExactly('a', '\r', '\n', 0, '\\', '"');
    }

    @Test
    void unescapeRejectsUnknownEscapes() {
        assertThatThrownBy(() -> RespBytes.unescape("\\q")).hasMessageContaining("unknown escape");
    }

    @Test
    void frameScannerFindsEachResp2AndResp3FrameAndNothingInAnyStrictPrefix() {
        List<String> frames = List.of(
                "+OK\r\n", "-ERR x\r\n", ":42\r\n", "$5\r\nhe\r\nl\r\n", "$-1\r\n", "*-1\r\n", "*0\r\n",
                "*3\r\n$9\r\nsubscribe\r\n$1\r\na\r\n:1\r\n", ">4\r\n$8\r\npmessage\r\n$2\r\na*\r\n$1\r\na\r\n$0\r\n\r\n",
                "%1\r\n$2\r\nid\r\n:7\r\n", "_\r\n", "#t\r\n", ",1.5\r\n", "(12\r\n", "~1\r\n+a\r\n",
                "|1\r\n+k\r\n+v\r\n+real\r\n");
        for (String frame : frames) {
            byte[] bytes = RespBytes.latin1(frame);
            assertThat(RespBytes.frameEnd(bytes, 0, bytes.length)).as(frame).isEqualTo(bytes.length);
            for (int cut = 0; cut < bytes.length; cut++) {
                assertThat(RespBytes.frameEnd(bytes, 0, cut)).as("%s cut at %d", frame, cut).isEqualTo(-1);
            }
        }
        byte[] all = RespBytes.latin1(String.join("", frames));
        assertThat(RespBytes.countCompleteFrames(all, all.length)).isEqualTo(frames.size());
        assertThat(RespBytes.splitFrames(all)).extracting(RespBytes::latin1).containsExactlyElementsOf(frames);
    }

    @Test
    void splitFramesKeepsAnIncompleteTail() {
        assertThat(RespBytes.splitFrames(RespBytes.latin1("+OK\r\n*2\r\n$1\r\na\r\n")))
                .extracting(RespBytes::latin1)
                .containsExactly("+OK\r\n", "*2\r\n$1\r\na\r\n");
    }

    @Test
    void commandEncodesAnArrayOfBulkStrings() {
        assertThat(RespBytes.latin1(RespBytes.command("PING", "")))
                .isEqualTo("*2\r\n$4\r\nPING\r\n$0\r\n\r\n");
    }
}
