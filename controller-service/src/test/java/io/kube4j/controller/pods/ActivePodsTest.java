package io.kube4j.controller.pods;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ActivePodsTest {

    /** A pod described as {@code node/phase/ready-since-or-dash/restarts/created}, e.g. {@code n1/Running/10:00/0/09:00}. */
    static Pod pod(String name, String spec) {
        String[] f = spec.split("/");
        var b = new PodBuilder().withNewMetadata().withName(name).withNamespace("default").withUid(name)
                .withCreationTimestamp("2026-01-01T" + f[4] + ":00Z").endMetadata()
                .withNewSpec().withNodeName(f[0].equals("-") ? null : f[0]).endSpec()
                .withNewStatus().withPhase(f[1]).endStatus();
        if (!f[2].equals("-")) {
            b.editStatus().addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime("2026-01-01T" + f[2] + ":00Z").endCondition().endStatus();
        }
        b.editStatus().addNewContainerStatus().withName("c").withRestartCount(Integer.parseInt(f[3])).endContainerStatus().endStatus();
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "unassigned before assigned,            -/Pending/-/0/09:00,  n1/Pending/-/0/09:00",
            "Pending before Running,                n1/Pending/-/0/09:00, n1/Running/-/0/09:00",
            "Unknown before Running,                n1/Unknown/-/0/09:00, n1/Running/-/0/09:00",
            "Pending before Unknown,                n1/Pending/-/0/09:00, n1/Unknown/-/0/09:00",
            "not ready before ready,                n1/Running/-/0/09:00, n1/Running/10:00/0/09:00",
            "ready for less time before longer,     n1/Running/11:00/0/09:00, n1/Running/10:00/0/09:00",
            "more restarts before fewer,            n1/Running/10:00/5/09:00, n1/Running/10:00/1/09:00",
            "newer before older,                    n1/Running/10:00/0/09:30, n1/Running/10:00/0/09:00",
            "assigned Running loses to unassigned even if older,  -/Running/10:00/0/08:00, n1/Pending/-/0/09:00",
    })
    void deletesInKubernetesOrder(String name, String first, String second) {
        Pod a = pod("a", first);
        Pod b = pod("b", second);
        assertThat(ActivePods.toDelete(List.of(b, a), List.of(a, b), 1)).extracting(p -> p.getMetadata().getName()).containsExactly("a");
        assertThat(ActivePods.toDelete(List.of(a, b), List.of(a, b), 1)).extracting(p -> p.getMetadata().getName()).containsExactly("a");
    }

    @org.junit.jupiter.api.Test
    void podsDoubledUpOnANodeGoBeforeLonePods() {
        Pod crowded = pod("crowded", "n1/Running/10:00/0/09:00");
        Pod sibling = pod("sibling", "n1/Running/10:00/0/09:00");
        Pod alone = pod("alone", "n2/Running/10:00/0/09:30");
        assertThat(ActivePods.toDelete(List.of(alone, crowded), List.of(alone, crowded, sibling), 1))
                .extracting(p -> p.getMetadata().getName()).containsExactly("crowded");
    }
}
