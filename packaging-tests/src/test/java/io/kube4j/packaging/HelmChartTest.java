package io.kube4j.packaging;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.kube4j.gateway.security.ClusterPki;
import io.kube4j.gateway.security.PkiFiles;
import io.kube4j.gateway.security.StaticTokenFile;
import io.kube4j.gateway.security.SubjectAltName;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The helm chart {@code helm/kube4j}, through helm's own code (helm-java): it lints clean, renders
 * for each way of configuring it, and kube4j's own gateway accepts every rendered object with
 * {@code kubectl apply --dry-run=server}, as kube-apiserver would check them before an install.
 */
class HelmChartTest {

    private static final Path CHART = Path.of("").toAbsolutePath().getParent().resolve("helm/kube4j");

    /** The Kubernetes version kube4j serves (kubectl 1.32 is its judge); helm template assumes 1.20 otherwise. */
    private static final String KUBE_VERSION = "1.32.0";

    private static LocalCluster cluster;

    @BeforeAll
    static void startGateway() throws IOException {
        cluster = LocalCluster.start();
        // The chart's lookup of an existing PKI Secret asks the cluster named by KUBECONFIG (see the
        // pom): our gateway, where there is none yet.
        Path kubeconfig = Path.of(System.getenv("KUBECONFIG"));
        Files.createDirectories(kubeconfig.getParent());
        Files.copy(cluster.kubeconfig(), kubeconfig, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @AfterAll
    static void stopGateway() {
        if (cluster != null) cluster.close();
    }

    @Test
    void chartLintsCleanInStrictMode() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertThat(result.isFailed()).as("%s", result.getMessages()).isFalse();
    }

    /**
     * @param sets  helm --set values
     * @param kinds how many objects of each kind the rendering holds
     */
    record Rendering(String name, Map<String, String> sets, Map<String, Integer> kinds) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rendering> renderings() {
        return Stream.of(
                new Rendering("defaults", Map.of(), Map.of(
                        "Deployment", 4, "StatefulSet", 3, "DaemonSet", 2, "PodDisruptionBudget", 6,
                        "ServiceAccount", 6, "Service", 7, "Secret", 2)),
                new Rendering("external-engines", Map.of(
                        "etcd.enabled", "false", "etcd.external.endpoints", "http://etcd-a.example:2379,http://etcd-b.example:2379",
                        "kafka.enabled", "false", "kafka.external.bootstrapServers", "kafka.example:9092",
                        "redis.enabled", "false", "redis.external.address", "redis.example:6379"), Map.of(
                        "Deployment", 4, "StatefulSet", 0, "DaemonSet", 2, "PodDisruptionBudget", 4,
                        "ServiceAccount", 6, "Service", 4, "Secret", 2)),
                new Rendering("control-plane-only-single-replicas", Map.of(
                        "nodeAgent.enabled", "false", "proxyAgent.enabled", "false",
                        "gateway.replicas", "1", "etcd.replicas", "1", "kafka.replicas", "1"), Map.of(
                        "Deployment", 4, "StatefulSet", 3, "DaemonSet", 0, "PodDisruptionBudget", 3,
                        "ServiceAccount", 4, "Service", 7, "Secret", 2)));
    }

    @ParameterizedTest
    @MethodSource("renderings")
    void renderedObjectsAreTheExpectedOnesAndTheGatewayAcceptsThemAll(Rendering rendering) throws IOException {
        String namespace = "helm-" + rendering.name();
        TemplateCommand template = new Helm(CHART).template().withKubeVersion(KUBE_VERSION).withName("kube4j").withNamespace(namespace);
        rendering.sets().forEach(template::set);
        String manifests = template.call();

        List<Map<String, Object>> objects = objects(manifests);
        Map<String, Integer> kinds = new TreeMap<>();
        objects.forEach(o -> kinds.merge((String) o.get("kind"), 1, Integer::sum));
        rendering.kinds().forEach((kind, count) ->
                assertThat(kinds.getOrDefault(kind, 0)).as("%s objects in %s", kind, kinds).isEqualTo(count));

        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", namespace);
        Path file = Files.createTempFile("kube4j-chart", ".yaml");
        try {
            Files.writeString(file, manifests);
            String applied = kubectl.ok("apply", "--dry-run=server", "-n", namespace, "-f", file.toString());
            List<String> lines = applied.lines().filter(l -> !l.isBlank()).toList();
            assertThat(lines).hasSize(objects.size()).allMatch(l -> l.endsWith("created (server dry run)"));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void externalEnginesReachTheRolesSettings() {
        String manifests = new Helm(CHART).template().withKubeVersion(KUBE_VERSION).withName("kube4j").withNamespace("x")
                .set("etcd.enabled", "false").set("etcd.external.endpoints", "http://etcd-a.example:2379,http://etcd-b.example:2379")
                .set("kafka.enabled", "false").set("kafka.external.bootstrapServers", "kafka.example:9092")
                .set("redis.enabled", "false").set("redis.external.address", "redis.example:6380")
                .call();
        Map<String, String> relay = environment(objects(manifests), "kube4j-relay");
        assertThat(relay).containsEntry("KUBE4J_RELAY_ETCDENDPOINTS", "http://etcd-a.example:2379,http://etcd-b.example:2379")
                .containsEntry("SPRING_KAFKA_BOOTSTRAPSERVERS", "kafka.example:9092");
        Map<String, String> controllers = environment(objects(manifests), "kube4j-controllers");
        assertThat(controllers).containsEntry("KUBE4J_CONTROLLERS_KAFKABOOTSTRAPSERVERS", "kafka.example:9092")
                .containsEntry("SPRING_DATA_REDIS_HOST", "redis.example").containsEntry("SPRING_DATA_REDIS_PORT", "6380");
        Map<String, String> scheduler = environment(objects(manifests), "kube4j-scheduler");
        assertThat(scheduler).containsEntry("KUBE4J_SCHEDULER_KAFKABOOTSTRAPSERVERS", "kafka.example:9092");
        Map<String, String> node = environment(objects(manifests), "kube4j-node-agent");
        assertThat(node).containsEntry("SPRING_DATA_REDIS_HOST", "redis.example");
        Map<String, String> gateway = environment(objects(manifests), "kube4j-gateway");
        assertThat(gateway).containsEntry("SPRING_DATA_REDIS_HOST", "redis.example");
        assertThat(gateway.get("KUBE4J_GATEWAY_TLS_EXTRASANS").split(","))
                .contains("kube4j-gateway", "kube4j-gateway.x.svc");
    }

    /**
     * The chart makes the gateway's CA with helm's genCA (an RSA key in PKCS#1 form), the admin
     * token record and the ServiceAccount token key (genPrivateKey, PKCS#1 too): a gateway starting from that seed keeps the CA, issues its serving certificate
     * from it, and knows the admin in system:masters, as the kubeconfig Secret's token says.
     */
    @Test
    void theGeneratedPkiSeedsAGatewayAndMatchesTheKubeconfig(@TempDir Path dir) throws Exception {
        List<Map<String, Object>> objects = objects(new Helm(CHART).template().withKubeVersion(KUBE_VERSION)
                .withName("kube4j").withNamespace("pki").call());
        Map<String, String> seed = secretData(objects, "kube4j-pki");
        for (String file : List.of("ca.crt", "ca.key", "tokens.csv", "sa.key")) {
            Files.write(dir.resolve(file), Base64.getDecoder().decode(seed.get(file)));
        }
        // Every replica signs ServiceAccount tokens with the seed's key, so each accepts the others' tokens.
        String saKey = Files.readString(dir.resolve("sa.key"));
        var tokens = new io.kube4j.gateway.security.ServiceAccountTokens(
                io.kube4j.gateway.security.ServiceAccountKey.loadOrCreate(new PkiFiles(dir)));
        var replica = new io.kube4j.gateway.security.ServiceAccountTokens(
                io.kube4j.gateway.security.ServiceAccountKey.loadOrCreate(new PkiFiles(dir)));
        assertThat(Files.readString(dir.resolve("sa.key"))).isEqualTo(saKey);
        assertThat(replica.verify(tokens.issue("default", "default", "u", List.of(), Instant.now(), 3600), Instant.now()))
                .isPresent();

        ClusterPki.Result result = ClusterPki.ensure(new PkiFiles(dir),
                SubjectAltName.forGateway(Optional.empty(), List.of("kube4j-gateway.pki.svc")), Instant.now());

        assertThat(result.authority()).isEqualTo(ClusterPki.Action.REUSED);
        result.servingCertificate().verify(result.caCertificate().getPublicKey());
        var users = StaticTokenFile.read(dir.resolve("tokens.csv"));
        assertThat(users).hasSize(1);
        var admin = users.entrySet().iterator().next();
        assertThat(admin.getValue().name()).isEqualTo("admin");
        assertThat(admin.getValue().groups()).containsExactly("system:masters");

        @SuppressWarnings("unchecked")
        String kubeconfig = (String) ((Map<String, Object>) objects.stream()
                .filter(o -> "kube4j-kubeconfig".equals(((Map<?, ?>) o.get("metadata")).get("name")))
                .findFirst().orElseThrow().get("stringData")).get("kubeconfig");
        assertThat(kubeconfig).contains("token: " + admin.getKey())
                .contains("server: https://kube4j-gateway.pki.svc:6443")
                .contains("certificate-authority-data: " + seed.get("ca.crt"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> secretData(List<Map<String, Object>> objects, String name) {
        return (Map<String, String>) objects.stream()
                .filter(o -> "Secret".equals(o.get("kind")))
                .filter(o -> name.equals(((Map<?, ?>) o.get("metadata")).get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no Secret " + name)).get("data");
    }

    private static List<Map<String, Object>> objects(String manifests) {
        List<Map<String, Object>> objects = new ArrayList<>();
        for (Object document : new Yaml().loadAll(manifests)) {
            if (document instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked") Map<String, Object> object = (Map<String, Object>) map;
                objects.add(object);
            }
        }
        return objects;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> environment(List<Map<String, Object>> objects, String workload) {
        Map<String, Object> found = objects.stream()
                .filter(o -> "Deployment".equals(o.get("kind")) || "DaemonSet".equals(o.get("kind")))
                .filter(o -> workload.equals(((Map<String, Object>) o.get("metadata")).get("name")))
                .findFirst().orElseThrow(() -> new AssertionError("no Deployment or DaemonSet " + workload));
        Map<String, Object> podSpec = (Map<String, Object>) ((Map<String, Object>)
                ((Map<String, Object>) found.get("spec")).get("template")).get("spec");
        Map<String, Object> container = ((List<Map<String, Object>>) podSpec.get("containers")).getFirst();
        Map<String, String> env = new TreeMap<>();
        for (Map<String, Object> variable : (List<Map<String, Object>>) container.get("env")) {
            if (variable.get("value") != null) env.put((String) variable.get("name"), Objects.toString(variable.get("value")));
        }
        return env;
    }
}
