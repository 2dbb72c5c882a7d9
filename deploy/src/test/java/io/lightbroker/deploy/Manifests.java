package io.lightbroker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads the deploy/ files the way their consumers do, for the consistency tests: Kubernetes
 * manifests into fabric8's typed models, properties files as the broker reads them.
 *
 * <p>fabric8's models keep every field they do not know in {@code additionalProperties}
 * instead of failing, which is what a typo ({@code readinessprobe}, {@code contianerPort})
 * turns into; {@link #unknownFields} walks a parsed object and reports each one with its
 * path, which is what kubeconform would do with the OpenAPI schema.
 */
final class Manifests {
    /** deploy/, where surefire runs this module's tests. */
    static final Path DEPLOY = Path.of("").toAbsolutePath();
    static final Path K8S = DEPLOY.resolve("k8s");
    /** The leaf-node sidecar variant, a kustomization of its own. */
    static final Path K8S_LEAF = K8S.resolve("leaf");
    /** Every directory of deploy/k8s with a kustomization.yaml. */
    static final List<Path> KUSTOMIZATIONS = List.of(K8S, K8S_LEAF);

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Manifests() {}

    /** Every manifest file of deploy/k8s except kustomization.yaml, which is not a Kubernetes object. */
    static List<Path> files() throws IOException {
        return files(K8S);
    }

    /** The manifests of one kustomization directory (not of its subdirectories). */
    static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList();
        }
    }

    static HasMetadata parse(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            Object o = SERIALIZATION.unmarshal(in);
            if (!(o instanceof HasMetadata h)) {
                throw new AssertionError(file + ": not a single Kubernetes object but " + (o == null ? "nothing" : o.getClass().getName()));
            }
            return h;
        }
    }

    static <T extends HasMetadata> T one(Class<T> type) throws IOException {
        return one(K8S, type);
    }

    static <T extends HasMetadata> T one(Path dir, Class<T> type) throws IOException {
        List<T> found = new ArrayList<>();
        for (Path f : files(dir)) {
            HasMetadata h = parse(f);
            if (type.isInstance(h)) {
                found.add(type.cast(h));
            }
        }
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " in " + dir + ", found " + found.size());
        }
        return found.get(0);
    }

    /**
     * A compose file of deploy/ as a tree, read with SnakeYAML rather than Jackson's YAML reader:
     * the files use merge keys ({@code <<: *client}), which Jackson does not resolve.
     */
    static JsonNode compose(String file) throws IOException {
        Object tree = new Yaml().load(Files.readString(DEPLOY.resolve(file)));
        return new ObjectMapper().valueToTree(tree);
    }

    static Properties properties(String text) throws IOException {
        Properties p = new Properties();
        p.load(new java.io.StringReader(text));
        return p;
    }

    static Properties properties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        return p;
    }

    /** "spec.template.spec.containers[0].readinessprobe" for every field the model did not know. */
    static List<String> unknownFields(Object root) {
        List<String> out = new ArrayList<>();
        walk(root, root.getClass().getSimpleName(), out, new IdentityHashMap<>());
        return out;
    }

    private static void walk(Object o, String path, List<String> out, Map<Object, Boolean> seen) {
        if (o == null || seen.put(o, Boolean.TRUE) != null) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                walk(e, path + "[" + i++ + "]", out, seen);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "[" + k + "]", out, seen));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || g.getDeclaringClass() == Object.class) {
                continue;
            }
            String name = g.getName();
            if (!name.startsWith("get") || name.length() == 3) {
                continue;
            }
            Object v;
            try {
                v = g.invoke(o);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (v instanceof Map<?, ?> extra) {
                    for (Object k : extra.keySet()) {
                        out.add(path + "." + k);
                    }
                }
                continue;
            }
            String field = Character.toLowerCase(name.charAt(3)) + name.substring(4);
            walk(v, path + "." + field, out, seen);
        }
    }
}
