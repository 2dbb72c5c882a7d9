package io.lightbroker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON syntax Go's encoding/json accepts, which is what the CONNECT and INFO checks rely on. */
class NatsJsonTest {

    private static boolean valid(String json) {
        byte[] raw = ("<" + json + ">").getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.wrappedBuffer(raw);
        return NatsJson.isValid(buf, 1, raw.length - 2);
    }

    @Test
    void acceptsEveryKindOfValue() {
        for (String json : List.of("{}", "[]", "null", "true", "false", "0", "-0", "1.5", "-1e10", "2E+3", "1.0e-2",
            "\"\"", "\"a\\u00e9\\n\"", " {\"a\" : [1, {\"b\":null}, \"c\"] } ", "\t\r\n[ ]\n", "[[[[]]]]")) {
            assertThat(valid(json)).as(json).isTrue();
        }
    }

    @Test
    void rejectsWhatGoRejects() {
        for (String json : List.of("", " ", "{", "}", "{,}", "{\"a\"}", "{\"a\":}", "{a:1}", "{'a':1}", "[1,]", "[,1]",
            "01", "-", "1.", ".5", "1e", "+1", "tru", "nul", "True", "\"\\x\"", "\"\\u12\"", "\"\u0001\"", "\"abc",
            "{} {}", "1 2", "NaN", "Infinity", "{\"a\":1,}")) {
            assertThat(valid(json)).as(json).isFalse();
        }
    }
}
