package io.kube4j.gateway.e2e;

import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RBAC as a Kubernetes user meets it, with the real kubectl: the default roles exist, a user with
 * no binding is refused with kube-apiserver's words, a RoleBinding opens one namespace, an
 * aggregated ClusterRole grows with the roles it selects, impersonation needs permission, and a
 * ServiceAccount's token from {@code kubectl create token} is that account, under RBAC, for as
 * long as the account exists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KubectlRbacTest {

    private GatewayCluster cluster;
    private Kubectl kubectl;

    @BeforeAll
    void start() {
        cluster = GatewayCluster.start();
        kubectl = cluster.kubectl;
        kubectl.ok("create", "namespace", "team");
        kubectl.ok("create", "namespace", "other");
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void theDefaultPolicyExists() {
        String roles = kubectl.ok("get", "clusterroles", "-o", "name");
        assertThat(roles).contains("clusterrole.rbac.authorization.k8s.io/cluster-admin", "clusterrole.rbac.authorization.k8s.io/admin",
                "clusterrole.rbac.authorization.k8s.io/edit", "clusterrole.rbac.authorization.k8s.io/view",
                "clusterrole.rbac.authorization.k8s.io/system:discovery");
        assertThat(kubectl.ok("get", "clusterrolebinding", "cluster-admin", "-o", "jsonpath={.subjects[0].name}")).isEqualTo("system:masters");
        assertThat(kubectl.ok("auth", "can-i", "delete", "nodes").trim()).isEqualTo("yes");
    }

    @Test
    void aRoleBindingOpensOneNamespaceToAUser() throws Exception {
        Kubectl.Result refused = kubectl.run("get", "pods", "-n", "team", "--as=jane");
        assertThat(refused.exitCode()).isNotZero();
        assertThat(refused.err()).contains("Error from server (Forbidden): pods is forbidden: User \"jane\" cannot list resource \"pods\" in API group \"\" in the namespace \"team\"");
        assertThat(kubectl.run("auth", "can-i", "list", "pods", "-n", "team", "--as=jane").out().trim()).isEqualTo("no");

        kubectl.ok("create", "role", "pod-reader", "-n", "team", "--verb=get,list,watch", "--resource=pods");
        kubectl.ok("create", "rolebinding", "jane-reads", "-n", "team", "--role=pod-reader", "--user=jane");
        await(() -> kubectl.run("get", "pods", "-n", "team", "--as=jane").ok());
        assertThat(kubectl.run("auth", "can-i", "list", "pods", "-n", "team", "--as=jane").out().trim()).isEqualTo("yes");
        assertThat(kubectl.run("auth", "can-i", "list", "pods", "-n", "other", "--as=jane").out().trim()).isEqualTo("no");
        assertThat(kubectl.run("auth", "can-i", "delete", "pods", "-n", "team", "--as=jane").out().trim()).isEqualTo("no");
        Kubectl.Result create = kubectl.run("create", "configmap", "x", "-n", "team", "--as=jane");
        assertThat(create.err()).contains("configmaps is forbidden: User \"jane\" cannot create resource \"configmaps\" in API group \"\" in the namespace \"team\"");
        assertThat(kubectl.run("auth", "can-i", "--list", "-n", "team", "--as=jane").out()).contains("pods", "[get list watch]");

        kubectl.ok("delete", "rolebinding", "jane-reads", "-n", "team");
        await(() -> !kubectl.run("get", "pods", "-n", "team", "--as=jane").ok());
    }

    @Test
    void theViewRoleAggregatesAndGroupsAreSubjects() throws Exception {
        kubectl.ok("create", "clusterrolebinding", "auditors-view", "--clusterrole=view", "--group=auditors");
        await(() -> kubectl.run("get", "deployments", "-A", "--as=sam", "--as-group=auditors").ok());
        assertThat(kubectl.run("get", "secrets", "-n", "team", "--as=sam", "--as-group=auditors").err())
                .contains("secrets is forbidden: User \"sam\" cannot list resource \"secrets\"");
        // A ClusterRole labelled to aggregate into view extends it at once.
        kubectl.runWithInput("""
                apiVersion: rbac.authorization.k8s.io/v1
                kind: ClusterRole
                metadata:
                  name: secret-peek
                  labels: {rbac.authorization.k8s.io/aggregate-to-view: "true"}
                rules:
                - apiGroups: [""]
                  resources: [secrets]
                  verbs: [list]
                """, "apply", "-f", "-");
        await(() -> kubectl.run("get", "secrets", "-n", "team", "--as=sam", "--as-group=auditors").ok());
    }

    @Test
    void impersonationNeedsPermission() {
        Kubectl.Result result = kubectl.run("auth", "can-i", "impersonate", "users", "--as=jane");
        assertThat(result.out().trim()).isEqualTo("no");
        assertThat(kubectl.run("auth", "can-i", "impersonate", "users").out().trim()).isEqualTo("yes");
        assertThat(kubectl.ok("auth", "whoami", "--as=jane", "--as-group=dev", "-o", "jsonpath={.status.userInfo.username} {.status.userInfo.groups}"))
                .isEqualTo("jane [\"dev\",\"system:authenticated\"]");
    }

    @Test
    void aServiceAccountTokenAuthenticatesAsTheAccountUnderRbac() throws Exception {
        kubectl.ok("create", "serviceaccount", "default", "-n", "team");
        String token = kubectl.ok("create", "token", "default", "-n", "team", "--duration=20m").trim();
        Kubectl.Result tooShort = kubectl.run("create", "token", "default", "-n", "team", "--duration=5m");
        assertThat(tooShort.exitCode()).isNotZero();
        assertThat(tooShort.err()).contains("may not specify a duration less than 10 minutes");
        assertThat(kubectl.run("create", "token", "nobody", "-n", "team").err())
                .contains("serviceaccounts \"nobody\" not found");

        assertThat(kubectl.ok("--token=" + token, "auth", "whoami", "-o",
                "jsonpath={.status.userInfo.username} {.status.userInfo.groups}"))
                .isEqualTo("system:serviceaccount:team:default "
                        + "[\"system:serviceaccounts\",\"system:serviceaccounts:team\",\"system:authenticated\"]");
        Kubectl.Result refused = kubectl.run("--token=" + token, "get", "pods", "-n", "team");
        assertThat(refused.err()).contains("pods is forbidden: User \"system:serviceaccount:team:default\" "
                + "cannot list resource \"pods\" in API group \"\" in the namespace \"team\"");

        kubectl.ok("create", "role", "sa-pod-reader", "-n", "team", "--verb=get,list", "--resource=pods");
        kubectl.ok("create", "rolebinding", "sa-reads", "-n", "team", "--role=sa-pod-reader",
                "--serviceaccount=team:default");
        await(() -> kubectl.run("--token=" + token, "get", "pods", "-n", "team").ok());
        assertThat(kubectl.run("--token=" + token, "get", "pods", "-n", "other").err()).contains("Forbidden");

        kubectl.ok("delete", "serviceaccount", "default", "-n", "team");
        Kubectl.Result afterDeletion = kubectl.run("--token=" + token, "get", "pods", "-n", "team");
        assertThat(afterDeletion.exitCode()).isNotZero();
        assertThat(afterDeletion.err()).contains("Unauthorized");
        kubectl.ok("create", "serviceaccount", "default", "-n", "team");
        assertThat(kubectl.run("--token=" + token, "get", "pods", "-n", "team").err())
                .as("a token of the deleted account does not name its successor").contains("Unauthorized");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 30 s");
            Thread.sleep(100);
        }
    }
}
