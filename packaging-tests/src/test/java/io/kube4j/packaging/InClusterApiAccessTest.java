package io.kube4j.packaging;

import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Path;
import java.time.Duration;

import static io.kube4j.packaging.WorkloadsOnRealNodeTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pod reaches the API as its ServiceAccount, as on Kubernetes: the real kubectl, run inside a busybox pod on the
 * cluster of {@code ./kube4j up} with no kubeconfig, finds the API through {@code KUBERNETES_SERVICE_HOST} (the
 * {@code kubernetes} Service, which the node's proxy agent leads to the gateway), trusts it with the {@code ca.crt}
 * of {@code kube-root-ca.crt} and authenticates with the token the node agent projects into
 * {@code /var/run/secrets/kubernetes.io/serviceaccount}; RBAC then decides what the account may do.
 */
@ExtendWith(LauncherCluster.Extension.class)
class InClusterApiAccessTest {

    private Kubectl kubectl;

    @BeforeEach
    void cluster(LauncherCluster cluster) {
        this.kubectl = cluster.kubectl();
    }

    /**
     * A busybox pod {@code name} in {@code namespace} (on {@code node} unless null) with the kubectl binary at
     * {@code kubectl} on its node mounted as {@code /bin/kubectl} (kubectl's release binaries are static).
     */
    static String kubectlPod(String name, String namespace, String node, String kubectl) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s, namespace: %s}
                spec:
                  %s
                  terminationGracePeriodSeconds: 1
                  containers:
                  - name: shell
                    image: busybox:1.35
                    command: ["sleep", "3600"]
                    volumeMounts: [{name: kubectl, mountPath: /bin/kubectl, readOnly: true}]
                  volumes:
                  - name: kubectl
                    hostPath: {path: %s, type: File}
                """.formatted(name, namespace, "nodeSelector: {" + (node == null ? "" : "kubernetes.io/hostname: " + node) + "}", kubectl);
    }

    /** Who the pod's kubectl is to the API. */
    static Kubectl.Result whoAmI(Kubectl kubectl, String namespace, String pod) {
        return kubectl.run("-n", namespace, "exec", pod, "--", "kubectl", "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}");
    }

    @Test
    void aPodUsesTheApiWithItsServiceAccount() throws Exception {
        kubectl.ok("create", "namespace", "in-cluster");
        String binary = Path.of(Kubectl.binary()).toRealPath().toString();
        Kubectl.Result applied = kubectl.runWithInput(kubectlPod("api-client", "in-cluster", null, binary), "apply", "-f", "-");
        assertThat(applied.ok()).as(applied.toString()).isTrue();
        kubectl.ok("-n", "in-cluster", "wait", "--for=condition=Ready", "pod/api-client", "--timeout=90s");

        // What the ServiceAccount admission and the node agent gave the pod.
        assertThat(kubectl.ok("-n", "in-cluster", "get", "pod", "api-client", "-o",
                "jsonpath={.spec.volumes[?(@.projected)].name} {.spec.containers[0].volumeMounts[?(@.readOnly)].mountPath}"))
                .matches("kube-api-access-\\w{5} /bin/kubectl /var/run/secrets/kubernetes.io/serviceaccount");
        String dir = "/var/run/secrets/kubernetes.io/serviceaccount/";
        assertThat(exec("cat", dir + "namespace").out()).isEqualTo("in-cluster");
        assertThat(exec("cat", dir + "ca.crt").out()).startsWith("-----BEGIN CERTIFICATE-----")
                .isEqualTo(kubectl.ok("-n", "in-cluster", "get", "configmap", "kube-root-ca.crt", "-o", "jsonpath={.data.ca\\.crt}"));
        assertThat(exec("cat", dir + "token").out()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        String clusterIP = kubectl.ok("-n", "default", "get", "service", "kubernetes", "-o", "jsonpath={.spec.clusterIP}");
        assertThat(exec("env").out()).contains("KUBERNETES_SERVICE_HOST=" + clusterIP + "\n", "KUBERNETES_SERVICE_PORT=443\n",
                "KUBERNETES_PORT_443_TCP=tcp://" + clusterIP + ":443\n");

        // Authenticated as the account; RBAC refuses until a binding allows it.
        Kubectl.Result refused = eventually(Duration.ofSeconds(30), () -> exec("kubectl", "get", "pods"),
                r -> r.err().contains("Forbidden"));
        assertThat(refused.err()).contains("User \"system:serviceaccount:in-cluster:default\" cannot list resource \"pods\" "
                + "in API group \"\" in the namespace \"in-cluster\"");
        kubectl.ok("-n", "in-cluster", "create", "rolebinding", "viewers", "--clusterrole=view", "--serviceaccount=in-cluster:default");
        Kubectl.Result listed = eventually(Duration.ofSeconds(30), () -> exec("kubectl", "get", "pods", "-o", "name"), Kubectl.Result::ok);
        assertThat(listed.out()).as(listed.toString()).isEqualTo("pod/api-client\n");
        assertThat(whoAmI(kubectl, "in-cluster", "api-client").out()).isEqualTo("system:serviceaccount:in-cluster:default");
        kubectl.ok("delete", "namespace", "in-cluster", "--wait=false");
    }

    private Kubectl.Result exec(String... command) {
        String[] args = new String[command.length + 5];
        args[0] = "-n";
        args[1] = "in-cluster";
        args[2] = "exec";
        args[3] = "api-client";
        args[4] = "--";
        System.arraycopy(command, 0, args, 5, command.length);
        return kubectl.run(args);
    }
}
