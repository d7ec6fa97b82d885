package io.kube4j.gateway.rbac;

import io.kube4j.gateway.security.Authenticator.UserInfo;
import io.kube4j.machinery.object.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RbacPolicyTest {

    private static ObjectNode yaml(String text) {
        return Json.parseYamlObject(text.getBytes());
    }

    private static final UserInfo JANE = new UserInfo("jane", "", List.of("dev", "system:authenticated"));
    private static final UserInfo BOB = new UserInfo("bob", "", List.of("system:authenticated"));
    private static final UserInfo ROBOT = new UserInfo("system:serviceaccount:ci:deployer", "", List.of("system:serviceaccounts"));

    private final RbacPolicy policy = RbacPolicy.build(
            List.of(yaml("""
                            metadata: {name: pod-reader, labels: {aggregate-to-reader: "true"}}
                            rules: [{apiGroups: [''], resources: [pods], verbs: [get, list]}]"""),
                    yaml("""
                            metadata: {name: reader}
                            aggregationRule: {clusterRoleSelectors: [{matchLabels: {aggregate-to-reader: "true"}}]}
                            rules: []"""),
                    yaml("""
                            metadata: {name: discovery}
                            rules: [{nonResourceURLs: [/apis], verbs: [get]}]""")),
            List.of(yaml("""
                    metadata: {name: deployer, namespace: ci}
                    rules: [{apiGroups: [apps], resources: [deployments], verbs: ['*']}]""")),
            List.of(yaml("""
                    metadata: {name: devs-read-everywhere}
                    roleRef: {kind: ClusterRole, name: reader}
                    subjects: [{kind: Group, name: dev}]"""),
                    yaml("""
                            metadata: {name: discovery}
                            roleRef: {kind: ClusterRole, name: discovery}
                            subjects: [{kind: Group, name: system:authenticated}]""")),
            List.of(yaml("""
                            metadata: {name: deployer, namespace: ci}
                            roleRef: {kind: Role, name: deployer}
                            subjects: [{kind: ServiceAccount, name: deployer}]"""),
                    yaml("""
                            metadata: {name: bob-reads-team, namespace: team}
                            roleRef: {kind: ClusterRole, name: reader}
                            subjects: [{kind: User, name: bob}]""")));

    @Test
    void clusterBindingsGrantEverywhereThroughAggregatedRoles() {
        assertThat(policy.allowsResource(JANE, "list", "", "pods", "anywhere", null)).isTrue();
        assertThat(policy.allowsResource(JANE, "list", "", "pods", null, null)).isTrue();
        assertThat(policy.allowsResource(JANE, "delete", "", "pods", "anywhere", "x")).isFalse();
    }

    @Test
    void roleBindingsGrantOnlyInTheirNamespace() {
        assertThat(policy.allowsResource(BOB, "get", "", "pods", "team", "x")).isTrue();
        assertThat(policy.allowsResource(BOB, "get", "", "pods", "other", "x")).isFalse();
        assertThat(policy.allowsResource(BOB, "list", "", "pods", null, null)).as("not at the cluster scope").isFalse();
    }

    @Test
    void serviceAccountSubjectsDefaultToTheBindingsNamespace() {
        assertThat(policy.allowsResource(ROBOT, "create", "apps", "deployments", "ci", null)).isTrue();
        assertThat(policy.allowsResource(ROBOT, "create", "apps", "deployments", "prod", null)).isFalse();
        assertThat(policy.allowsResource(ROBOT, "get", "", "pods", "ci", "x")).isFalse();
    }

    @Test
    void nonResourcePathsComeFromClusterBindingsAndMastersMayDoAnything() {
        assertThat(policy.allowsPath(BOB, "get", "/apis")).isTrue();
        assertThat(policy.allowsPath(BOB, "get", "/metrics")).isFalse();
        UserInfo admin = new UserInfo("admin", "", List.of(RbacPolicy.MASTERS_GROUP));
        assertThat(policy.allowsPath(admin, "get", "/metrics")).isTrue();
        assertThat(policy.allowsResource(admin, "delete", "", "nodes", null, "n1")).isTrue();
    }

    @Test
    void rulesListWhatApplies() {
        assertThat(policy.rules(BOB, "team")).extracting(RbacRule::resources).contains(List.of("pods"));
        assertThat(policy.rules(BOB, "other")).extracting(RbacRule::nonResourceURLs).containsExactly(List.of("/apis"));
    }
}
