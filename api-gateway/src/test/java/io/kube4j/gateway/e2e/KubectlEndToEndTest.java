package io.kube4j.gateway.e2e;

import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The real kubectl against a real gateway on real etcd: what a user types on day one. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlEndToEndTest {

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

    private Path manifest(String name, String yaml) throws IOException {
        Path file = cluster.dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: nginx-deployment
              namespace: %s
              labels:
                app: nginx
            spec:
              replicas: %d
              selector:
                matchLabels:
                  app: nginx
              template:
                metadata:
                  labels:
                    app: nginx
                spec:
                  containers:
                  - name: nginx
                    image: nginx:1.22
                    ports:
                    - containerPort: 80
            """;

    @Test
    void systemNamespacesExist() {
        assertThat(kubectl.ok("get", "namespaces", "-o", "name"))
                .contains("namespace/default", "namespace/kube-system", "namespace/kube-public", "namespace/kube-node-lease");
    }

    @Test
    void applyCreatesThenLeavesUnchangedThenConfigures() throws IOException {
        kubectl.ok("create", "namespace", "apply-test");
        Path file = manifest("deploy.yaml", DEPLOYMENT.formatted("apply-test", 1));
        assertThat(kubectl.ok("apply", "-f", file.toString())).contains("deployment.apps/nginx-deployment created");
        assertThat(kubectl.ok("apply", "-f", file.toString())).contains("deployment.apps/nginx-deployment unchanged");
        Path scaled = manifest("deploy-3.yaml", DEPLOYMENT.formatted("apply-test", 3));
        assertThat(kubectl.ok("apply", "-f", scaled.toString())).contains("deployment.apps/nginx-deployment configured");
        assertThat(kubectl.ok("get", "deployment", "nginx-deployment", "-n", "apply-test", "-o", "jsonpath={.spec.replicas} {.metadata.generation}"))
                .isEqualTo("3 2");
    }

    @Test
    void createConfigMapFromLiteralsTravelsAsProtobuf() {
        kubectl.ok("create", "namespace", "cm-test");
        assertThat(kubectl.ok("create", "configmap", "settings", "-n", "cm-test", "--from-literal=color=blue", "--from-literal=size=xl"))
                .contains("configmap/settings created");
        assertThat(kubectl.ok("get", "configmap", "settings", "-n", "cm-test", "-o", "jsonpath={.data.color}/{.data.size}"))
                .isEqualTo("blue/xl");
        Kubectl.Result duplicate = kubectl.run("create", "configmap", "settings", "-n", "cm-test", "--from-literal=a=b");
        assertThat(duplicate.exitCode()).isNotZero();
        assertThat(duplicate.err()).contains("configmaps \"settings\" already exists");
    }

    @Test
    void secretsFromLiteralsAreStoredBase64() {
        kubectl.ok("create", "namespace", "secret-test");
        kubectl.ok("create", "secret", "generic", "db", "-n", "secret-test", "--from-literal=password=s3cret");
        assertThat(kubectl.ok("get", "secret", "db", "-n", "secret-test", "-o", "jsonpath={.data.password}"))
                .isEqualTo("czNjcmV0");
    }

    @Test
    void authCanIAndWhoAmIAnswerForTheAdmin() {
        assertThat(kubectl.ok("auth", "can-i", "create", "deployments", "-n", "default")).isEqualTo("yes\n");
        assertThat(kubectl.ok("auth", "whoami")).contains("admin", "system:masters", "system:authenticated");
    }

    @Test
    void autoscaleWritesAutoscalingV1AndBothVersionsReadIt() throws IOException {
        kubectl.ok("create", "namespace", "hpa-test");
        kubectl.ok("apply", "-f", manifest("hpa-deploy.yaml", DEPLOYMENT.formatted("hpa-test", 1)).toString());
        assertThat(kubectl.ok("autoscale", "deployment", "nginx-deployment", "-n", "hpa-test", "--cpu-percent=50",
                "--min=2", "--max=5")).contains("horizontalpodautoscaler.autoscaling/nginx-deployment autoscaled");
        assertThat(kubectl.ok("get", "horizontalpodautoscalers.v1.autoscaling", "nginx-deployment", "-n", "hpa-test", "-o",
                "jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage} {.spec.minReplicas} {.spec.maxReplicas}"))
                .isEqualTo("autoscaling/v1 50 2 5");
        assertThat(kubectl.ok("get", "horizontalpodautoscalers.v2.autoscaling", "nginx-deployment", "-n", "hpa-test", "-o",
                "jsonpath={.apiVersion} {.spec.metrics[0].resource.name} {.spec.metrics[0].resource.target.averageUtilization}"))
                .isEqualTo("autoscaling/v2 cpu 50");
        kubectl.ok("patch", "horizontalpodautoscalers.v1.autoscaling", "nginx-deployment", "-n", "hpa-test", "--type=merge",
                "-p", "{\"spec\":{\"targetCPUUtilizationPercentage\":70}}");
        assertThat(kubectl.ok("get", "hpa", "nginx-deployment", "-n", "hpa-test", "-o",
                "jsonpath={.spec.metrics[0].resource.target.averageUtilization}")).isEqualTo("70");
        assertThat(kubectl.ok("get", "hpa", "-n", "hpa-test")).contains("nginx-deployment", "Deployment/nginx-deployment");
    }

    @Test
    void theKubernetesServiceExists() {
        assertThat(kubectl.ok("get", "service", "kubernetes", "-n", "default", "-o", "jsonpath={.spec.clusterIP} {.spec.ports[0].port}"))
                .isEqualTo("10.96.0.1 443");
    }

    @Test
    void getOfAMissingObjectIsNotFound() {
        Kubectl.Result result = kubectl.run("get", "configmap", "missing", "-n", "default");
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.err()).contains("Error from server (NotFound): configmaps \"missing\" not found");
    }

    @Test
    void labelAnnotateAndSelect() {
        kubectl.ok("create", "namespace", "label-test");
        kubectl.ok("create", "configmap", "a", "-n", "label-test");
        kubectl.ok("create", "configmap", "b", "-n", "label-test");
        kubectl.ok("label", "configmap", "a", "-n", "label-test", "tier=front");
        kubectl.ok("annotate", "configmap", "a", "-n", "label-test", "owner=team-a");
        assertThat(kubectl.ok("get", "configmaps", "-n", "label-test", "-l", "tier=front", "-o", "name"))
                .isEqualTo("configmap/a\n");
        assertThat(kubectl.ok("get", "configmaps", "-n", "label-test", "-l", "tier!=front", "-o", "name"))
                .contains("configmap/b").doesNotContain("configmap/a");
        assertThat(kubectl.ok("get", "configmaps", "-n", "label-test", "--field-selector", "metadata.name=b", "-o", "name"))
                .isEqualTo("configmap/b\n");
        assertThat(kubectl.ok("get", "configmap", "a", "-n", "label-test", "-o", "jsonpath={.metadata.annotations.owner}"))
                .isEqualTo("team-a");
        Kubectl.Result badField = kubectl.run("get", "configmaps", "-n", "label-test", "--field-selector", "spec.nope=1");
        assertThat(badField.err()).contains("field label not supported: spec.nope");
    }

    @Test
    void patchInAllThreeTypes() {
        kubectl.ok("create", "namespace", "patch-test");
        kubectl.ok("create", "configmap", "p", "-n", "patch-test", "--from-literal=a=1");
        kubectl.ok("patch", "configmap", "p", "-n", "patch-test", "--type=merge", "-p", "{\"data\":{\"b\":\"2\"}}");
        kubectl.ok("patch", "configmap", "p", "-n", "patch-test", "--type=json", "-p", "[{\"op\":\"remove\",\"path\":\"/data/a\"}]");
        kubectl.ok("patch", "configmap", "p", "-n", "patch-test", "-p", "{\"data\":{\"c\":\"3\"}}");
        assertThat(kubectl.ok("get", "configmap", "p", "-n", "patch-test", "-o", "jsonpath={.data}"))
                .isEqualTo("{\"b\":\"2\",\"c\":\"3\"}");
    }

    @Test
    void editWithAnEditorScript() throws IOException {
        kubectl.ok("create", "namespace", "edit-test");
        kubectl.ok("create", "configmap", "e", "-n", "edit-test", "--from-literal=mode=old");
        Path editor = cluster.dir.resolve("editor.sh");
        Files.writeString(editor, "#!/bin/sh\nsed -i 's/mode: old/mode: new/' \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwxr-xr-x"));
        Kubectl editing = kubectl.withEnvironment(Map.of("EDITOR", editor.toString(), "KUBE_EDITOR", editor.toString()));
        assertThat(editing.ok("edit", "configmap", "e", "-n", "edit-test")).contains("configmap/e edited");
        assertThat(kubectl.ok("get", "configmap", "e", "-n", "edit-test", "-o", "jsonpath={.data.mode}")).isEqualTo("new");
    }

    @Test
    void deleteAndDryRunServer() {
        kubectl.ok("create", "namespace", "delete-test");
        assertThat(kubectl.ok("create", "configmap", "dry", "-n", "delete-test", "--dry-run=server", "-o", "name"))
                .isEqualTo("configmap/dry\n");
        assertThat(kubectl.run("get", "configmap", "dry", "-n", "delete-test").exitCode()).isNotZero();
        kubectl.ok("create", "configmap", "gone", "-n", "delete-test");
        assertThat(kubectl.ok("delete", "configmap", "gone", "-n", "delete-test")).contains("configmap \"gone\" deleted");
        assertThat(kubectl.run("get", "configmap", "gone", "-n", "delete-test").exitCode()).isNotZero();
    }

    @Test
    void chunkedListsReturnEverything() {
        kubectl.ok("create", "namespace", "chunk-test");
        for (int i = 0; i < 7; i++) kubectl.ok("create", "configmap", "c" + i, "-n", "chunk-test");
        String names = kubectl.ok("get", "configmaps", "-n", "chunk-test", "--chunk-size=2", "-o", "name");
        for (int i = 0; i < 7; i++) assertThat(names).contains("configmap/c" + i);
    }

    @Test
    void outputFormatsYamlAndJson() {
        kubectl.ok("create", "namespace", "output-test");
        kubectl.ok("create", "configmap", "o", "-n", "output-test", "--from-literal=k=v");
        assertThat(kubectl.ok("get", "configmap", "o", "-n", "output-test", "-o", "yaml"))
                .contains("kind: ConfigMap", "name: o", "namespace: output-test", "resourceVersion:", "uid:", "creationTimestamp:");
        assertThat(kubectl.ok("get", "configmap", "o", "-n", "output-test", "-o", "json"))
                .contains("\"kind\": \"ConfigMap\"", "\"k\": \"v\"");
    }

    @Test
    void customResourcesAreServedOnceTheirDefinitionIsCreated() throws IOException {
        Path crd = manifest("crd.yaml", """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata:
                  name: crontabs.stable.example.com
                spec:
                  group: stable.example.com
                  scope: Namespaced
                  names:
                    plural: crontabs
                    singular: crontab
                    kind: CronTab
                    shortNames: [ct]
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec:
                            type: object
                            properties:
                              cronSpec: {type: string}
                              image: {type: string}
                              replicas: {type: integer}
                """);
        assertThat(kubectl.ok("apply", "-f", crd.toString()))
                .contains("customresourcedefinition.apiextensions.k8s.io/crontabs.stable.example.com created");
        Path cr = manifest("cr.yaml", """
                apiVersion: stable.example.com/v1
                kind: CronTab
                metadata:
                  name: my-new-cron-object
                  namespace: default
                spec:
                  cronSpec: "* * * * */5"
                  image: my-awesome-cron-image
                """);
        assertThat(kubectl.ok("apply", "-f", cr.toString())).contains("crontab.stable.example.com/my-new-cron-object created");
        assertThat(kubectl.ok("get", "ct", "my-new-cron-object", "-n", "default", "-o", "jsonpath={.spec.image}"))
                .isEqualTo("my-awesome-cron-image");
        kubectl.ok("delete", "-f", crd.toString());
    }
}
