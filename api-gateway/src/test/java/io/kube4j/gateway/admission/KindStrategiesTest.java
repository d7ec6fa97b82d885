package io.kube4j.gateway.admission;

import io.kube4j.gateway.admission.allocation.ServiceAllocators;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KindStrategiesTest {

    @Configuration(proxyBeanMethods = false)
    @ComponentScan(basePackageClasses = KindStrategies.class)
    static class ScanAdmission {}

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(ScanAdmission.class);

    @Test
    void springWiresEveryStrategyIntoTheLookup() {
        runner.run(context -> {
            KindStrategies strategies = context.getBean(KindStrategies.class);
            List<String[]> kinds = List.of(
                    new String[]{"", "Pod"}, new String[]{"", "Service"}, new String[]{"", "Secret"},
                    new String[]{"", "ConfigMap"}, new String[]{"", "Namespace"}, new String[]{"", "Node"},
                    new String[]{"", "PersistentVolume"}, new String[]{"", "PersistentVolumeClaim"},
                    new String[]{"", "ReplicationController"}, new String[]{"", "Endpoints"}, new String[]{"", "Event"},
                    new String[]{"", "ServiceAccount"}, new String[]{"apps", "Deployment"}, new String[]{"apps", "ReplicaSet"},
                    new String[]{"apps", "StatefulSet"}, new String[]{"apps", "DaemonSet"}, new String[]{"batch", "Job"},
                    new String[]{"batch", "CronJob"}, new String[]{"autoscaling", "HorizontalPodAutoscaler"},
                    new String[]{"networking.k8s.io", "Ingress"}, new String[]{"networking.k8s.io", "NetworkPolicy"},
                    new String[]{"rbac.authorization.k8s.io", "Role"}, new String[]{"rbac.authorization.k8s.io", "ClusterRole"},
                    new String[]{"rbac.authorization.k8s.io", "RoleBinding"},
                    new String[]{"rbac.authorization.k8s.io", "ClusterRoleBinding"},
                    new String[]{"storage.k8s.io", "StorageClass"}, new String[]{"discovery.k8s.io", "EndpointSlice"},
                    new String[]{"coordination.k8s.io", "Lease"}, new String[]{"policy", "PodDisruptionBudget"},
                    new String[]{"scheduling.k8s.io", "PriorityClass"});
            for (String[] k : kinds) {
                assertThat(strategies.has(k[0], k[1])).as(k[0] + "/" + k[1]).isTrue();
                assertThat(strategies.forKind(k[0], k[1]).kind()).isEqualTo(k[1]);
            }
            assertThat(strategies.forKind(null, "Pod")).isInstanceOf(PodStrategy.class);
            assertThat(strategies.forKind("example.com", "Widget")).isSameAs(KindStrategies.NONE);
            assertThat(context.getBean(ServiceAllocators.class).ipRange().describe()).isEqualTo("10.96.0.0/12");
        });
    }

    @Test
    void theServiceRangesAreConfigurable() {
        runner.withPropertyValues("kube4j.services.cluster-ip-range=10.0.0.0/24", "kube4j.services.node-port-range=31000-31999")
                .run(context -> {
                    ServiceAllocators allocators = context.getBean(ServiceAllocators.class);
                    assertThat(allocators.ipRange().describe()).isEqualTo("10.0.0.0/24");
                    assertThat(allocators.nodePorts().range().describe()).isEqualTo("31000-31999");
                });
    }

    @Test
    void twoStrategiesForOneKindAreAMistake() {
        assertThatThrownBy(() -> new KindStrategies(List.of(new PodStrategy(), new PodStrategy())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/Pod");
    }

    @Test
    void theDefaultStrategyChangesAndRefusesNothing() {
        var object = Trees.yaml("apiVersion: example.com/v1\nkind: Widget\nspec: {size: 3}");
        var before = object.deepCopy();
        KindStrategies.NONE.defaults(object);
        KindStrategies.NONE.prepareForCreate(object, null);
        assertThat(KindStrategies.NONE.validate(object, null)).isEmpty();
        assertThat(object).isEqualTo(before);
    }
}
