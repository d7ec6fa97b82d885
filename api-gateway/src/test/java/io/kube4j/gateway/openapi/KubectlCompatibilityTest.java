package io.kube4j.gateway.openapi;

import io.kube4j.gateway.discovery.DiscoveryController;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceRegistry;
import io.kube4j.machinery.registry.ResourceType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real kubectl 1.32 against the discovery and OpenAPI endpoints: what it asks for, and that
 * {@code api-resources}, {@code explain} and a client-side dry-run {@code create} work.
 */
@SpringBootTest(classes = {DiscoveryAndOpenApiTestApplication.class, KubectlCompatibilityTest.Extras.class},
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class KubectlCompatibilityTest {

    static final ResourceType CRONTAB = new ResourceType("stable.example.com", "v1", "CronTab", "crontabs", "crontab",
            true, List.of("ct"), List.of("all"), Set.of("status"));

    /** One request as the server saw it. */
    record Seen(String method, String path, String query, String accept) {}

    @TestConfiguration(proxyBeanMethods = false)
    static class Extras {

        @Bean
        List<Seen> seenRequests() {
            return new CopyOnWriteArrayList<>();
        }

        @Bean
        OncePerRequestFilter recordingFilter(List<Seen> seenRequests) {
            return new OncePerRequestFilter() {
                @Override
                protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
                                                FilterChain chain) throws ServletException, IOException {
                    seenRequests.add(new Seen(request.getMethod(), request.getRequestURI(), request.getQueryString(),
                            request.getHeader("Accept")));
                    chain.doFilter(request, response);
                }
            };
        }

        @Bean
        CustomResourceSchemas customResourceSchemas() {
            var schema = JsonMapper.builder().build().readTree("""
                    {"type":"object","description":"CronTab runs a command on a schedule.",
                     "properties":{"spec":{"type":"object","description":"What to run and when.",
                       "properties":{"cronSpec":{"type":"string","description":"When to run, in cron syntax."},
                                     "image":{"type":"string","description":"The image to run."},
                                     "replicas":{"type":"integer"}}}}}""");
            return (group, version, kind) -> kind.equals("CronTab") ? Optional.of(schema) : Optional.empty();
        }
    }

    record Result(int exitCode, String out, String err) {}

    @LocalServerPort
    int port;

    @Autowired
    List<Seen> seen;

    @Autowired
    ResourceRegistry registry;

    @TempDir
    Path home;

    @BeforeEach
    void setUp() {
        registry.register(CRONTAB);
        seen.clear();
    }

    private Result kubectl(String... args) throws Exception {
        Path kubeconfig = home.resolve("kubeconfig");
        if (!Files.exists(kubeconfig)) {
            Files.writeString(kubeconfig, "");
        }
        List<String> command = new ArrayList<>(List.of("kubectl", "--server", "http://127.0.0.1:" + port,
                "--cache-dir", home.resolve("cache").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(home.resolve("out").toFile())
                .redirectError(home.resolve("err").toFile());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
        return new Result(process.exitValue(), Files.readString(home.resolve("out"), StandardCharsets.UTF_8),
                Files.readString(home.resolve("err"), StandardCharsets.UTF_8));
    }

    private List<String> paths() {
        return seen.stream().map(Seen::path).toList();
    }

    @Test
    void apiResourcesListsEveryTypeFromAggregatedDiscovery() throws Exception {
        Result result = kubectl("api-resources");
        assertThat(result.exitCode()).as(result.err()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines.getFirst().split("\\s+")).containsExactly("NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND");

        List<ResourceType> expected = new ArrayList<>(BuiltInTypes.ALL);
        // api-resources shows each resource once, in its group's preferred version (autoscaling/v2).
        expected.remove(BuiltInTypes.HORIZONTAL_POD_AUTOSCALER_V1);
        expected.add(CRONTAB);
        // The resource metrics API is listed too, though nothing of it is stored.
        expected.addAll(BuiltInTypes.METRICS);
        // And ComponentStatus, probed when asked.
        expected.add(BuiltInTypes.COMPONENT_STATUS);
        for (ResourceType type : expected) {
            String row = lines.stream().filter(l -> l.startsWith(type.plural() + " ")
                            && l.contains(" " + type.apiVersion() + " ")).findFirst()
                    .orElseThrow(() -> new AssertionError(type.plural() + " missing from\n" + result.out()));
            List<String> columns = new ArrayList<>(List.of(row.trim().split("\\s+")));
            if (!type.shortNames().isEmpty()) {
                assertThat(columns.get(1)).isEqualTo(String.join(",", type.shortNames()));
                columns.remove(1);
            }
            assertThat(columns).containsExactly(type.plural(), type.apiVersion(), String.valueOf(type.namespaced()),
                    type.kind());
        }
        assertThat(lines).hasSize(expected.size() + 1);

        // /api and /apis asked for in the aggregated form, and no per-group-version fetches.
        List<Seen> discovery = seen.stream().filter(s -> !s.path().equals("/version")).toList();
        assertThat(discovery).extracting(Seen::path).containsExactlyInAnyOrder("/api", "/apis");
        assertThat(discovery).allSatisfy(s -> assertThat(s.accept()).startsWith(DiscoveryController.AGGREGATED_V2));
    }

    @Test
    void explainPrintsFieldsFromTheOpenApiV3Documents() throws Exception {
        Result spec = kubectl("explain", "deployment.spec");
        assertThat(spec.exitCode()).as(spec.err()).isZero();
        assertThat(spec.out())
                .contains("GROUP:      apps", "KIND:       Deployment", "VERSION:    v1", "FIELD: spec <DeploymentSpec>")
                .containsPattern("replicas\\s+<integer>")
                .containsPattern("selector\\s+<LabelSelector>")
                .containsPattern("strategy\\s+<DeploymentStrategy>")
                .containsPattern("template\\s+<PodTemplateSpec> -required-");
        assertThat(paths()).contains("/openapi/v3", "/openapi/v3/apis/apps/v1").doesNotContain("/openapi/v2");

        Result strategy = kubectl("explain", "deployment.spec.strategy");
        assertThat(strategy.out()).containsPattern("rollingUpdate\\s+<RollingUpdateDeployment>")
                .containsPattern("type\\s+<string>");

        Result pods = kubectl("explain", "pods");
        assertThat(pods.exitCode()).as(pods.err()).isZero();
        assertThat(pods.out()).contains("KIND:       Pod", "Pod is a group of containers")
                .containsPattern("metadata\\s+<ObjectMeta>\\s+Standard object metadata")
                .containsPattern("spec\\s+<PodSpec>")
                .containsPattern("status\\s+<PodStatus>");

        Result ports = kubectl("explain", "svc.spec.ports.targetPort");
        assertThat(ports.out()).contains("FIELD: targetPort <IntOrString>");

        Result cronTab = kubectl("explain", "crontab.spec");
        assertThat(cronTab.exitCode()).as(cronTab.err()).isZero();
        assertThat(cronTab.out()).contains("GROUP:      stable.example.com", "What to run and when.")
                .containsPattern("cronSpec\\s+<string>\\s+When to run, in cron syntax.");
    }

    @Test
    void createLearnsFromTheOpenApiThatTheServerValidatesFields() throws Exception {
        Path manifest = home.resolve("deployment.yaml");
        Files.writeString(manifest, """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: 2
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: web
                        image: nginx
                        ports:
                        - containerPort: 80
                """);
        Result created = kubectl("create", "-f", manifest.toString(), "--dry-run=client", "--validate=strict", "-o", "name");
        assertThat(created.exitCode()).as(created.err()).isZero();
        assertThat(created.out().trim()).isEqualTo("deployment.apps/web");
        // The validator read the group version's document, found fieldValidation on the kind's
        // PATCH operation and so left validation to the server: no Swagger 2.0 fallback.
        assertThat(paths()).contains("/openapi/v3", "/openapi/v3/apis/apps/v1").doesNotContain("/openapi/v2");

        // A misspelt field is therefore not refused on the client side...
        Files.writeString(manifest, Files.readString(manifest).replace("replicas:", "replcas:"));
        Result misspelt = kubectl("create", "-f", manifest.toString(), "--dry-run=client", "--validate=strict", "-o", "name");
        assertThat(misspelt.out().trim()).isEqualTo("deployment.apps/web");

        // ...but sent with fieldValidation=Strict for the server to refuse.
        seen.clear();
        kubectl("create", "-f", manifest.toString(), "--dry-run=server", "--validate=strict", "-o", "name");
        assertThat(seen).anySatisfy(s -> {
            assertThat(s.method()).isEqualTo("POST");
            assertThat(s.path()).isEqualTo("/apis/apps/v1/namespaces/default/deployments");
            assertThat(s.query()).contains("fieldValidation=Strict").contains("dryRun=All");
        });
    }
}
