package io.lightbroker.nats;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A handler may pause the parser inside onConnect (a slow credential check); nothing after the CONNECT is read until resume. */
class NatsParserPauseTest {

    @Test
    void pauseInOnConnectStopsRightAfterTheConnectLineAndResumeParsesTheRest() throws Exception {
        NatsParser[] parser = new NatsParser[1];
        Recorder rec = new Recorder() {
            @Override
            public void onConnect(ByteBuf buf, int jsonIndex, int jsonLength) {
                super.onConnect(buf, jsonIndex, jsonLength);
                parser[0].pause();
            }
        };
        parser[0] = new NatsParser(rec);
        String connect = "CONNECT {\"verbose\":false}\r\n";
        ByteBuf in = Unpooled.copiedBuffer(connect + "PING\r\nSUB a 1\r\n", StandardCharsets.US_ASCII);
        parser[0].parse(in);
        assertThat(parser[0].paused()).isTrue();
        assertThat(in.readerIndex()).isEqualTo(connect.length());
        assertThat(rec.events).hasSize(1);
        parser[0].parse(in);
        assertThat(in.readerIndex()).as("nothing read while paused").isEqualTo(connect.length());
        parser[0].resume();
        parser[0].parse(in);
        assertThat(in.isReadable()).isFalse();
        assertThat(rec.events).hasSize(3);
        assertThat(rec.events.get(1)).startsWith("PING");
    }
}
