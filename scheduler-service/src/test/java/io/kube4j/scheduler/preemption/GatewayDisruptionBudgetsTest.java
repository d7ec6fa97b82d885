package io.kube4j.scheduler.preemption;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.kube4j.scheduler.plugins.defaultpreemption.DisruptionBudget;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayDisruptionBudgetsTest {

    static PodDisruptionBudgetBuilder budget() {
        return new PodDisruptionBudgetBuilder().withNewMetadata().withNamespace("shop").withName("db").endMetadata();
    }

    @Test
    void statusAndSelectorAreRead() {
        PodDisruptionBudget pdb = budget().withNewSpec().withNewSelector().addToMatchLabels("app", "db").endSelector().endSpec()
                .withNewStatus().withDisruptionsAllowed(2).addToDisruptedPods("db-0", "2026-01-01T00:00:00Z").endStatus().build();
        DisruptionBudget read = GatewayDisruptionBudgets.of(pdb);
        assertThat(read.namespace()).isEqualTo("shop");
        assertThat(read.disruptionsAllowed()).isEqualTo(2);
        assertThat(read.disruptedPods()).containsExactly("db-0");
        assertThat(read.selector().matches(java.util.Map.of("app", "db"))).isTrue();
        assertThat(read.selector().matches(java.util.Map.of("app", "web"))).isFalse();
    }

    @Test
    void anEmptyOrMissingSelectorCoversNoPodAndAMissingStatusAllowsNothing() {
        for (PodDisruptionBudget pdb : java.util.List.of(budget().withNewSpec().withNewSelector().endSelector().endSpec().build(),
                budget().withNewSpec().endSpec().build())) {
            DisruptionBudget read = GatewayDisruptionBudgets.of(pdb);
            assertThat(read.selector().isNothing()).isTrue();
            assertThat(read.disruptionsAllowed()).isZero();
        }
    }
}
