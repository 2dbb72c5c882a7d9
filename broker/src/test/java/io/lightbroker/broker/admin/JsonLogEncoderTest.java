package io.lightbroker.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogEncoderTest {
    private final LoggerContext ctx = new LoggerContext();
    private final Logger logger = ctx.getLogger("io.lightbroker.test");

    JsonLogEncoderTest() {
        ctx.setMDCAdapter(new LogbackMDCAdapter());
    }

    private JsonNode encode(LoggingEvent e) {
        JsonLogEncoder enc = new JsonLogEncoder();
        enc.setContext(ctx);
        enc.start();
        String line = new String(enc.encode(e), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n").doesNotContain("\n\n");
        assertThat(line.strip()).doesNotContain("\n");
        return AdminClient.parse(line);
    }

    @Test
    void lineIsOneJsonObjectWithTheFixedFields() {
        LoggingEvent e = new LoggingEvent("fqcn", logger, Level.WARN, "client {} said \"{}\"", null, new Object[] {7, "hi\nthere"});
        e.setThreadName("lightbroker-io-1");
        e.setTimeStamp(0);
        JsonNode j = encode(e);
        assertThat(j.get("timestamp").asText()).isEqualTo("1970-01-01T00:00:00Z");
        assertThat(j.get("level").asText()).isEqualTo("WARN");
        assertThat(j.get("logger").asText()).isEqualTo("io.lightbroker.test");
        assertThat(j.get("thread").asText()).isEqualTo("lightbroker-io-1");
        assertThat(j.get("message").asText()).isEqualTo("client 7 said \"hi\nthere\"");
        assertThat(j.has("exception")).isFalse();
    }

    @Test
    void mdcKeysBecomeTopLevelFields() {
        LoggingEvent e = new LoggingEvent("fqcn", logger, Level.INFO, "connected", null, null);
        e.setMDCPropertyMap(Map.of("client_id", "42", "remote", "10.0.0.1:5555", "level", "shadowed"));
        JsonNode j = encode(e);
        assertThat(j.get("client_id").asText()).isEqualTo("42");
        assertThat(j.get("remote").asText()).isEqualTo("10.0.0.1:5555");
        assertThat(j.get("level").asText()).isEqualTo("INFO");
    }

    @Test
    void exceptionIsOneStringField() {
        LoggingEvent e = new LoggingEvent("fqcn", logger, Level.ERROR, "failed", new IllegalStateException("boom"), null);
        JsonNode j = encode(e);
        assertThat(j.get("exception").asText()).contains("IllegalStateException: boom");
    }
}
