package io.lightbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightbroker.broker.cli.Launcher;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Setting;
import io.lightbroker.broker.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The compose demo and the files it mounts refer to real settings (compose-cluster.yml has
 * {@link ComposeClusterFileTest}); docker-compose itself
 * validates the syntax ({@code docker-compose config -q} in deploy/ci/container-test.sh).
 */
class ComposeFileTest {
    private static JsonNode compose() throws IOException {
        return Manifests.compose("docker-compose.yml");
    }

    @Test
    void brokerEnvironmentNamesSettingsAndSecretFilesAreComposeSecrets() throws IOException {
        JsonNode broker = compose().path("services").path("broker");
        List<String> secrets = new ArrayList<>();
        broker.path("secrets").forEach(s -> secrets.add(s.asText()));
        broker.path("environment").fields().forEachRemaining(e -> {
            Setting<?> s = KubernetesManifestsTest.settingOf(e.getKey());
            assertThat(s).as("environment " + e.getKey()).isNotNull();
            if (e.getKey().endsWith("_FILE")) {
                assertThat(e.getValue().asText()).startsWith("/run/secrets/");
                assertThat(secrets).contains(e.getValue().asText().substring("/run/secrets/".length()));
            }
        });
        compose().path("secrets").fields().forEachRemaining(s ->
                assertThat(Manifests.DEPLOY.resolve(s.getValue().path("file").asText())).as("secret file").isRegularFile());
    }

    @Test
    void configDirectoryIsMountedAsTheImagesOverrideDirectoryAndHoldsValidSettings() throws IOException {
        JsonNode broker = compose().path("services").path("broker");
        String dir = KubernetesManifestsTest.imageEnv(Launcher.CONFIG_DIR_ENV);
        List<String> volumes = new ArrayList<>();
        broker.path("volumes").forEach(v -> volumes.add(v.asText()));
        assertThat(volumes).contains("./config:" + dir + ":ro");
        try (Stream<Path> files = Files.list(Manifests.DEPLOY.resolve("config"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".properties")).toList()) {
                Properties p = Manifests.properties(f);
                for (String key : p.stringPropertyNames()) {
                    Setting<?> s = Settings.byName(key);
                    assertThat(s).as("setting '" + key + "' in " + f).isNotNull();
                    Config.builder().set(s, p.getProperty(key).strip(), Config.Source.DIR, f.toString());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"docker-compose.yml", "compose-cluster.yml"})
    void everyServiceIsReadOnlyWithoutCapabilitiesAndWithRotatedLogs(String file) throws IOException {
        Manifests.compose(file).path("services").fields().forEachRemaining(s -> {
            JsonNode svc = s.getValue();
            // Most services get these through an anchor (x-client, x-broker), which the YAML parser resolves.
            assertThat(svc.path("read_only").asBoolean()).as(s.getKey() + " read_only").isTrue();
            assertThat(svc.path("cap_drop").toString()).as(s.getKey() + " cap_drop").contains("ALL");
            assertThat(svc.path("logging").path("options").has("max-size")).as(s.getKey() + " log rotation").isTrue();
            for (JsonNode port : svc.path("ports")) {
                assertThat(port.asText()).as(s.getKey() + " publishes on loopback only").startsWith("127.0.0.1:");
            }
        });
    }

    @Test
    void clientsWaitForAHealthyBrokerThatTheHealthcheckCommandProbes() throws IOException {
        JsonNode services = compose().path("services");
        assertThat(services.path("broker").path("healthcheck").path("test").toString()).contains("healthcheck");
        for (String client : List.of("publisher", "worker")) {
            assertThat(services.path(client).path("depends_on").path("broker").path("condition").asText()).isEqualTo("service_healthy");
        }
        assertThat(services.path("worker").path("command").toString()).contains("--queue");
    }
}
