package io.kube4j.gateway.e2e;

import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's day with kubectl: apply (documents, directories, dry runs, server-side with its
 * conflicts, diff), the commands that change objects (scale, set, label, annotate, patch,
 * replace, taint, cordon), deletion (by label, all, forced), wait, proxy, and namespaces. Each
 * test works in its own namespace of one shared cluster. Printed lines are those kubectl prints
 * against Kubernetes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlWorkflowsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private GatewayCluster cluster;
    private Kubectl kubectl;

    @BeforeAll
    void start() {
        cluster = GatewayCluster.start();
        kubectl = cluster.kubectl;
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    private Path file(String name, String content) throws IOException {
        Path file = cluster.dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return file;
    }

    private String jsonPath(String object, String namespace, String path) {
        return kubectl.ok("get", object, "-n", namespace, "-o", "jsonpath=" + path);
    }

    private static String configMap(String name, String namespace, String data) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: %s
                data:
                %s
                """.formatted(name, namespace, data.indent(2).stripTrailing());
    }

    // ------------------------------------------------------------------ apply

    @Test
    void applyMultiDocumentYaml() throws IOException {
        Path file = file("multi.yaml", """
                apiVersion: v1
                kind: Namespace
                metadata:
                  name: multi
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: multi
                data:
                  color: blue
                ---
                apiVersion: v1
                kind: Service
                metadata:
                  name: front
                  namespace: multi
                spec:
                  selector:
                    app: front
                  ports:
                  - port: 80
                    targetPort: 8080
                """);
        assertThat(kubectl.ok("apply", "-f", file.toString())).isEqualTo("""
                namespace/multi created
                configmap/settings created
                service/front created
                """);
        assertThat(kubectl.ok("apply", "-f", file.toString())).isEqualTo("""
                namespace/multi unchanged
                configmap/settings unchanged
                service/front unchanged
                """);
        assertThat(jsonPath("service/front", "multi", "{.spec.ports[0].port}->{.spec.ports[0].targetPort}")).isEqualTo("80->8080");
    }

    @Test
    void applyADirectoryThenDryRunsAndDiff() throws IOException {
        kubectl.ok("create", "namespace", "dir");
        file("manifests/a.yaml", configMap("a", "dir", "x: \"1\""));
        file("manifests/b.json", """
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "b", "namespace": "dir"}, "data": {"y": "2"}}
                """);
        Path dir = cluster.dir.resolve("manifests");
        assertThat(kubectl.ok("apply", "-f", dir.toString())).isEqualTo("configmap/a created\nconfigmap/b created\n");
        assertThat(kubectl.ok("apply", "-f", dir.toString(), "--dry-run=server"))
                .isEqualTo("configmap/a unchanged (server dry run)\nconfigmap/b unchanged (server dry run)\n");

        Path changed = file("a-changed.yaml", configMap("a", "dir", "x: \"9\""));
        assertThat(kubectl.ok("apply", "-f", changed.toString(), "--dry-run=server"))
                .isEqualTo("configmap/a configured (server dry run)\n");
        assertThat(jsonPath("configmap/a", "dir", "{.data.x}")).isEqualTo("1");
        Path added = file("c.yaml", configMap("c", "dir", "z: \"3\""));
        assertThat(kubectl.ok("apply", "-f", added.toString(), "--dry-run=server"))
                .isEqualTo("configmap/c created (server dry run)\n");
        assertThat(kubectl.run("get", "configmap", "c", "-n", "dir").err())
                .contains("Error from server (NotFound): configmaps \"c\" not found");

        // kubectl diff exits 1 when the live object would change, 0 when it would not.
        Kubectl.Result diff = kubectl.run("diff", "-f", changed.toString());
        assertThat(diff.exitCode()).as(diff.toString()).isEqualTo(1);
        assertThat(diff.out()).contains("-  x: \"1\"\n", "+  x: \"9\"\n").doesNotContain("managedFields");
        Kubectl.Result same = kubectl.run("diff", "-f", dir.resolve("a.yaml").toString());
        assertThat(same.exitCode()).as(same.toString()).isZero();
        assertThat(same.out()).isEmpty();

        assertThat(kubectl.ok("apply", "-f", changed.toString())).isEqualTo("configmap/a configured\n");
        assertThat(jsonPath("configmap/a", "dir", "{.data.x}")).isEqualTo("9");
    }

    @Test
    void applyRefusesUnknownFieldsAndInvalidNames() throws IOException {
        kubectl.ok("create", "namespace", "strict");
        Path unknown = file("unknown-field.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                  namespace: strict
                spec:
                  selector:
                    matchLabels: {app: typo}
                  template:
                    metadata:
                      labels: {app: typo}
                    spec:
                      containers:
                      - name: main
                        image: nginx:1.25
                        imagePullPolcy: Always
                """);
        Kubectl.Result refused = kubectl.run("apply", "-f", unknown.toString());
        assertThat(refused.err()).isEqualTo("Error from server (BadRequest): error when creating \"" + unknown + "\": "
                + "Deployment in version \"v1\" cannot be handled as a Deployment: strict decoding error: "
                + "unknown field \"spec.template.spec.containers[0].imagePullPolcy\"\n");
        assertThat(kubectl.run("get", "deployment", "typo", "-n", "strict").exitCode()).isNotZero();
        // With --validate=warn the field is dropped and reported.
        Kubectl.Result warned = kubectl.run("apply", "-f", unknown.toString(), "--validate=warn");
        assertThat(warned.out()).isEqualTo("deployment.apps/typo created\n");
        assertThat(warned.err()).isEqualTo("Warning: unknown field \"spec.template.spec.containers[0].imagePullPolcy\"\n");
        // Applied again, strictly: now a patch, which kube-apiserver refuses as an Invalid patch value.
        Kubectl.Result patchRefused = kubectl.run("apply", "-f", unknown.toString());
        assertThat(patchRefused.err()).isEqualTo("The request is invalid: patch: Invalid value: \"map[spec:map[template:"
                + "map[spec:map[$setElementOrder/containers:[map[name:main]] containers:[map[imagePullPolcy:Always name:main]]]]]]\": "
                + "strict decoding error: unknown field \"spec.template.spec.containers[0].imagePullPolcy\"\n");

        Path badName = file("bad-name.yaml", configMap("Bad_Name", "strict", "a: b"));
        assertThat(kubectl.run("apply", "-f", badName.toString()).err()).isEqualTo("The ConfigMap \"Bad_Name\" is invalid: "
                + "metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case "
                + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. "
                + "'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\n");
    }

    @Test
    void serverSideApplyOwnsFieldsAndReportsConflicts() throws IOException {
        kubectl.ok("create", "namespace", "ssa");
        Path first = file("ssa-1.yaml", configMap("owned", "ssa", "owner: first\nextra: kept-for-now"));
        assertThat(kubectl.ok("apply", "--server-side", "-f", first.toString())).isEqualTo("configmap/owned serverside-applied\n");
        assertThat(kubectl.ok("apply", "--server-side", "-f", first.toString())).isEqualTo("configmap/owned serverside-applied\n");
        JsonNode managed = managedFields("owned", "ssa");
        assertThat(managed.size()).isEqualTo(1);
        assertThat(managed.get(0).get("manager").asString()).isEqualTo("kubectl");
        assertThat(managed.get(0).get("operation").asString()).isEqualTo("Apply");
        assertThat(managed.get(0).get("fieldsV1").toString()).isEqualTo("{\"f:data\":{\"f:extra\":{},\"f:owner\":{}}}");

        // Applying again without a field removes it: the manager no longer wants it.
        Path second = file("ssa-2.yaml", configMap("owned", "ssa", "owner: first"));
        kubectl.ok("apply", "--server-side", "-f", second.toString());
        assertThat(jsonPath("configmap/owned", "ssa", "{.data}")).isEqualTo("{\"owner\":\"first\"}");

        // Another manager setting the same field to another value conflicts...
        Path other = file("ssa-other.yaml", configMap("owned", "ssa", "owner: second"));
        Kubectl.Result conflict = kubectl.run("apply", "--server-side", "--field-manager=other", "-f", other.toString());
        assertThat(conflict.exitCode()).isNotZero();
        assertThat(conflict.err()).startsWith("error: Apply failed with 1 conflict: conflict with \"kubectl\": .data.owner\n")
                .contains("--force-conflicts");
        assertThat(jsonPath("configmap/owned", "ssa", "{.data.owner}")).isEqualTo("first");
        // ... unless it forces: it then owns the field alone.
        assertThat(kubectl.ok("apply", "--server-side", "--field-manager=other", "--force-conflicts", "-f", other.toString()))
                .isEqualTo("configmap/owned serverside-applied\n");
        assertThat(jsonPath("configmap/owned", "ssa", "{.data.owner}")).isEqualTo("second");
        managed = managedFields("owned", "ssa");
        assertThat(managed.valueStream().map(e -> e.get("manager").asString())).containsExactly("other");

        // Server-side dry run changes nothing.
        Path third = file("ssa-3.yaml", configMap("owned", "ssa", "owner: third"));
        assertThat(kubectl.ok("apply", "--server-side", "--field-manager=other", "--dry-run=server", "-f", third.toString()))
                .isEqualTo("configmap/owned serverside-applied (server dry run)\n");
        assertThat(jsonPath("configmap/owned", "ssa", "{.data.owner}")).isEqualTo("second");
    }

    private JsonNode managedFields(String name, String namespace) throws IOException {
        return managedFields("configmap", name, namespace);
    }

    private JsonNode managedFields(String kind, String name, String namespace) throws IOException {
        return JSON.readTree(kubectl.ok("get", kind, name, "-n", namespace, "-o", "json", "--show-managed-fields"))
                .get("metadata").get("managedFields");
    }

    /**
     * The managedFields block of {@code kubectl get -o yaml --show-managed-fields}, as printed, with each entry's
     * time (which no two runs share) replaced by {@code TIME}.
     */
    private String managedFieldsYaml(String kind, String name, String namespace) {
        String yaml = kubectl.ok("get", kind, name, "-n", namespace, "-o", "yaml", "--show-managed-fields");
        int start = yaml.indexOf("  managedFields:\n");
        assertThat(start).as("managedFields in\n" + yaml).isNotNegative();
        int end = start + "  managedFields:\n".length();
        // The block goes on while lines are indented deeper than metadata's keys, or are its list's items.
        while (end < yaml.length() && (yaml.startsWith("   ", end) || yaml.startsWith("  - ", end))) {
            end = yaml.indexOf('\n', end) + 1;
        }
        return yaml.substring(start, end).replaceAll("time: \"[^\"]+\"", "time: TIME");
    }

    @Test
    void createAndServerSideApplyShowTheManagedFieldsKubernetesShows() throws IOException {
        kubectl.ok("create", "namespace", "fields");
        // The label is the server's default, set before the write is recorded; the phase is status, reset in
        // writes to the namespace itself; the finalizer comes after (none of them kubectl's in Kubernetes).
        assertThat(managedFieldsYaml("namespace", "fields", "fields")).isEqualTo("""
                  managedFields:
                  - apiVersion: v1
                    fieldsType: FieldsV1
                    fieldsV1:
                      f:metadata:
                        f:labels:
                          .: {}
                          f:kubernetes.io/metadata.name: {}
                    manager: kubectl-create
                    operation: Update
                    time: TIME
                """);
        kubectl.ok("create", "deployment", "web", "--image=nginx:1.25", "-n", "fields");
        // What kube-apiserver 1.32 records for this command: a "." where the write brought a map or a keyed
        // element, none in the structs every Deployment has (spec, strategy, template, its metadata and spec).
        assertThat(managedFieldsYaml("deployment", "web", "fields")).isEqualTo("""
                  managedFields:
                  - apiVersion: apps/v1
                    fieldsType: FieldsV1
                    fieldsV1:
                      f:metadata:
                        f:labels:
                          .: {}
                          f:app: {}
                      f:spec:
                        f:progressDeadlineSeconds: {}
                        f:replicas: {}
                        f:revisionHistoryLimit: {}
                        f:selector: {}
                        f:strategy:
                          f:rollingUpdate:
                            .: {}
                            f:maxSurge: {}
                            f:maxUnavailable: {}
                          f:type: {}
                        f:template:
                          f:metadata:
                            f:labels:
                              .: {}
                              f:app: {}
                          f:spec:
                            f:containers:
                              k:{"name":"nginx"}:
                                .: {}
                                f:image: {}
                                f:imagePullPolicy: {}
                                f:name: {}
                                f:resources: {}
                                f:terminationMessagePath: {}
                                f:terminationMessagePolicy: {}
                            f:dnsPolicy: {}
                            f:restartPolicy: {}
                            f:schedulerName: {}
                            f:securityContext: {}
                            f:terminationGracePeriodSeconds: {}
                    manager: kubectl-create
                    operation: Update
                    time: TIME
                """);

        kubectl.ok("create", "configmap", "settings", "--from-literal=mode=fast", "-n", "fields");
        assertThat(managedFieldsYaml("configmap", "settings", "fields")).isEqualTo("""
                  managedFields:
                  - apiVersion: v1
                    fieldsType: FieldsV1
                    fieldsV1:
                      f:data:
                        .: {}
                        f:mode: {}
                    manager: kubectl-create
                    operation: Update
                    time: TIME
                """);

        // A service's ports are keyed by port and protocol; what the registry allocates (cluster IPs, IP families)
        // comes after the write is recorded.
        kubectl.ok("create", "service", "clusterip", "web", "--tcp=80:8080", "-n", "fields");
        assertThat(managedFieldsYaml("service", "web", "fields")).isEqualTo("""
                  managedFields:
                  - apiVersion: v1
                    fieldsType: FieldsV1
                    fieldsV1:
                      f:metadata:
                        f:labels:
                          .: {}
                          f:app: {}
                      f:spec:
                        f:internalTrafficPolicy: {}
                        f:ports:
                          .: {}
                          k:{"port":80,"protocol":"TCP"}:
                            .: {}
                            f:name: {}
                            f:port: {}
                            f:protocol: {}
                            f:targetPort: {}
                        f:selector: {}
                        f:sessionAffinity: {}
                        f:type: {}
                    manager: kubectl-create
                    operation: Update
                    time: TIME
                """);

        // An applier owns the fields it sets, not the maps around them: no "." but in keyed elements. A port is
        // keyed by its protocol as well, TCP when the manifest leaves it out.
        Path manifest = file("fields-api.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: api
                  namespace: fields
                  labels:
                    app: api
                spec:
                  replicas: 2
                  selector:
                    matchLabels:
                      app: api
                  template:
                    metadata:
                      labels:
                        app: api
                    spec:
                      containers:
                      - name: nginx
                        image: nginx:1.25
                        ports:
                        - containerPort: 80
                """);
        assertThat(kubectl.ok("apply", "--server-side", "-f", manifest.toString()))
                .isEqualTo("deployment.apps/api serverside-applied\n");
        assertThat(managedFieldsYaml("deployment", "api", "fields")).isEqualTo("""
                  managedFields:
                  - apiVersion: apps/v1
                    fieldsType: FieldsV1
                    fieldsV1:
                      f:metadata:
                        f:labels:
                          f:app: {}
                      f:spec:
                        f:replicas: {}
                        f:selector: {}
                        f:template:
                          f:metadata:
                            f:labels:
                              f:app: {}
                          f:spec:
                            f:containers:
                              k:{"name":"nginx"}:
                                .: {}
                                f:image: {}
                                f:name: {}
                                f:ports:
                                  k:{"containerPort":80,"protocol":"TCP"}:
                                    .: {}
                                    f:containerPort: {}
                    manager: kubectl
                    operation: Apply
                    time: TIME
                """);

        // An annotation where there were none brings the annotations map: kubectl annotate owns it, with its "."
        kubectl.ok("annotate", "deployment", "api", "owner=team-a", "-n", "fields");
        assertThat(entryOf(managedFields("deployment", "api", "fields"), "kubectl-annotate", "Update", "")
                .get("fieldsV1").toString()).isEqualTo("{\"f:metadata\":{\"f:annotations\":{\".\":{},\"f:owner\":{}}}}");
    }

    /** The entry of one manager and operation (and subresource, empty for the object itself), or null. */
    private static JsonNode entryOf(JsonNode managed, String manager, String operation, String subresource) {
        for (JsonNode entry : managed) {
            if (entry.path("manager").asString("").equals(manager)
                    && entry.path("operation").asString("").equals(operation)
                    && entry.path("subresource").asString("").equals(subresource)) {
                return entry;
            }
        }
        return null;
    }

    @Test
    void updatesRecordTheirManagersAndServerSideApplyConflictsWithThem() throws IOException {
        kubectl.ok("create", "namespace", "owners");
        kubectl.ok("create", "deployment", "web", "--image=nginx:1.25", "-n", "owners");
        JsonNode managed = managedFields("deployment", "web", "owners");
        System.out.println("after kubectl create deployment: " + managed);
        JsonNode created = entryOf(managed, "kubectl-create", "Update", "");
        assertThat(created).as("kubectl create's entry").isNotNull();
        assertThat(created.get("apiVersion").asString()).isEqualTo("apps/v1");
        assertThat(created.get("fieldsType").asString()).isEqualTo("FieldsV1");
        assertThat(created.get("time").asString()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(created.at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
        assertThat(created.at("/fieldsV1/f:spec/f:template/f:spec/f:containers/k:{\"name\":\"nginx\"}/f:image")
                .isObject()).isTrue();
        assertThat(created.at("/fieldsV1/f:status").isMissingNode()).as("status is nobody's on create").isTrue();

        // kubectl scale writes through the scale subresource as "kubectl" (its User-Agent) and takes replicas.
        kubectl.ok("scale", "deployment", "web", "--replicas=5", "-n", "owners");
        managed = managedFields("deployment", "web", "owners");
        System.out.println("after kubectl scale: " + managed);
        JsonNode scaled = entryOf(managed, "kubectl", "Update", "scale");
        assertThat(scaled).as("kubectl scale's entry").isNotNull();
        assertThat(scaled.get("fieldsV1").toString()).isEqualTo("{\"f:spec\":{\"f:replicas\":{}}}");
        assertThat(entryOf(managed, "kubectl-create", "Update", "").at("/fieldsV1/f:spec/f:replicas").isMissingNode())
                .as("the creator lost replicas").isTrue();

        // kubectl label is a strategic merge patch: its own manager, owning the label it added.
        kubectl.ok("label", "deployment", "web", "tier=front", "-n", "owners");
        JsonNode labelled = entryOf(managedFields("deployment", "web", "owners"), "kubectl-label", "Update", "");
        assertThat(labelled).isNotNull();
        assertThat(labelled.get("fieldsV1").toString()).isEqualTo("{\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}}}");

        // Applying another replicas conflicts with the manager that last set it...
        Path manifest = file("owners.yaml", """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  namespace: owners
                spec:
                  replicas: 2
                  selector:
                    matchLabels:
                      app: web
                  template:
                    metadata:
                      labels:
                        app: web
                    spec:
                      containers:
                      - name: nginx
                        image: nginx:1.25
                """);
        Kubectl.Result conflict = kubectl.run("apply", "--server-side", "-f", manifest.toString());
        assertThat(conflict.exitCode()).isNotZero();
        assertThat(conflict.err()).startsWith("error: Apply failed with 1 conflict: conflict with \"kubectl\" "
                + "with subresource \"scale\" using apps/v1: .spec.replicas\n").contains("--force-conflicts");
        assertThat(jsonPath("deployment/web", "owners", "{.spec.replicas}")).isEqualTo("5");

        // ... and forcing takes it: the applier owns replicas, the scale entry, left with nothing, is gone.
        assertThat(kubectl.ok("apply", "--server-side", "--force-conflicts", "-f", manifest.toString()))
                .isEqualTo("deployment.apps/web serverside-applied\n");
        assertThat(jsonPath("deployment/web", "owners", "{.spec.replicas}")).isEqualTo("2");
        managed = managedFields("deployment", "web", "owners");
        System.out.println("after apply --force-conflicts: " + managed);
        assertThat(entryOf(managed, "kubectl", "Update", "scale")).isNull();
        assertThat(entryOf(managed, "kubectl", "Apply", "").at("/fieldsV1/f:spec/f:replicas").isObject()).isTrue();
        assertThat(managed.get(0).get("operation").asString()).as("Apply entries come first").isEqualTo("Apply");

        // Client-side apply records its own manager; a later server-side apply upgrades it, as kubectl does
        // against Kubernetes (it rewrites managedFields with a JSON patch), and the object is then "kubectl"'s.
        Path csa = file("owners-cm.yaml", configMap("csa", "owners", "k: v"));
        kubectl.ok("apply", "-f", csa.toString());
        assertThat(entryOf(managedFields("csa", "owners"), "kubectl-client-side-apply", "Update", "")).isNotNull();
        assertThat(kubectl.ok("apply", "--server-side", "-f", csa.toString())).isEqualTo("configmap/csa serverside-applied\n");
        managed = managedFields("csa", "owners");
        System.out.println("after client-side then server-side apply: " + managed);
        assertThat(entryOf(managed, "kubectl-client-side-apply", "Update", "")).isNull();
        assertThat(entryOf(managed, "kubectl", "Apply", "").at("/fieldsV1/f:data/f:k").isObject()).isTrue();

        // An update (PUT) is its manager's too: kubectl replace sends the object it read, managedFields included.
        Path replaced = file("owners-cm-replaced.json", kubectl.ok("get", "configmap", "csa", "-n", "owners", "-o", "json",
                "--show-managed-fields").replace("\"k\": \"v\"", "\"k\": \"w\""));
        kubectl.ok("replace", "-f", replaced.toString());
        managed = managedFields("csa", "owners");
        // It changed data.k and, as kubectl replace keeps the last-applied annotation current, that annotation.
        assertThat(entryOf(managed, "kubectl-replace", "Update", "").get("fieldsV1").toString())
                .isEqualTo("{\"f:data\":{\"f:k\":{}},\"f:metadata\":{\"f:annotations\":"
                        + "{\"f:kubectl.kubernetes.io/last-applied-configuration\":{}}}}");
        assertThat(managed.valueStream().map(e -> e.get("manager").asString()))
                .as("the appliers lost their only fields").containsExactly("kubectl-replace");

        // [{}] is the documented way to clear managedFields; a patch that changes nothing else leaves none.
        kubectl.ok("patch", "configmap", "csa", "-n", "owners", "--type=merge", "-p",
                "{\"metadata\":{\"managedFields\":[{}]}}");
        assertThat(managedFields("csa", "owners")).isNull();

        // A fieldManager kube-apiserver would refuse is refused the same way.
        Kubectl.Result tooLong = kubectl.run("label", "deployment", "web", "x=y", "-n", "owners",
                "--field-manager=" + "m".repeat(129));
        assertThat(tooLong.exitCode()).isNotZero();
        assertThat(tooLong.err()).isEqualTo("The PatchOptions \"\" is invalid: fieldManager: Too long: "
                + "may not be more than 128 bytes\n");
    }

    // ------------------------------------------------------------------ changing objects

    @Test
    void scaleSetLabelAndAnnotate() {
        kubectl.ok("create", "namespace", "change");
        kubectl.ok("create", "deployment", "web", "-n", "change", "--image=nginx:1.25");
        assertThat(kubectl.ok("scale", "deployment", "web", "-n", "change", "--replicas=3"))
                .isEqualTo("deployment.apps/web scaled\n");
        assertThat(jsonPath("deployment/web", "change", "{.spec.replicas} {.metadata.generation}")).isEqualTo("3 2");
        Kubectl.Result precondition = kubectl.run("scale", "deployment/web", "-n", "change", "--replicas=5", "--current-replicas=2");
        assertThat(precondition.err()).isEqualTo("error: Expected replicas to be 2, was 3\n");
        assertThat(kubectl.ok("scale", "deployment/web", "-n", "change", "--replicas=1", "--current-replicas=3"))
                .isEqualTo("deployment.apps/web scaled\n");

        assertThat(kubectl.ok("set", "image", "deployment/web", "-n", "change", "nginx=nginx:1.26"))
                .isEqualTo("deployment.apps/web image updated\n");
        assertThat(jsonPath("deployment/web", "change", "{.spec.template.spec.containers[0].image}")).isEqualTo("nginx:1.26");
        assertThat(kubectl.ok("set", "env", "deployment/web", "-n", "change", "MODE=prod", "LEVEL=3"))
                .isEqualTo("deployment.apps/web env updated\n");
        assertThat(kubectl.ok("set", "env", "deployment/web", "-n", "change", "--list"))
                .isEqualTo("# Deployment web, container nginx\nMODE=prod\nLEVEL=3\n");
        assertThat(kubectl.ok("set", "env", "deployment/web", "-n", "change", "LEVEL-"))
                .isEqualTo("deployment.apps/web env updated\n");
        assertThat(jsonPath("deployment/web", "change", "{.spec.template.spec.containers[0].env}"))
                .isEqualTo("[{\"name\":\"MODE\",\"value\":\"prod\"}]");

        assertThat(kubectl.ok("label", "deployment", "web", "-n", "change", "tier=front")).isEqualTo("deployment.apps/web labeled\n");
        Kubectl.Result noOverwrite = kubectl.run("label", "deployment", "web", "-n", "change", "tier=back");
        assertThat(noOverwrite.err()).isEqualTo("error: 'tier' already has a value (front), and --overwrite is false\n");
        assertThat(kubectl.ok("label", "deployment", "web", "-n", "change", "tier=back", "--overwrite"))
                .isEqualTo("deployment.apps/web labeled\n");
        assertThat(jsonPath("deployment/web", "change", "{.metadata.labels.tier}")).isEqualTo("back");
        assertThat(kubectl.ok("label", "deployment", "web", "-n", "change", "tier-")).isEqualTo("deployment.apps/web unlabeled\n");
        assertThat(jsonPath("deployment/web", "change", "{.metadata.labels}")).isEqualTo("{\"app\":\"web\"}");

        assertThat(kubectl.ok("annotate", "deployment", "web", "-n", "change", "note=hello world"))
                .isEqualTo("deployment.apps/web annotated\n");
        Kubectl.Result annotateAgain = kubectl.run("annotate", "deployment", "web", "-n", "change", "note=again");
        assertThat(annotateAgain.err()).isEqualTo("error: --overwrite is false but found the following declared "
                + "annotation(s): 'note' already has a value (hello world)\n");
        kubectl.ok("annotate", "deployment", "web", "-n", "change", "note=again", "--overwrite");
        assertThat(jsonPath("deployment/web", "change", "{.metadata.annotations.note}")).isEqualTo("again");
        kubectl.ok("annotate", "deployment", "web", "-n", "change", "note-");
        assertThat(jsonPath("deployment/web", "change", "{.metadata.annotations.note}")).isEmpty();
    }

    @Test
    void patchInThreeTypesAndTheStatusSubresource() {
        kubectl.ok("create", "namespace", "patching");
        kubectl.ok("create", "deployment", "web", "-n", "patching", "--image=nginx:1.25");
        // Strategic merge: containers merge by name; a new one goes first, as kube-apiserver orders it.
        assertThat(kubectl.ok("patch", "deployment", "web", "-n", "patching", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox:1.36\"}]}}}}"))
                .isEqualTo("deployment.apps/web patched\n");
        assertThat(jsonPath("deployment/web", "patching", "{.spec.template.spec.containers[*].name}")).isEqualTo("sidecar nginx");
        kubectl.ok("patch", "deployment", "web", "-n", "patching", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.26\"}]}}}}");
        assertThat(jsonPath("deployment/web", "patching", "{.spec.template.spec.containers[*].image}"))
                .isEqualTo("busybox:1.36 nginx:1.26");
        // JSON merge patch: a list is replaced whole.
        kubectl.ok("patch", "deployment", "web", "-n", "patching", "--type=merge", "-p",
                "{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"only\",\"image\":\"nginx:1.26\"}]}}}}");
        assertThat(jsonPath("deployment/web", "patching", "{.spec.template.spec.containers[*].name}")).isEqualTo("only");
        // JSON patch: operations on paths.
        kubectl.ok("patch", "deployment", "web", "-n", "patching", "--type=json", "-p",
                "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":4},{\"op\":\"add\",\"path\":\"/metadata/labels/patched\",\"value\":\"yes\"}]");
        assertThat(jsonPath("deployment/web", "patching", "{.spec.replicas} {.metadata.labels.patched}")).isEqualTo("4 yes");
        Kubectl.Result badTest = kubectl.run("patch", "deployment", "web", "-n", "patching", "--type=json", "-p",
                "[{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":7}]");
        assertThat(badTest.exitCode()).isNotZero();
        assertThat(badTest.err()).isEqualTo("The request is invalid: the server rejected our request due to an error in our request\n");
        // A patch that changes nothing is reported as such (the server wrote nothing).
        assertThat(kubectl.ok("patch", "deployment", "web", "-n", "patching", "--type=merge", "-p", "{\"spec\":{\"replicas\":4}}"))
                .isEqualTo("deployment.apps/web patched (no change)\n");

        // Status goes through its subresource; the main resource ignores it.
        assertThat(kubectl.ok("patch", "deployment", "web", "-n", "patching", "--subresource=status", "--type=merge", "-p",
                "{\"status\":{\"replicas\":4,\"readyReplicas\":3,\"availableReplicas\":3,\"updatedReplicas\":4}}"))
                .isEqualTo("deployment.apps/web patched\n");
        PrintedTable table = PrintedTable.parse(kubectl.ok("get", "deployment", "web", "-n", "patching"));
        assertThat(table.row("web")).containsEntry("READY", "3/4").containsEntry("UP-TO-DATE", "4").containsEntry("AVAILABLE", "3");
        assertThat(kubectl.ok("patch", "deployment", "web", "-n", "patching", "--type=merge", "-p", "{\"status\":{\"replicas\":9}}"))
                .isEqualTo("deployment.apps/web patched (no change)\n");
        assertThat(jsonPath("deployment/web", "patching", "{.status.replicas}")).isEqualTo("4");
        assertThat(kubectl.ok("patch", "deployment", "web", "-n", "patching", "--subresource=scale", "--type=merge", "-p",
                "{\"spec\":{\"replicas\":2}}")).isEqualTo("scale.autoscaling/web patched\n");
        assertThat(jsonPath("deployment/web", "patching", "{.spec.replicas}")).isEqualTo("2");
    }

    @Test
    void replaceNeedsTheCurrentVersionUnlessForced() throws IOException {
        kubectl.ok("create", "namespace", "replacing");
        kubectl.ok("create", "configmap", "conf", "-n", "replacing", "--from-literal=mode=old");
        String live = kubectl.ok("get", "configmap", "conf", "-n", "replacing", "-o", "yaml");
        Path edited = file("conf.yaml", live.replace("mode: old", "mode: new"));
        assertThat(kubectl.ok("replace", "-f", edited.toString())).isEqualTo("configmap/conf replaced\n");
        assertThat(jsonPath("configmap/conf", "replacing", "{.data.mode}")).isEqualTo("new");

        // The same file again carries a resourceVersion that is no longer current.
        Kubectl.Result stale = kubectl.run("replace", "-f", edited.toString());
        assertThat(stale.exitCode()).isNotZero();
        assertThat(stale.err()).isEqualTo("Error from server (Conflict): error when replacing \"" + edited + "\": "
                + "Operation cannot be fulfilled on configmaps \"conf\": the object has been modified; please apply "
                + "your changes to the latest version and try again\n");

        String uid = jsonPath("configmap/conf", "replacing", "{.metadata.uid}");
        Path forced = file("conf-forced.yaml", configMap("conf", "replacing", "mode: forced"));
        assertThat(kubectl.ok("replace", "--force", "-f", forced.toString()))
                .isEqualTo("configmap \"conf\" deleted\nconfigmap/conf replaced\n");
        assertThat(jsonPath("configmap/conf", "replacing", "{.data.mode}")).isEqualTo("forced");
        assertThat(jsonPath("configmap/conf", "replacing", "{.metadata.uid}")).isNotEqualTo(uid);
    }

    @Test
    void taintAndCordonANode() throws IOException {
        Path node = file("tainted-node.yaml", """
                apiVersion: v1
                kind: Node
                metadata:
                  name: worker-2
                status:
                  conditions:
                  - type: Ready
                    status: "True"
                    reason: KubeletReady
                    message: kubelet is posting ready status
                """);
        kubectl.ok("apply", "-f", node.toString());
        assertThat(kubectl.ok("taint", "node", "worker-2", "k1=v1:PreferNoSchedule")).isEqualTo("node/worker-2 tainted\n");
        Kubectl.Result again = kubectl.run("taint", "node", "worker-2", "k1=v2:PreferNoSchedule");
        assertThat(again.err()).isEqualTo("error: node worker-2 already has k1 taint(s) with same effect(s) and --overwrite is false\n");
        assertThat(kubectl.ok("get", "node", "worker-2", "-o", "jsonpath={.spec.taints}"))
                .isEqualTo("[{\"effect\":\"PreferNoSchedule\",\"key\":\"k1\",\"value\":\"v1\"}]");
        assertThat(kubectl.ok("taint", "node", "worker-2", "k1:PreferNoSchedule-")).isEqualTo("node/worker-2 untainted\n");
        assertThat(kubectl.ok("get", "node", "worker-2", "-o", "jsonpath={.spec.taints}")).isEmpty();

        assertThat(kubectl.ok("cordon", "worker-2")).isEqualTo("node/worker-2 cordoned\n");
        assertThat(PrintedTable.parse(kubectl.ok("get", "node", "worker-2")).row("worker-2"))
                .containsEntry("STATUS", "Ready,SchedulingDisabled");
        assertThat(kubectl.ok("uncordon", "worker-2")).isEqualTo("node/worker-2 uncordoned\n");
        assertThat(kubectl.ok("get", "node", "worker-2", "-o", "jsonpath={.spec.unschedulable}")).isEmpty();
    }

    @Test
    void patchAPersistentVolumesReclaimPolicy() throws IOException {
        Path pv = file("pv.yaml", """
                apiVersion: v1
                kind: PersistentVolume
                metadata:
                  name: pv-data
                spec:
                  capacity:
                    storage: 1Gi
                  accessModes: [ReadWriteOnce]
                  persistentVolumeReclaimPolicy: Delete
                  hostPath:
                    path: /tmp/pv-data
                """);
        assertThat(kubectl.ok("apply", "-f", pv.toString())).isEqualTo("persistentvolume/pv-data created\n");
        assertThat(kubectl.ok("patch", "pv", "pv-data", "-p", "{\"spec\":{\"persistentVolumeReclaimPolicy\":\"Retain\"}}"))
                .isEqualTo("persistentvolume/pv-data patched\n");
        PrintedTable volumes = PrintedTable.parse(kubectl.ok("get", "pv", "pv-data"));
        assertThat(volumes.row("pv-data")).containsEntry("CAPACITY", "1Gi").containsEntry("ACCESS MODES", "RWO")
                .containsEntry("RECLAIM POLICY", "Retain");
    }

    @Test
    void proxyServesTheApiWithTheUsersCredentials() throws Exception {
        kubectl.ok("create", "namespace", "proxied");
        kubectl.ok("create", "configmap", "seen-through-proxy", "-n", "proxied", "--from-literal=k=v");
        try (StreamingKubectl proxy = StreamingKubectl.start(kubectl, "proxy", "--port=0")) {
            String serving = proxy.awaitLine(l -> l.startsWith("Starting to serve on "), Duration.ofSeconds(20));
            String address = serving.substring("Starting to serve on ".length()).trim();
            // HTTP/1.1 as curl speaks it: an h2c upgrade request would be taken for a protocol upgrade to proxy.
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://" + address + "/api/v1/namespaces/proxied/configmaps/seen-through-proxy")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode object = JSON.readTree(response.body());
            assertThat(object.get("data").get("k").asString()).isEqualTo("v");
        }
    }

    // ------------------------------------------------------------------ deleting and waiting

    @Test
    void deleteBySelectorAndAll() {
        kubectl.ok("create", "namespace", "cleanup");
        for (String name : List.of("keep", "drop-1", "drop-2")) kubectl.ok("create", "configmap", name, "-n", "cleanup");
        kubectl.ok("label", "configmap", "drop-1", "drop-2", "-n", "cleanup", "purpose=temporary");
        assertThat(kubectl.ok("delete", "configmap", "-l", "purpose=temporary", "-n", "cleanup"))
                .isEqualTo("configmap \"drop-1\" deleted\nconfigmap \"drop-2\" deleted\n");
        assertThat(kubectl.ok("get", "configmaps", "-n", "cleanup", "-o", "name")).isEqualTo("configmap/keep\n");
        assertThat(kubectl.ok("delete", "configmap", "--all", "-n", "cleanup")).isEqualTo("configmap \"keep\" deleted\n");
        Kubectl.Result none = kubectl.run("delete", "configmap", "--all", "-n", "cleanup");
        assertThat(none.exitCode()).isZero();
        assertThat(none.out() + none.err()).isEqualTo("No resources found\n");
        Kubectl.Result emptyList = kubectl.run("get", "configmaps", "-n", "cleanup");
        assertThat(emptyList.err()).isEqualTo("No resources found in cleanup namespace.\n");
    }

    @Test
    void forceDeleteOfAPodBoundToANode() throws IOException {
        kubectl.ok("create", "namespace", "pods");
        Path pod = file("bound-pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: bound
                  namespace: pods
                spec:
                  nodeName: worker-1
                  terminationGracePeriodSeconds: 30
                  containers:
                  - name: main
                    image: busybox:1.36
                    command: ["sleep", "3600"]
                """);
        kubectl.ok("apply", "-f", pod.toString());
        // A pod on a node is only marked: its node stops it and then removes it.
        Instant before = Instant.now().minusSeconds(2);
        assertThat(kubectl.ok("delete", "pod", "bound", "-n", "pods", "--wait=false")).isEqualTo("pod \"bound\" deleted\n");
        String marked = jsonPath("pod/bound", "pods", "{.metadata.deletionTimestamp} {.metadata.deletionGracePeriodSeconds}");
        assertThat(marked).endsWith(" 30");
        assertThat(Instant.parse(marked.split(" ")[0])).isAfter(before.plusSeconds(30));
        // No node agent runs here: the user forces it.
        Kubectl.Result forced = kubectl.run("delete", "pod", "bound", "-n", "pods", "--grace-period=0", "--force");
        assertThat(forced.exitCode()).as(forced.toString()).isZero();
        assertThat(forced.err()).isEqualTo("Warning: Immediate deletion does not wait for confirmation that the running "
                + "resource has been terminated. The resource may continue to run on the cluster indefinitely.\n");
        assertThat(forced.out()).isEqualTo("pod \"bound\" force deleted\n");
        assertThat(kubectl.run("get", "pod", "bound", "-n", "pods").err())
                .isEqualTo("Error from server (NotFound): pods \"bound\" not found\n");
    }

    @Test
    void debugAddsAnEphemeralContainerThatStaysAsItIs() throws IOException {
        kubectl.ok("create", "namespace", "debugging");
        Path pod = file("debugged-pod.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: app
                  namespace: debugging
                spec:
                  nodeName: worker-1
                  containers:
                  - name: main
                    image: busybox:1.36
                    command: ["sleep", "3600"]
                """);
        kubectl.ok("apply", "-f", pod.toString());

        Kubectl.Result debug = kubectl.run("debug", "pod/app", "-n", "debugging", "--image=busybox:1.36", "--target=main",
                "--container=debugger", "--", "sleep", "600");
        assertThat(debug.exitCode()).as(debug.toString()).isZero();
        assertThat(jsonPath("pod/app", "debugging", "{.spec.ephemeralContainers[0].name} {.spec.ephemeralContainers[0].image} "
                + "{.spec.ephemeralContainers[0].targetContainerName} {.spec.ephemeralContainers[0].command} "
                + "{.spec.ephemeralContainers[0].imagePullPolicy} {.spec.ephemeralContainers[0].terminationMessagePolicy}"))
                .isEqualTo("debugger busybox:1.36 main [\"sleep\",\"600\"] IfNotPresent File");
        // The spec's containers are as they were, and only the ephemeralcontainers subresource wrote the change.
        assertThat(jsonPath("pod/app", "debugging", "{.spec.containers[*].name}")).isEqualTo("main");
        assertThat(jsonPath("pod/app", "debugging", "{.metadata.managedFields[?(@.subresource==\"ephemeralcontainers\")].manager}"))
                .isEqualTo("kubectl");

        // Once there, an ephemeral container is neither changed nor removed.
        Kubectl.Result changed = kubectl.run("patch", "pod/app", "-n", "debugging", "--subresource=ephemeralcontainers",
                "--type=json", "-p", "[{\"op\":\"replace\",\"path\":\"/spec/ephemeralContainers/0/image\",\"value\":\"busybox:1.37\"}]");
        assertThat(changed.err()).as(changed.toString()).isEqualTo("The Pod \"app\" is invalid: spec.ephemeralContainers[0]: "
                + "Forbidden: existing ephemeral containers \"debugger\" may not be changed\n");
        Kubectl.Result removed = kubectl.run("patch", "pod/app", "-n", "debugging", "--subresource=ephemeralcontainers",
                "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/spec/ephemeralContainers/0\"}]");
        assertThat(removed.err()).as(removed.toString()).isEqualTo("The Pod \"app\" is invalid: spec.ephemeralContainers: "
                + "Forbidden: existing ephemeral containers \"debugger\" may not be removed\n");
        // An update of the pod itself keeps them (they are the subresource's to write).
        kubectl.ok("replace", "-f", pod.toString());
        assertThat(jsonPath("pod/app", "debugging", "{.spec.ephemeralContainers[*].name}")).isEqualTo("debugger");

        // A debug container names one of the pod's containers as its target, and is neither probed nor exposed.
        Kubectl.Result noTarget = kubectl.run("debug", "pod/app", "-n", "debugging", "--image=busybox:1.36",
                "--target=absent", "--container=lost", "--", "true");
        assertThat(noTarget.exitCode()).isNotZero();
        assertThat(noTarget.err()).contains("spec.ephemeralContainers[1].targetContainerName: Not found: \"absent\"");
        assertThat(jsonPath("pod/app", "debugging", "{.spec.ephemeralContainers[*].name}")).isEqualTo("debugger");

        // A pod cannot be created with one.
        Path withEphemeral = file("born-with-ephemeral.yaml", """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: born
                  namespace: debugging
                spec:
                  containers:
                  - name: main
                    image: busybox:1.36
                  ephemeralContainers:
                  - name: debugger
                    image: busybox:1.36
                """);
        Kubectl.Result born = kubectl.run("apply", "-f", withEphemeral.toString());
        assertThat(born.err()).contains("spec.ephemeralContainers: Forbidden: cannot be set on create");
    }

    @Test
    void waitForDeletionAndForAJsonPathValue() throws Exception {
        kubectl.ok("create", "namespace", "waiting");
        kubectl.ok("create", "configmap", "short-lived", "-n", "waiting");
        kubectl.ok("create", "deployment", "web", "-n", "waiting", "--image=nginx:1.25");

        // -v=6 logs each request once answered: the waits act only after their watches are open.
        try (StreamingKubectl deletion = StreamingKubectl.startWithLog(kubectl, "wait", "--for=delete",
                "configmap/short-lived", "-n", "waiting", "--timeout=30s", "-v=6");
             StreamingKubectl value = StreamingKubectl.startWithLog(kubectl, "wait", "--for=jsonpath={.spec.replicas}=4",
                     "deployment/web", "-n", "waiting", "--timeout=30s", "-v=6")) {
            deletion.awaitLine(l -> l.contains("watch=true"), Duration.ofSeconds(30));
            value.awaitLine(l -> l.contains("watch=true"), Duration.ofSeconds(30));
            kubectl.ok("delete", "configmap", "short-lived", "-n", "waiting");
            kubectl.ok("scale", "deployment", "web", "-n", "waiting", "--replicas=4");
            deletion.awaitLine(l -> l.equals("configmap/short-lived condition met"), Duration.ofSeconds(30));
            value.awaitLine(l -> l.equals("deployment.apps/web condition met"), Duration.ofSeconds(30));
        }

        Kubectl.Result timedOut = kubectl.run("wait", "--for=jsonpath={.spec.replicas}=9", "deployment/web", "-n", "waiting",
                "--timeout=1s");
        assertThat(timedOut.exitCode()).isNotZero();
        assertThat(timedOut.err()).isEqualTo("error: timed out waiting for the condition on deployments/web\n");
    }

    // ------------------------------------------------------------------ namespaces

    @Test
    void namespacesScopeCreationAndTerminate() throws IOException {
        assertThat(kubectl.ok("create", "namespace", "team-a")).isEqualTo("namespace/team-a created\n");
        assertThat(kubectl.ok("create", "configmap", "inside", "-n", "team-a")).isEqualTo("configmap/inside created\n");
        assertThat(kubectl.ok("get", "configmaps", "-n", "team-a", "-o", "name")).isEqualTo("configmap/inside\n");

        Kubectl.Result missing = kubectl.run("create", "configmap", "lost", "-n", "no-such-team");
        assertThat(missing.err()).isEqualTo("error: failed to create configmap: namespaces \"no-such-team\" not found\n");
        Path elsewhere = file("elsewhere.yaml", configMap("lost", "no-such-team", "a: b"));
        Kubectl.Result applied = kubectl.run("apply", "-f", elsewhere.toString());
        assertThat(applied.err()).isEqualTo("Error from server (NotFound): error when creating \"" + elsewhere
                + "\": namespaces \"no-such-team\" not found\n");

        // A namespace keeps the finalizer kube-apiserver gives it until the namespace controller (a
        // later piece) has emptied it: deleting it only marks it Terminating.
        assertThat(kubectl.ok("create", "namespace", "doomed")).isEqualTo("namespace/doomed created\n");
        kubectl.ok("create", "configmap", "left-behind", "-n", "doomed");
        assertThat(kubectl.ok("delete", "namespace", "doomed", "--wait=false")).isEqualTo("namespace \"doomed\" deleted\n");
        assertThat(PrintedTable.parse(kubectl.ok("get", "namespace", "doomed")).row("doomed")).containsEntry("STATUS", "Terminating");
        String state = kubectl.ok("get", "namespace", "doomed", "-o", "jsonpath={.status.phase} {.metadata.deletionTimestamp}");
        assertThat(state).matches("Terminating \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        Kubectl.Result late = kubectl.run("create", "configmap", "late", "-n", "doomed");
        assertThat(late.err()).isEqualTo("error: failed to create configmap: configmaps \"late\" is forbidden: unable to "
                + "create new content in namespace doomed because it is being terminated\n");
        assertThat(kubectl.ok("get", "configmaps", "-n", "doomed", "-o", "name")).isEqualTo("configmap/left-behind\n");
    }
}
