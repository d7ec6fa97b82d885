package io.kube4j.controller.disruption;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DisruptionBudgetsTest {

    static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");

    /** {@code pods}: one letter a pod: R ready, U unready, D ready but being deleted, O ready without a controller, X other labels. */
    static List<Pod> pods(String pods) {
        List<Pod> list = new ArrayList<>();
        for (int i = 0; i < pods.length(); i++) {
            char kind = pods.charAt(i);
            var b = new PodBuilder().withNewMetadata().withNamespace("ns").withName("p" + i)
                    .withLabels(Map.of("app", kind == 'X' ? "other" : "web")).endMetadata()
                    .withNewStatus().addNewCondition().withType("Ready").withStatus(kind == 'U' ? "False" : "True").endCondition().endStatus();
            if (kind == 'D') b.editMetadata().withDeletionTimestamp("2026-11-26T09:59:00Z").endMetadata();
            if (kind != 'O') b.editMetadata().addNewOwnerReference().withKind("ReplicaSet").withName("web-1").withUid("rs")
                    .withController(true).endOwnerReference().endMetadata();
            list.add(b.build());
        }
        return list;
    }

    static IntOrString intOrString(String value) {
        if (value.equals("-")) return null;
        return value.endsWith("%") ? new IntOrString(value) : new IntOrString(Integer.parseInt(value));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | minAvailable | maxUnavailable | pods | replicas | expected | desired | healthy | allowed | condition reason
            "minAvailable met with one to spare | 2 | - | RRR | 3 | 3 | 2 | 3 | 1 | SufficientPods",
            "minAvailable exactly met | 2 | - | RRU | 3 | 3 | 2 | 2 | 0 | InsufficientPods",
            "pods being deleted are not healthy | 2 | - | RRD | 3 | 3 | 2 | 2 | 0 | InsufficientPods",
            "other pods are not the budget's | 1 | - | RXX | 1 | 1 | 1 | 1 | 0 | InsufficientPods",
            "minAvailable percent of the controllers' scale, rounded up | 50% | - | RRRRR | 5 | 5 | 3 | 5 | 2 | SufficientPods",
            "maxUnavailable of the scale | - | 1 | RRR | 3 | 3 | 2 | 3 | 1 | SufficientPods",
            "maxUnavailable counts missing pods | - | 1 | RR | 3 | 3 | 2 | 2 | 0 | InsufficientPods",
            "maxUnavailable percent rounded up | - | 30% | RRRR | 4 | 4 | 2 | 4 | 2 | SufficientPods",
            "maxUnavailable 0 allows nothing | - | 0 | RRR | 3 | 3 | 3 | 3 | 0 | InsufficientPods",
            "a pod without a controller fails the sync of a percentage | 50% | - | RRO | 3 | 0 | 0 | 3 | 0 | SyncFailed",
            "a pod without a controller is fine for an integer minAvailable | 1 | - | RRO | 3 | 3 | 1 | 3 | 2 | SufficientPods",
    })
    void computesTheStatus(String name, String minAvailable, String maxUnavailable, String pods, int replicas,
                           int expected, int desired, int healthy, int allowed, String reason) {
        PodDisruptionBudget pdb = new PodDisruptionBudgetBuilder().withNewMetadata().withNamespace("ns").withName("web").withGeneration(4L).endMetadata()
                .withNewSpec().withMinAvailable(intOrString(minAvailable)).withMaxUnavailable(intOrString(maxUnavailable))
                .withNewSelector().addToMatchLabels("app", "web").endSelector().endSpec().build();

        PodDisruptionBudgetStatus status = DisruptionBudgets.status(pdb, pods(pods),
                owner -> owner.getName().equals("web-1") ? Optional.of(new DisruptionBudgets.Controller("ReplicaSet", "web-1", replicas)) : Optional.empty(),
                NOW);

        assertThat(List.of(status.getExpectedPods(), status.getDesiredHealthy(), status.getCurrentHealthy(), status.getDisruptionsAllowed()))
                .containsExactly(expected, desired, healthy, allowed);
        assertThat(status.getObservedGeneration()).isEqualTo(4L);
        assertThat(status.getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("DisruptionAllowed");
            assertThat(c.getReason()).isEqualTo(reason);
            assertThat(c.getStatus()).isEqualTo(allowed > 0 ? "True" : "False");
        });
    }

    @ParameterizedTest(name = "disrupted at {0}: still counted out {1}")
    @CsvSource({"2026-11-26T09:59:00Z, true", "2026-11-26T09:57:00Z, false"})
    void aGrantedEvictionKeepsItsPodOutOfTheHealthyCountUntilItExpires(String at, boolean kept) {
        PodDisruptionBudget pdb = new PodDisruptionBudgetBuilder().withNewMetadata().withNamespace("ns").withName("web").withGeneration(1L).endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(1)).withNewSelector().addToMatchLabels("app", "web").endSelector().endSpec()
                .withNewStatus().withDisruptedPods(Map.of("p0", at, "gone", at)).endStatus().build();

        PodDisruptionBudgetStatus status = DisruptionBudgets.status(pdb, pods("RR"), owner -> Optional.empty(), NOW);

        assertThat(status.getCurrentHealthy()).isEqualTo(kept ? 1 : 2);
        assertThat(status.getDisruptedPods() == null ? Map.of() : status.getDisruptedPods()).isEqualTo(kept ? Map.of("p0", at) : Map.of());
    }
}
