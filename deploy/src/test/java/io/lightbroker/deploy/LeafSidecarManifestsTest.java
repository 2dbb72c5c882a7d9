package io.lightbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.lightbroker.broker.cli.Launcher;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Setting;
import io.lightbroker.broker.config.Settings;
import io.lightbroker.broker.leaf.LeafRemote;
import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s/leaf, lightbroker as a leaf-node sidecar, checked offline against the broker: the
 * sidecar's settings (image file, ConfigMap, image and pod environment, the Secret's files) are
 * valid and join the hub with credentials from the Secret; the application reaches the sidecar
 * on the pod's loopback at the ports it listens on; the probes get 200 from a broker configured
 * like the sidecar, whose admin token guards the rest of the admin API ({@code /leafz}
 * included). Parsing into typed models with no unknown field is {@link KubernetesManifestsTest}'s.
 */
class LeafSidecarManifestsTest {
    private static final Path DIR = Manifests.K8S_LEAF;

    @Test
    void lightbrokerIsANativeSidecarThatStartsBeforeTheApplication() throws IOException {
        PodSpec pod = pod();
        // An init container with restartPolicy Always (Kubernetes 1.29+) starts, and passes its
        // startup probe, before the main containers, and stops after them.
        assertThat(pod.getInitContainers()).extracting(Container::getName).containsExactly("lightbroker");
        Container c = sidecar();
        assertThat(c.getRestartPolicy()).isEqualTo("Always");
        assertThat(c.getStartupProbe()).isNotNull();
        assertThat(c.getArgs()).containsExactly("serve");
        assertThat(pod.getContainers()).extracting(Container::getName).doesNotContain("lightbroker").isNotEmpty();
    }

    @Test
    void environmentVariablesAreSettingsWithValidValuesAndSecretsAreFilesOfTheMountedSecret() throws IOException {
        Set<String> valid = KubernetesManifestsTest.validEnvironmentVariables();
        Secret secret = Manifests.one(DIR, Secret.class);
        VolumeMount mount = mountOf(sidecar(), v -> v.getSecret() != null && secret.getMetadata().getName().equals(v.getSecret().getSecretName()));
        Set<String> used = new HashSet<>();
        for (EnvVar e : sidecar().getEnv()) {
            assertThat(valid).as("env " + e.getName()).contains(e.getName());
            Setting<?> s = KubernetesManifestsTest.settingOf(e.getName());
            if (e.getName().endsWith("_FILE")) {
                assertThat(s.sensitive()).as(e.getName() + " names a secret's file").isTrue();
                Path p = Path.of(e.getValue());
                assertThat(p.getParent().toString()).as(e.getName()).isEqualTo(mount.getMountPath());
                assertThat(secretData(secret)).as("key of Secret " + secret.getMetadata().getName()).containsKey(p.getFileName().toString());
                used.add(p.getFileName().toString());
            } else if (s != null) {
                assertThat(s.sensitive()).as(e.getName() + " is a secret: give it as " + e.getName() + "_FILE").isFalse();
            }
        }
        assertThat(used).as("every key of the Secret is used").isEqualTo(secretData(secret).keySet());
        sidecarConfig();
    }

    @Test
    void configMapEntriesAreSettingsWithValidValuesMountedAsTheImagesOverrideDirectory() throws IOException {
        ConfigMap cm = Manifests.one(DIR, ConfigMap.class);
        for (Map.Entry<String, String> f : cm.getData().entrySet()) {
            assertThat(f.getKey()).as("ConfigMap key: the broker reads only *.properties files").endsWith(".properties");
            Properties p = Manifests.properties(f.getValue());
            for (String key : p.stringPropertyNames()) {
                Setting<?> s = Settings.byName(key);
                assertThat(s).as("setting '" + key + "' in " + f.getKey()).isNotNull();
                assertThat(s.sensitive()).as(key + " is a secret: it belongs in the Secret").isFalse();
            }
        }
        VolumeMount mount = mountOf(sidecar(), v -> v.getConfigMap() != null && cm.getMetadata().getName().equals(v.getConfigMap().getName()));
        assertThat(mount.getMountPath()).isEqualTo(KubernetesManifestsTest.imageEnv(Launcher.CONFIG_DIR_ENV));
    }

    @Test
    void leafRemotesReachTheClustersLeafnodePortWithCredentialsFromTheSecret() throws IOException {
        Config c = buildConfig(sidecarConfig());
        List<LeafRemote> remotes = c.get(Settings.LEAF_REMOTES);
        assertThat(remotes).isNotEmpty();
        for (LeafRemote r : remotes) {
            assertThat(r.port()).isEqualTo(LeafRemote.DEFAULT_PORT);
            assertThat(r.tls()).isFalse();
            // A URL with credentials would put them in the Deployment, readable by all who may read it.
            assertThat(r.hasCredentials()).as(r.redacted() + " carries credentials").isFalse();
        }
        assertThat(c.get(Settings.LEAF_USER)).isNotBlank();
        assertThat(c.value(Settings.LEAF_PASSWORD).origin()).contains("LIGHTBROKER_LEAF_PASSWORD_FILE");
        assertThat(c.get(Settings.LEAF_PASSWORD)).isNotBlank();
    }

    @Test
    void theApplicationReachesTheSidecarOnThePodsLoopbackAndOnlyTheAdminPortIsExposed() throws IOException {
        Config c = buildConfig(sidecarConfig());
        assertThat(c.get(Settings.BIND)).as("Redis and NATS for this pod only").isEqualTo("127.0.0.1");
        // The kubelet probes the pod's address, not its loopback.
        assertThat(c.get(Settings.ADMIN_BIND)).isEqualTo("0.0.0.0");
        assertThat(c.get(Settings.ADMIN_TOKEN)).as("admin API beyond the probes on the pod's address").isNotBlank();

        List<ContainerPort> ports = sidecar().getPorts();
        assertThat(ports).extracting(ContainerPort::getName).containsExactly("admin");
        assertThat(ports.get(0).getContainerPort()).isEqualTo(c.get(Settings.ADMIN_PORT));
        assertThat(KubernetesManifestsTest.dockerfile()).containsPattern("(?m)^EXPOSE .*\\b" + c.get(Settings.ADMIN_PORT) + "\\b");

        Container app = pod().getContainers().get(0);
        Map<String, String> env = new LinkedHashMap<>();
        app.getEnv().forEach(e -> env.put(e.getName(), e.getValue()));
        URI redis = URI.create(env.get("REDIS_URL"));
        URI nats = URI.create(env.get("NATS_URL"));
        assertThat(redis.getHost()).isEqualTo("127.0.0.1");
        assertThat(redis.getPort()).isEqualTo(c.get(Settings.RESP_PORT));
        assertThat(nats.getHost()).isEqualTo("127.0.0.1");
        assertThat(nats.getPort()).isEqualTo(c.get(Settings.NATS_PORT));
        // The stand-in application is the image's own client; $(VAR) is expanded by Kubernetes.
        for (String arg : app.getArgs()) {
            if (arg.startsWith("$(")) {
                assertThat(env).containsKey(arg.substring(2, arg.length() - 1));
            }
        }
    }

    @Test
    void probesGetTheirAnswerFromABrokerConfiguredLikeTheSidecarWhoseTokenGuardsLeafz() throws Exception {
        Container c = sidecar();
        Map<String, Probe> probes = Map.of("liveness", c.getLivenessProbe(), "readiness", c.getReadinessProbe(), "startup", c.getStartupProbe());
        assertThat(probes.get("liveness").getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(probes.get("readiness").getHttpGet().getPath()).isEqualTo("/readyz");
        Map<Setting<?>, Layer> settings = sidecarConfig();
        LightBroker.Builder b = LightBroker.builder();
        settings.forEach((s, layer) -> b.setting(s.name(), layer.raw()));
        // The pod's settings, but on free loopback ports, and a hub that refuses connections
        // (the link retries in the background, as it would while the cluster is away).
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        b.bind("127.0.0.1").setting(Settings.ADMIN_BIND.name(), "127.0.0.1").respPort(0).natsPort(0).adminPort(0)
                .setting(Settings.LEAF_REMOTES.name(), "nats-leaf://127.0.0.1:" + closed);
        String token = settings.get(Settings.ADMIN_TOKEN).raw();
        try (LightBroker broker = b.start()) {
            HttpClient http = HttpClient.newHttpClient();
            String base = "http://127.0.0.1:" + broker.adminPort();
            for (Map.Entry<String, Probe> e : probes.entrySet()) {
                HTTPGetAction get = e.getValue().getHttpGet();
                assertThat(get).as(e.getKey() + " probe is an httpGet").isNotNull();
                assertThat(get.getPort().getStrVal()).as(e.getKey() + " probe port").isEqualTo("admin");
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + get.getPath())).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("GET " + get.getPath() + " (" + e.getKey() + ") without the admin token").isEqualTo(200);
            }
            HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/leafz")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).as("GET /leafz without the token").isEqualTo(401);
            HttpResponse<String> leafz = http.send(HttpRequest.newBuilder(URI.create(base + "/leafz")).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(leafz.statusCode()).isEqualTo(200);
            JsonNode z = new ObjectMapper().readTree(leafz.body());
            assertThat(z.path("leafnodes").asInt(-1)).as("no hub answers here").isZero();
            assertThat(z.path("leafs")).hasSize(1);
        }
    }

    @Test
    void everyContainerRunsAsTheImagesNonRootUserOnAReadOnlyRootWithAMemoryLimit() throws IOException {
        PodSpec pod = pod();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(KubernetesManifestsTest.dockerfile()).containsPattern("(?m)^USER 65532:65532$");
        assertThat(pod.getEnableServiceLinks()).as("service links would inject LIGHTBROKER_* variables").isFalse();
        List<Container> all = new ArrayList<>(pod.getInitContainers());
        all.addAll(pod.getContainers());
        for (Container c : all) {
            assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
            assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
            assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            assertThat(c.getResources().getLimits()).as(c.getName()).containsKey("memory");
        }
    }

    @Test
    void terminationGraceOutlastsTheDrain() throws IOException {
        long drainMillis = buildConfig(sidecarConfig()).get(Settings.DRAIN_GRACE);
        // The application stops first; then the sidecar drains and exits a few seconds after drain-grace.
        assertThat(pod().getTerminationGracePeriodSeconds() * 1000).isGreaterThanOrEqualTo(drainMillis + 10_000);
    }

    // ---- helpers -----------------------------------------------------------------------------

    private static PodSpec pod() throws IOException {
        return Manifests.one(DIR, Deployment.class).getSpec().getTemplate().getSpec();
    }

    private static Container sidecar() throws IOException {
        return pod().getInitContainers().stream().filter(c -> c.getName().equals("lightbroker")).findFirst()
                .orElseThrow(() -> new AssertionError("no lightbroker init container"));
    }

    private static VolumeMount mountOf(Container c, Predicate<Volume> which) throws IOException {
        Volume v = pod().getVolumes().stream().filter(which).findFirst().orElseThrow(() -> new AssertionError("no such volume"));
        return c.getVolumeMounts().stream().filter(m -> m.getName().equals(v.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("volume " + v.getName() + " is not mounted in " + c.getName()));
    }

    private static Map<String, String> secretData(Secret s) {
        Map<String, String> out = new LinkedHashMap<>();
        if (s.getStringData() != null) {
            out.putAll(s.getStringData());
        }
        if (s.getData() != null) {
            s.getData().forEach((k, v) -> out.put(k, new String(java.util.Base64.getDecoder().decode(v), java.nio.charset.StandardCharsets.UTF_8)));
        }
        return out;
    }

    /** One setting's raw value and where it came from. */
    record Layer(String raw, Config.Source source, String origin) {}

    /**
     * The sidecar's settings, lowest precedence first: the image's baked file, the ConfigMap's
     * files in name order, the image's ENV, the pod's env, where a {@code _FILE} variable reads
     * its file from the mounted Secret. Each value is checked as it is set.
     */
    static Map<Setting<?>, Layer> sidecarConfig() throws IOException {
        Map<Setting<?>, Layer> layers = new LinkedHashMap<>();
        Properties image = Manifests.properties(Manifests.DEPLOY.resolve("image/lightbroker.properties"));
        for (String key : new TreeSet<>(image.stringPropertyNames())) {
            put(layers, Settings.byName(key), image.getProperty(key).strip(), Config.Source.FILE, "image/lightbroker.properties");
        }
        ConfigMap cm = Manifests.one(DIR, ConfigMap.class);
        for (String file : new TreeSet<>(cm.getData().keySet())) {
            Properties p = Manifests.properties(cm.getData().get(file));
            for (String key : new TreeSet<>(p.stringPropertyNames())) {
                put(layers, Settings.byName(key), p.getProperty(key).strip(), Config.Source.DIR, "configmap " + file);
            }
        }
        put(layers, Settings.BIND, KubernetesManifestsTest.imageEnv(Settings.BIND.envVar()), Config.Source.ENV, "the image's ENV");
        Secret secret = Manifests.one(DIR, Secret.class);
        for (EnvVar e : sidecar().getEnv()) {
            Setting<?> s = KubernetesManifestsTest.settingOf(e.getName());
            if (s == null) {
                continue;
            }
            String value = e.getName().endsWith("_FILE") ? secretData(secret).get(Path.of(e.getValue()).getFileName().toString()) : e.getValue();
            assertThat(value).as(e.getName()).isNotNull();
            put(layers, s, value.strip(), Config.Source.ENV, "environment variable " + e.getName());
        }
        buildConfig(layers);
        return layers;
    }

    private static void put(Map<Setting<?>, Layer> layers, Setting<?> s, String raw, Config.Source source, String origin) {
        assertThat(s).as("setting from " + origin).isNotNull();
        layers.put(s, new Layer(raw, source, origin));
    }

    private static Config buildConfig(Map<Setting<?>, Layer> layers) {
        Config.Builder b = Config.builder();
        layers.forEach((s, l) -> b.set(s, l.raw(), l.source(), l.origin()));
        return b.build();
    }
}
