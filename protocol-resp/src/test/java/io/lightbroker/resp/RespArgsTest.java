package io.lightbroker.resp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RespArgsTest {

    private static final byte[] SUBSCRIBE = "SUBSCRIBE".getBytes();

    @Test
    void equalsIgnoreCaseFoldsOnlyAsciiLetters() {
        RespArgs args = RespArgs.of("subScribe", "SUBSCRIBE", "SUBSCRIB", "config|get", "\u00e9");
        assertThat(args.equalsIgnoreCase(0, SUBSCRIBE)).isTrue();
        assertThat(args.equalsIgnoreCase(1, SUBSCRIBE)).isTrue();
        assertThat(args.equalsIgnoreCase(2, SUBSCRIBE)).isFalse();
        assertThat(args.equalsIgnoreCase(3, "CONFIG|GET".getBytes())).isTrue();
        assertThat(args.equalsIgnoreCase(3, "CONFIG\\GET".getBytes())).isFalse();
        assertThat(args.equalsIgnoreCase(4, new byte[] {(byte) 0xc9})).isFalse();
    }

    @Test
    void parseLongAcceptsWhatRedisString2llAccepts() {
        RespArgs args = RespArgs.of("0", "-1", "42", "9223372036854775807", "-9223372036854775808");
        assertThat(args.parseLong(0)).isZero();
        assertThat(args.parseLong(1)).isEqualTo(-1);
        assertThat(args.parseLong(2)).isEqualTo(42);
        assertThat(args.parseLong(3)).isEqualTo(Long.MAX_VALUE);
        assertThat(args.parseLong(4)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void parseLongRejectsWhatRedisString2llRejects() {
        RespArgs args = RespArgs.of("", "+1", "01", "-0", "-", " 1", "1 ", "1.0", "9223372036854775808",
                "-9223372036854775809", "000000000000000000001", "1e3", "99999999999999999999");
        for (int i = 0; i < args.count(); i++) {
            int index = i;
            assertThatThrownBy(() -> args.parseLong(index)).as(args.string(i)).isInstanceOf(NumberFormatException.class);
            assertThat(args.tryParseLong(i, new long[1])).isFalse();
        }
    }

    @Test
    void accessorsCopyTheRawBytes() {
        RespArgs args = RespArgs.of("a\0\u00ff");
        assertThat(args.count()).isEqualTo(1);
        assertThat(args.bytes(0)).containsExactly('a', 0, 0xff);
        assertThat(args.string(0)).isEqualTo("a\0\u00ff");
        assertThat(args.length(0)).isEqualTo(3);
    }

    @Test
    void indexOutsideTheCommandIsRejected() {
        RespArgs args = RespArgs.of("PING");
        assertThatThrownBy(() -> args.length(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> args.buffer(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }
}
