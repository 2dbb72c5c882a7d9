package io.lightbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.lightbroker.broker.cli.Launcher;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Setting;
import io.lightbroker.broker.config.Settings;
import io.lightbroker.broker.server.LightBroker;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/k8s checked offline (no cluster, no kubeconform here): every manifest parses into
 * fabric8's typed models with no unknown field, and every port, probe path, environment
 * variable and configuration key refers to something the broker really has. The parsing and
 * kustomization checks cover every kustomization (deploy/k8s/leaf too); the leaf sidecar's
 * pod has {@link LeafSidecarManifestsTest}.
 */
class KubernetesManifestsTest {

    static Stream<Path> manifests() throws IOException {
        List<Path> all = new ArrayList<>();
        for (Path dir : Manifests.KUSTOMIZATIONS) {
            all.addAll(Manifests.files(dir));
        }
        return all.stream();
    }

    static Stream<Path> kustomizations() {
        return Manifests.KUSTOMIZATIONS.stream();
    }

    @ParameterizedTest
    @MethodSource("manifests")
    void everyManifestIsATypedObjectWithoutUnknownFields(Path file) throws IOException {
        HasMetadata h = Manifests.parse(file);
        assertThat(h.getClass().getPackageName()).as(file + " kind " + h.getKind()).startsWith("io.fabric8.kubernetes.api.model");
        assertThat(Manifests.unknownFields(h)).as("unknown fields in " + file).isEmpty();
        assertThat(h.getMetadata().getName()).as(file + " metadata.name").isNotBlank();
    }

    @Test
    void everyKustomizationDirectoryIsChecked() throws IOException {
        List<Path> found;
        try (Stream<Path> walk = Files.walk(Manifests.K8S)) {
            found = walk.filter(p -> p.getFileName().toString().equals("kustomization.yaml")).map(Path::getParent).sorted().toList();
        }
        assertThat(found).containsExactlyInAnyOrderElementsOf(Manifests.KUSTOMIZATIONS);
    }

    @Test
    void theUnknownFieldCheckCatchesATypo() {
        String yaml = "apiVersion: v1\nkind: Service\nmetadata: {name: x}\nspec:\n  ports:\n    - port: 1\n      targetprot: admin\n";
        Object o = new io.fabric8.kubernetes.client.utils.KubernetesSerialization().unmarshal(yaml);
        assertThat(Manifests.unknownFields(o)).containsExactly("Service.spec.ports[0].targetprot");
    }

    @ParameterizedTest
    @MethodSource("kustomizations")
    void kustomizationListsExactlyTheManifests(Path dir) throws IOException {
        JsonNode k = new ObjectMapper(new YAMLFactory()).readTree(dir.resolve("kustomization.yaml").toFile());
        assertThat(k.path("kind").asText()).isEqualTo("Kustomization");
        Set<String> known = Set.of("apiVersion", "kind", "resources", "images", "labels", "namespace", "configMapGenerator", "secretGenerator");
        k.fieldNames().forEachRemaining(f -> assertThat(known).as("kustomization field").contains(f));
        Set<String> listed = new TreeSet<>();
        k.path("resources").forEach(r -> listed.add(r.asText()));
        Set<String> present = new TreeSet<>();
        for (Path f : Manifests.files(dir)) {
            present.add(f.getFileName().toString());
        }
        assertThat(listed).isEqualTo(present);
        PodSpec pod = Manifests.one(dir, Deployment.class).getSpec().getTemplate().getSpec();
        List<String> imageNames = new ArrayList<>();
        k.path("images").forEach(i -> imageNames.add(i.path("name").asText()));
        List<Container> all = new ArrayList<>(pod.getContainers());
        all.addAll(pod.getInitContainers());
        for (Container c : all) {
            assertThat(imageNames).as("kustomization images: " + c.getName() + "'s image").contains(c.getImage().split(":")[0]);
        }
    }

    @Test
    void containerPortsAreTheBrokersPortsUnderTheirSettingNames() throws IOException {
        Config config = effectiveConfig();
        Map<String, Setting<Integer>> byName = Map.of("resp", Settings.RESP_PORT, "nats", Settings.NATS_PORT, "admin", Settings.ADMIN_PORT);
        List<ContainerPort> ports = container().getPorts();
        assertThat(ports).extracting(ContainerPort::getName).containsExactlyInAnyOrderElementsOf(byName.keySet());
        for (ContainerPort p : ports) {
            assertThat(p.getContainerPort()).as(p.getName()).isEqualTo(config.get(byName.get(p.getName())));
        }
        // The image's EXPOSE line says the same.
        assertThat(dockerfile()).containsPattern("(?m)^EXPOSE 6379 4222 8222$");
    }

    @Test
    void probesAskTheAdminPortForPathsTheBrokerServes() throws Exception {
        Container c = container();
        Map<String, Probe> probes = Map.of("liveness", c.getLivenessProbe(), "readiness", c.getReadinessProbe(), "startup", c.getStartupProbe());
        assertThat(probes.get("liveness").getHttpGet().getPath()).isEqualTo("/healthz");
        assertThat(probes.get("readiness").getHttpGet().getPath()).isEqualTo("/readyz");
        try (LightBroker broker = LightBroker.builder().bind("127.0.0.1").respPort(0).adminPort(0).start()) {
            HttpClient http = HttpClient.newHttpClient();
            for (Map.Entry<String, Probe> e : probes.entrySet()) {
                HTTPGetAction get = e.getValue().getHttpGet();
                assertThat(get).as(e.getKey() + " probe is an httpGet").isNotNull();
                assertThat(get.getPort().getStrVal()).as(e.getKey() + " probe port").isEqualTo("admin");
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + broker.adminPort() + get.getPath())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("GET " + get.getPath() + " (" + e.getKey() + ")").isEqualTo(200);
            }
        }
    }

    @Test
    void environmentVariablesAreSettingsOrLauncherVariables() throws IOException {
        Set<String> valid = validEnvironmentVariables();
        for (EnvVar e : container().getEnv()) {
            assertThat(valid).as("env " + e.getName()).contains(e.getName());
            Setting<?> s = settingOf(e.getName());
            if (s != null && !e.getName().endsWith("_FILE")) {
                assertThat(s.sensitive()).as(e.getName() + " is a secret: give it as " + e.getName() + "_FILE").isFalse();
                Config.builder().set(s, e.getValue(), Config.Source.ENV, "deployment.yaml " + e.getName());
            }
        }
    }

    @Test
    void secretFilesNamedByTheEnvironmentExistInTheMountedSecret() throws IOException {
        PodSpec pod = pod();
        Secret secret = Manifests.one(Secret.class);
        Set<String> keys = new HashSet<>();
        if (secret.getStringData() != null) {
            keys.addAll(secret.getStringData().keySet());
        }
        if (secret.getData() != null) {
            keys.addAll(secret.getData().keySet());
        }
        VolumeMount mount = mountOf(pod, v -> v.getSecret() != null && secret.getMetadata().getName().equals(v.getSecret().getSecretName()));
        int files = 0;
        for (EnvVar e : container().getEnv()) {
            if (!e.getName().endsWith("_FILE")) {
                continue;
            }
            files++;
            Setting<?> s = settingOf(e.getName());
            assertThat(s.sensitive()).as(e.getName() + " names a secret's file").isTrue();
            Path p = Path.of(e.getValue());
            assertThat(p.getParent().toString()).as(e.getName()).isEqualTo(mount.getMountPath());
            assertThat(keys).as("key of Secret " + secret.getMetadata().getName()).contains(p.getFileName().toString());
        }
        assertThat(files).isEqualTo(keys.size());
    }

    @Test
    void configMapEntriesAreSettingsWithValidValuesMountedAsTheImagesOverrideDirectory() throws IOException {
        ConfigMap cm = Manifests.one(ConfigMap.class);
        assertThat(cm.getData()).isNotEmpty();
        for (Map.Entry<String, String> f : cm.getData().entrySet()) {
            assertThat(f.getKey()).as("ConfigMap key: the broker reads only *.properties files").endsWith(".properties");
            Properties p = Manifests.properties(f.getValue());
            for (String key : p.stringPropertyNames()) {
                Setting<?> s = Settings.byName(key);
                assertThat(s).as("setting '" + key + "' in " + f.getKey()).isNotNull();
                assertThat(s.sensitive()).as(key + " is a secret: it belongs in the Secret").isFalse();
                Config.builder().set(s, p.getProperty(key).strip(), Config.Source.DIR, "configmap " + f.getKey());
            }
        }
        VolumeMount mount = mountOf(pod(), v -> v.getConfigMap() != null && cm.getMetadata().getName().equals(v.getConfigMap().getName()));
        assertThat(mount.getMountPath()).isEqualTo(imageEnv(Launcher.CONFIG_DIR_ENV));
    }

    @Test
    void serviceExposesEveryContainerPortByName() throws IOException {
        Service svc = Manifests.one(Service.class);
        Map<String, Integer> container = new java.util.HashMap<>();
        container().getPorts().forEach(p -> container.put(p.getName(), p.getContainerPort()));
        assertThat(svc.getSpec().getPorts()).hasSize(container.size());
        for (ServicePort p : svc.getSpec().getPorts()) {
            assertThat(container).as("targetPort " + p.getTargetPort()).containsKey(p.getTargetPort().getStrVal());
            assertThat(p.getPort()).isEqualTo(container.get(p.getTargetPort().getStrVal()));
        }
        assertThat(svc.getSpec().getSelector()).isEqualTo(Manifests.one(Deployment.class).getSpec().getSelector().getMatchLabels());
    }

    @Test
    void terminationGraceOutlastsTheDrain() throws IOException {
        long drainMillis = effectiveConfig().get(Settings.DRAIN_GRACE);
        long graceSeconds = pod().getTerminationGracePeriodSeconds();
        // The listeners close and the process exits within a few seconds after drain-grace.
        assertThat(graceSeconds * 1000).isGreaterThanOrEqualTo(drainMillis + 5000);
    }

    @Test
    void podRunsAsTheImagesNonRootUserOnAReadOnlyRoot() throws IOException {
        PodSpec pod = pod();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
        assertThat(dockerfile()).containsPattern("(?m)^USER 65532:65532$");
        Container c = container();
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getResources().getLimits()).containsKey("memory");
        assertThat(pod.getEnableServiceLinks()).as("service links would inject LIGHTBROKER_* variables").isFalse();
        assertThat(Manifests.one(Deployment.class).getSpec().getReplicas()).isEqualTo(1);
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The settings the pod ends up with: defaults, the image's baked file, the ConfigMap, the env. */
    static Config effectiveConfig() throws IOException {
        Config.Builder b = Config.builder();
        b.file(Manifests.DEPLOY.resolve("image/lightbroker.properties"));
        ConfigMap cm = Manifests.one(ConfigMap.class);
        for (String file : new TreeSet<>(cm.getData().keySet())) {
            Properties p = Manifests.properties(cm.getData().get(file));
            for (String key : p.stringPropertyNames()) {
                b.set(Settings.byName(key), p.getProperty(key).strip(), Config.Source.DIR, file);
            }
        }
        for (EnvVar e : container().getEnv()) {
            Setting<?> s = settingOf(e.getName());
            if (s != null && !e.getName().endsWith("_FILE")) {
                b.set(s, e.getValue(), Config.Source.ENV, e.getName());
            }
        }
        return b.build();
    }

    static Set<String> validEnvironmentVariables() {
        Set<String> valid = new HashSet<>(Launcher.ENV_VARS);
        valid.add("JDK_JAVA_OPTIONS");
        for (Setting<?> s : Settings.all()) {
            valid.add(s.envVar());
            valid.add(s.envVar() + "_FILE");
        }
        return valid;
    }

    static Setting<?> settingOf(String envName) {
        for (Setting<?> s : Settings.all()) {
            if (envName.equals(s.envVar()) || envName.equals(s.envVar() + "_FILE")) {
                return s;
            }
        }
        return null;
    }

    static PodSpec pod() throws IOException {
        return Manifests.one(Deployment.class).getSpec().getTemplate().getSpec();
    }

    static Container container() throws IOException {
        List<Container> cs = pod().getContainers();
        assertThat(cs).hasSize(1);
        return cs.get(0);
    }

    private static VolumeMount mountOf(PodSpec pod, java.util.function.Predicate<Volume> which) throws IOException {
        Volume v = pod.getVolumes().stream().filter(which).findFirst().orElseThrow(() -> new AssertionError("no such volume"));
        return container().getVolumeMounts().stream().filter(m -> m.getName().equals(v.getName())).findFirst()
                .orElseThrow(() -> new AssertionError("volume " + v.getName() + " is not mounted"));
    }

    static String dockerfile() throws IOException {
        return Files.readString(Manifests.DEPLOY.resolve("Dockerfile"));
    }

    /** A value the Dockerfile sets with ENV NAME=value. */
    static String imageEnv(String name) throws IOException {
        Matcher m = Pattern.compile("\\b" + Pattern.quote(name) + "=(\\S+)").matcher(dockerfile());
        if (!m.find()) {
            fail("the Dockerfile sets no " + name);
        }
        return m.group(1);
    }
}
