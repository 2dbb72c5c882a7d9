package io.lightbroker.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lightbroker.broker.config.Config;
import io.lightbroker.broker.config.Setting;
import io.lightbroker.broker.config.Settings;
import io.lightbroker.broker.leaf.LeafRemote;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * deploy/compose-cluster.yml against the broker and deploy/nats: the lightbroker nodes' variables
 * are settings with valid values and their leaf remotes reach every hub on the port the hubs'
 * cluster.conf listens on for leaf nodes; the hubs route to each other on the cluster port; the
 * demo's publisher and subscriber are on different nodes. Whether it runs is
 * deploy/ci/container-test.sh's part.
 */
class ComposeClusterFileTest {
    private static final String FILE = "compose-cluster.yml";

    @Test
    void brokerEnvironmentNamesSettingsWithValidValuesAndNoSecrets() throws IOException {
        assertThat(brokers()).containsKeys("broker-a", "broker-b", "broker");
        for (Map.Entry<String, JsonNode> b : brokers().entrySet()) {
            b.getValue().path("environment").fields().forEachRemaining(e -> {
                Setting<?> s = KubernetesManifestsTest.settingOf(e.getKey());
                assertThat(s).as(b.getKey() + " environment " + e.getKey()).isNotNull();
                assertThat(s.sensitive()).as(e.getKey() + " is a secret: give it as a _FILE").isFalse();
            });
            effectiveConfig(b.getValue());
        }
    }

    @Test
    void everyBrokerJoinsEveryHubOnTheHubsLeafnodePort() throws IOException {
        int leafPort = port(natsConf().get("leafnodes.listen"));
        for (Map.Entry<String, JsonNode> b : brokers().entrySet()) {
            List<LeafRemote> remotes = effectiveConfig(b.getValue()).get(Settings.LEAF_REMOTES);
            assertThat(remotes).extracting(LeafRemote::host).as(b.getKey() + " leaf remotes")
                    .containsExactlyInAnyOrderElementsOf(hubs().keySet());
            assertThat(remotes).extracting(LeafRemote::port).containsOnly(leafPort);
            // The hubs have no authorization: credentials in these URLs would be an error too.
            assertThat(remotes).noneMatch(LeafRemote::hasCredentials);
        }
    }

    @Test
    void hubsRouteToEveryHubOnTheClusterPortUnderTheirServiceNames() throws IOException {
        int routePort = port(natsConf().get("cluster.listen"));
        String dockerfile = Files.readString(Manifests.DEPLOY.resolve("nats/Dockerfile"));
        assertThat(hubs()).hasSize(3);
        for (Map.Entry<String, JsonNode> h : hubs().entrySet()) {
            List<String> cmd = strings(h.getValue().path("command"));
            // compose's command replaces the image's CMD, so the config comes again, the file the image holds.
            String config = flag(cmd, "--config");
            assertThat(dockerfile).contains("COPY cluster.conf " + config);
            // container-test.sh stops a hub by the name /leafz reports (hub_server_name).
            assertThat(flag(cmd, "--name")).isEqualTo(h.getKey());
            Set<String> hosts = new HashSet<>();
            for (String route : flag(cmd, "--routes").split(",")) {
                URI u = URI.create(route);
                assertThat(u.getScheme()).isEqualTo("nats");
                assertThat(u.getPort()).as(route).isEqualTo(routePort);
                hosts.add(u.getHost());
            }
            assertThat(hosts).isEqualTo(hubs().keySet());
        }
    }

    @Test
    void natsImageRunsAsNonRootAndExposesTheConfiguredPorts() throws IOException {
        String dockerfile = Files.readString(Manifests.DEPLOY.resolve("nats/Dockerfile"));
        Map<String, String> conf = natsConf();
        assertThat(dockerfile).containsPattern("(?m)^USER 65532:65532$")
                .contains("ARG DEBIAN_IMAGE=debian:bookworm-slim", "ARG RUNTIME_IMAGE=gcr.io/distroless/cc-debian12:nonroot")
                .doesNotContain("# syntax=");
        assertThat(dockerfile).containsPattern("(?m)^EXPOSE " + port(conf.get("listen")) + " " + port(conf.get("cluster.listen")) + " "
                + port(conf.get("leafnodes.listen")) + " " + port(conf.get("http")) + "$");
    }

    @Test
    void brokerPortsArePublishedOnLoopbackAndThePoolsOnRandomPorts() throws IOException {
        Set<Integer> brokerPorts = Set.of(6379, 4222, 8222);
        Set<String> hostPorts = new HashSet<>();
        for (Map.Entry<String, JsonNode> b : brokers().entrySet()) {
            Config c = effectiveConfig(b.getValue());
            assertThat(brokerPorts).containsExactlyInAnyOrder(c.get(Settings.RESP_PORT), c.get(Settings.NATS_PORT), c.get(Settings.ADMIN_PORT));
            List<Integer> published = new ArrayList<>();
            for (String p : strings(b.getValue().path("ports"))) {
                String[] parts = p.split(":");
                assertThat(parts).as(p).hasSize(3);
                assertThat(parts[0]).isEqualTo("127.0.0.1");
                published.add(Integer.parseInt(parts[2]));
                if (b.getKey().equals("broker")) {
                    // --scale broker=3: a fixed host port could be bound only once.
                    assertThat(parts[1]).as("the pool's host port").isEmpty();
                } else {
                    assertThat(hostPorts.add(parts[1])).as("host port " + parts[1] + " used twice").isTrue();
                }
            }
            assertThat(published).containsExactlyInAnyOrderElementsOf(brokerPorts);
        }
    }

    @Test
    void demoPublisherAndSubscriberAreOnDifferentNodesThatPreferDifferentHubs() throws IOException {
        JsonNode services = Manifests.compose(FILE).path("services");
        List<String> pub = strings(services.path("publisher").path("command"));
        List<String> sub = strings(services.path("subscriber").path("command"));
        assertThat(pub.get(0)).isEqualTo("pub");
        assertThat(sub.get(0)).isEqualTo("sub");
        assertThat(pub.get(pub.size() - 2)).as("subject").isEqualTo(sub.get(sub.size() - 1));
        String pubNode = URI.create(flag(pub, "--url")).getHost();
        String subNode = URI.create(flag(sub, "--url")).getHost();
        assertThat(brokers()).containsKeys(pubNode, subNode);
        assertThat(pubNode).isNotEqualTo(subNode);
        assertThat(firstHub(pubNode)).isNotEqualTo(firstHub(subNode));
        assertThat(services.path("subscriber").path("depends_on").path(subNode).path("condition").asText()).isEqualTo("service_healthy");
        assertThat(services.path("publisher").path("depends_on").path(pubNode).path("condition").asText()).isEqualTo("service_healthy");
    }

    // ---- helpers -----------------------------------------------------------------------------

    /** The lightbroker servers: the lightbroker image with its default command ('serve'). */
    private static Map<String, JsonNode> brokers() throws IOException {
        return services(s -> s.path("image").asText().contains("LIGHTBROKER_IMAGE") && s.path("command").isMissingNode());
    }

    private static Map<String, JsonNode> hubs() throws IOException {
        return services(s -> s.path("image").asText().contains("LIGHTBROKER_NATS_IMAGE"));
    }

    private static Map<String, JsonNode> services(java.util.function.Predicate<JsonNode> which) throws IOException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        Manifests.compose(FILE).path("services").fields().forEachRemaining(e -> {
            if (which.test(e.getValue())) {
                out.put(e.getKey(), e.getValue());
            }
        });
        return out;
    }

    /** What the node runs with: the image's baked file, then its environment. */
    private static Config effectiveConfig(JsonNode service) throws IOException {
        Config.Builder b = Config.builder().file(Manifests.DEPLOY.resolve("image/lightbroker.properties"));
        service.path("environment").fields().forEachRemaining(e ->
                b.set(KubernetesManifestsTest.settingOf(e.getKey()), e.getValue().asText(), Config.Source.ENV, FILE + " " + e.getKey()));
        return b.build();
    }

    private static String firstHub(String broker) throws IOException {
        return effectiveConfig(brokers().get(broker)).get(Settings.LEAF_REMOTES).get(0).host();
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String flag(List<String> cmd, String name) {
        int i = cmd.indexOf(name);
        assertThat(i).as(name + " in " + cmd).isNotNegative().isLessThan(cmd.size() - 1);
        return cmd.get(i + 1);
    }

    /**
     * deploy/nats/cluster.conf as "block.key" to value, for the keys this file has (nats-server's
     * format is richer; a real parse is the container test's nats-server itself).
     */
    private static Map<String, String> natsConf() throws IOException {
        Map<String, String> out = new HashMap<>();
        List<String> blocks = new ArrayList<>();
        Pattern open = Pattern.compile("^(\\w+)\\s*\\{$");
        Pattern entry = Pattern.compile("^(\\w+)\\s*[:=]\\s*(\\S+)$");
        for (String raw : Files.readAllLines(Manifests.DEPLOY.resolve("nats/cluster.conf"))) {
            String line = raw.replaceFirst("#.*", "").strip();
            Matcher m;
            if (line.equals("}")) {
                blocks.remove(blocks.size() - 1);
            } else if ((m = open.matcher(line)).matches()) {
                blocks.add(m.group(1));
            } else if ((m = entry.matcher(line)).matches()) {
                String prefix = blocks.isEmpty() ? "" : String.join(".", blocks) + ".";
                out.put(prefix + m.group(1), m.group(2));
            } else {
                assertThat(line).as("cluster.conf line this test does not understand").isEmpty();
            }
        }
        assertThat(blocks).as("unclosed blocks").isEmpty();
        return out;
    }

    private static int port(String hostPort) {
        assertThat(hostPort).isNotNull();
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }
}
