package io.lightbroker.nats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CONNECT decoding; what is accepted and rejected was checked against nats-server 2.9.10 by sending
 * {@code CONNECT <json>\r\nPING\r\n} and looking for PONG or a silent close.
 */
class ConnectOptionsTest {

    @Test
    void typicalClientConnect() throws NatsProtocolException {
        ConnectOptions o = ConnectOptions.parse("{\"verbose\":false,\"pedantic\":false,\"tls_required\":false,"
            + "\"name\":\"svc\",\"lang\":\"java\",\"version\":\"2.17.0\",\"protocol\":1,\"echo\":true,"
            + "\"headers\":true,\"no_responders\":true,\"user\":\"u\",\"pass\":\"p\",\"auth_token\":\"t\"}");
        assertThat(o.verbose()).isFalse();
        assertThat(o.pedantic()).isFalse();
        assertThat(o.echo()).isTrue();
        assertThat(o.headers()).isTrue();
        assertThat(o.noResponders()).isTrue();
        assertThat(o.tlsRequired()).isFalse();
        assertThat(o.name()).isEqualTo("svc");
        assertThat(o.lang()).isEqualTo("java");
        assertThat(o.version()).isEqualTo("2.17.0");
        assertThat(o.protocol()).isEqualTo(1);
        assertThat(o.user()).isEqualTo("u");
        assertThat(o.pass()).isEqualTo("p");
        assertThat(o.authToken()).isEqualTo("t");
    }

    @Test
    void defaultsAreVerbosePedanticAndEcho() throws NatsProtocolException {
        // nats-server: CONNECT {} then PING -> +OK PONG; CONNECT null too
        assertThat(ConnectOptions.parse("{}")).isEqualTo(ConnectOptions.DEFAULTS);
        assertThat(ConnectOptions.parse(" null ")).isEqualTo(ConnectOptions.DEFAULTS);
        assertThat(ConnectOptions.DEFAULTS.verbose()).isTrue();
        assertThat(ConnectOptions.DEFAULTS.pedantic()).isTrue();
        assertThat(ConnectOptions.DEFAULTS.echo()).isTrue();
    }

    @Test
    void nullLeavesAFieldAtItsDefault() throws NatsProtocolException {
        // nats-server: {"verbose":null} -> +OK (still verbose)
        assertThat(ConnectOptions.parse("{\"verbose\":null,\"name\":null,\"protocol\":null}"))
            .isEqualTo(ConnectOptions.DEFAULTS);
    }

    @Test
    void keysMatchCaseInsensitivelyAndTheLastRepeatWins() throws NatsProtocolException {
        // nats-server: {"Verbose":false} -> no +OK; {"verbose":false,"VERBOSE":true} -> +OK
        assertThat(ConnectOptions.parse("{\"Verbose\":false}").verbose()).isFalse();
        assertThat(ConnectOptions.parse("{\"verbose\":false,\"VERBOSE\":true}").verbose()).isTrue();
    }

    @Test
    void unknownKeysAreSkipped() throws NatsProtocolException {
        // nats-server: {"verbose":true,"unknown":[1,2,{"a":null}]} -> +OK
        assertThat(ConnectOptions.parse("{\"verbose\":false,\"unknown\":[1,2,{\"a\":null}],\"x\":-0.5e+3}")
            .verbose()).isFalse();
    }

    @Test
    void stringsAreUnescapedAndInvalidUtf8IsReplaced() throws NatsProtocolException {
        assertThat(ConnectOptions.parse("{\"lang\":\"j\\u00e9\\n\\\"\\/\\\\\"}").lang()).isEqualTo("jé\n\"/\\");
        assertThat(ConnectOptions.parse("{\"name\":\"\\ud83d\\ude00 \\ud800\"}").name()).isEqualTo("😀 \uFFFD");
        byte[] raw = {'{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xff, '"', '}'};
        ByteBuf buf = Unpooled.wrappedBuffer(raw);
        assertThat(ConnectOptions.parse(buf, 0, raw.length).name()).isEqualTo("\uFFFD");
    }

    @Test
    void whitespaceAroundTheObjectIsAllowed() throws NatsProtocolException {
        // nats-server: CONNECT  {"verbose":false} \r\n -> PONG
        assertThat(ConnectOptions.parse(" \t{ \"verbose\" : false } \r\n").verbose()).isFalse();
    }

    @Test
    void whatNatsServerRejectsClosesSilently() {
        // each of these made nats-server 2.9.10 close the connection without sending anything
        for (String json : List.of("", "{bad", "{\"verbose\":\"yes\"}", "{\"verbose\":false} trailing",
            "{\"verbose\":false}{}", "[1]", "\"x\"", "{\"verbose\":false,}", "{\"protocol\":1.5}",
            "{\"protocol\":1e2}", "{\"protocol\":99999999999999999999}", "{\"x\":01}", "{\"x\":\"\u0001\"}",
            "{\"x\":\"\\x\"}", "{\"x\":tru}", "{'verbose':false}", "{\"name\":1}", "{\"name\":\"a\",\"name\":1}",
            "{\"tls_required\":1}", "{\"x\":[1,]}", "{\"x\":-}", "{\"x\":1.}", "{\"import\":1}", "{\"a\" 1}")) {
            assertThatThrownBy(() -> ConnectOptions.parse(json)).as(json)
                .isInstanceOfSatisfying(NatsProtocolException.class, e -> {
                    assertThat(e.sendsError()).isFalse();
                    assertThat(e.closesConnection()).isTrue();
                });
        }
    }

    @Test
    void clientRulesCheckProtocolThenNoResponders() throws NatsProtocolException {
        // nats-server: {"protocol":-1} and {"protocol":2} -> -ERR 'invalid client protocol', close;
        // {"no_responders":true} without headers -> -ERR 'no responders requires headers support', close
        for (String json : List.of("{\"protocol\":-1}", "{\"protocol\":2}", "{\"protocol\":2,\"no_responders\":true}")) {
            ConnectOptions o = ConnectOptions.parse(json);
            assertThatThrownBy(o::checkClientRules).as(json).hasMessage(NatsErrors.INVALID_CLIENT_PROTOCOL)
                .isInstanceOfSatisfying(NatsProtocolException.class, e -> assertThat(e.closesConnection()).isTrue());
        }
        ConnectOptions noHeaders = ConnectOptions.parse("{\"no_responders\":true}");
        assertThatThrownBy(noHeaders::checkClientRules).hasMessage(NatsErrors.NO_RESPONDERS_REQUIRES_HEADERS);
        ConnectOptions.parse("{\"no_responders\":true,\"headers\":true,\"protocol\":0}").checkClientRules();
    }

    @Test
    void toStringRedactsSecrets() throws NatsProtocolException {
        String s = ConnectOptions.parse("{\"user\":\"bob\",\"pass\":\"s3cret\",\"auth_token\":\"tok\",\"jwt\":\"j\"}")
            .toString();
        assertThat(s).contains("user=bob").doesNotContain("s3cret").doesNotContain("tok").contains("[REDACTED]");
    }

    @Test
    void parsesASliceOfALargerBuffer() throws NatsProtocolException {
        byte[] raw = "CONNECT {\"echo\":false}\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(ConnectOptions.parse(Unpooled.wrappedBuffer(raw), 8, 14).echo()).isFalse();
    }
}
