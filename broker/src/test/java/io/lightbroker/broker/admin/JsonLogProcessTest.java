package io.lightbroker.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightbroker.broker.server.Main;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The real process with {@code --log-format json}: every line is a JSON object, and {@code POST /drain} ends the process with status 0. */
class JsonLogProcessTest {

    @Test
    void jsonLogFormatWritesOneParsableObjectPerLineAndDrainEndsTheProcessWithZero() throws Exception {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "--resp-port", "0", "--admin-port", "0", "--nats-port", "-1", "--log-format", "json", "--drain-grace", "0s"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            List<JsonNode> lines = new ArrayList<>();
            Pattern admin = Pattern.compile("admin HTTP listening on 127\\.0\\.0\\.1:(\\d+)");
            int adminPort = -1;
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode j = AdminClient.parse(line);
                lines.add(j);
                Matcher m = admin.matcher(j.path("message").asText());
                if (m.find()) {
                    adminPort = Integer.parseInt(m.group(1));
                }
                if (j.path("message").asText().startsWith("lightbroker ") && j.path("message").asText().contains("started")) {
                    break;
                }
            }
            assertThat(adminPort).isPositive();
            for (JsonNode j : lines) {
                assertThat(j.fieldNames()).toIterable().contains("timestamp", "level", "logger", "thread", "message");
            }
            assertThat(new AdminClient(adminPort).get("/readyz").statusCode()).isEqualTo(200);

            assertThat(new AdminClient(adminPort).send("POST", "/drain").statusCode()).isEqualTo(202);
            while ((line = r.readLine()) != null) {
                AdminClient.parse(line);
            }
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).isZero();
        } finally {
            p.destroyForcibly();
        }
    }
}
