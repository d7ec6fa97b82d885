package io.kube4j.controller.daemonset;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class NodeEligibilityTest {

    /** A node {@code name;label=value,…;key=value:Effect,…} (taint value may be empty). */
    static Node node(String description) {
        String[] f = (description + ";;").split(";", -1);
        var b = new NodeBuilder().withNewMetadata().withName(f[0]).endMetadata().withNewSpec().endSpec();
        for (String label : f[1].split(",")) {
            if (label.isBlank()) continue;
            String[] kv = label.split("=");
            b.editMetadata().addToLabels(kv[0], kv[1]).endMetadata();
        }
        for (String taint : f[2].split(",")) {
            if (taint.isBlank()) continue;
            String[] kv = taint.split("[=:]");
            b.editSpec().addToTaints(new TaintBuilder().withKey(kv[0]).withValue(kv[1].isEmpty() ? null : kv[1]).withEffect(kv[2]).build()).endSpec();
        }
        return b.build();
    }

    /** A template {@code selector=k=v affinity=k:In:v1+v2 tolerate=k=v:Effect|k:Exists nodeName=n}. */
    static PodSpec spec(String settings) {
        var b = new PodTemplateSpecBuilder().withNewSpec().addNewContainer().withName("c").withImage("i").endContainer().endSpec();
        for (String s : settings.split(" ")) {
            if (s.isBlank()) continue;
            String key = s.substring(0, s.indexOf('='));
            String value = s.substring(s.indexOf('=') + 1);
            switch (key) {
                case "selector" -> b.editSpec().addToNodeSelector(value.split("=")[0], value.split("=")[1]).endSpec();
                case "affinity" -> {
                    String[] a = value.split(":");
                    b.editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                            .addNewNodeSelectorTerm().withMatchExpressions(new NodeSelectorRequirementBuilder().withKey(a[0]).withOperator(a[1])
                                    .withValues(a.length > 2 ? a[2].split("\\+") : new String[0]).build()).endNodeSelectorTerm()
                            .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec();
                }
                case "tolerate" -> {
                    String[] t = value.split("[=:]");
                    var tol = t[1].equals("Exists") ? new TolerationBuilder().withKey(t[0]).withOperator("Exists").build()
                            : new TolerationBuilder().withKey(t[0]).withValue(t[1]).withEffect(t[2]).build();
                    b.editSpec().addToTolerations(tol).endSpec();
                }
                case "nodeName" -> b.editSpec().withNodeName(value).endSpec();
                default -> throw new IllegalArgumentException(key);
            }
        }
        return DaemonPods.specOf(b.build());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            // case | template | node | shouldRun/shouldContinueRunning
            "any node fits a plain template | '' | a;; | true/true",
            "nodeSelector matches | selector=disk=ssd | a;disk=ssd; | true/true",
            "nodeSelector does not match | selector=disk=ssd | a;disk=hdd; | false/false",
            "required affinity In | affinity=zone:In:z1+z2 | a;zone=z2; | true/true",
            "required affinity NotIn | affinity=zone:NotIn:z1 | a;zone=z1; | false/false",
            "required affinity DoesNotExist | affinity=gpu:DoesNotExist | a;; | true/true",
            "template nodeName elsewhere | nodeName=b | a;; | false/false",
            "untolerated NoSchedule keeps new pods off but lets one stay | '' | a;;dedicated=db:NoSchedule | false/true",
            "untolerated NoExecute evicts | '' | a;;dedicated=db:NoExecute | false/false",
            "a toleration admits the tainted node | tolerate=dedicated=db:NoSchedule | a;;dedicated=db:NoSchedule | true/true",
            "a toleration of another value does not | tolerate=dedicated=web:NoSchedule | a;;dedicated=db:NoSchedule | false/true",
            "Exists tolerates every value and effect | tolerate=dedicated:Exists | a;;dedicated=db:NoExecute | true/true",
            "PreferNoSchedule is no obstacle | '' | a;;dedicated=db:PreferNoSchedule | true/true",
            "not-ready is tolerated by default | '' | a;;node.kubernetes.io/not-ready=:NoExecute | true/true",
            "unreachable is tolerated by default | '' | a;;node.kubernetes.io/unreachable=:NoExecute | true/true",
            "a cordoned node keeps its daemon | '' | a;;node.kubernetes.io/unschedulable=:NoSchedule | true/true",
            "pressure taints are tolerated by default | '' | a;;node.kubernetes.io/disk-pressure=:NoSchedule,node.kubernetes.io/memory-pressure=:NoSchedule,node.kubernetes.io/pid-pressure=:NoSchedule | true/true",
            "network-unavailable is not tolerated without host networking | '' | a;;node.kubernetes.io/network-unavailable=:NoSchedule | false/true",
    })
    void decidesFromTheNodeAndTheTemplate(String name, String template, String node, String expected) {
        var verdict = NodeEligibility.of(spec(template), node(node));
        assertThat(verdict.shouldRun() + "/" + verdict.shouldContinueRunning()).isEqualTo(expected);
    }

    @Test
    void theCreatedPodIsPinnedToItsNodeAndKeepsItsPreferences() {
        var template = new PodTemplateSpecBuilder().withNewMetadata().addToLabels("app", "agent").endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("i").endContainer()
                .withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewNodeSelectorTerm().addNewMatchExpression().withKey("zone").withOperator("In").withValues("z1").endMatchExpression().endNodeSelectorTerm()
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(1).withNewPreference().addNewMatchExpression()
                .withKey("fast").withOperator("Exists").endMatchExpression().endPreference().endPreferredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity().endAffinity()
                .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(30L).endToleration()
                .endSpec().build();
        var set = new io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder().withApiVersion("apps/v1").withKind("DaemonSet")
                .withNewMetadata().withNamespace("kube-system").withName("agent").withUid("u1").endMetadata().build();

        var pod = DaemonPods.forNode(set, template, "node-7", "abc");

        assertThat(pod.getMetadata().getGenerateName()).isEqualTo("agent-");
        assertThat(pod.getMetadata().getLabels()).containsEntry("app", "agent").containsEntry("controller-revision-hash", "abc");
        assertThat(pod.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> assertThat(r.getController()).isTrue());
        var affinity = pod.getSpec().getAffinity().getNodeAffinity();
        assertThat(affinity.getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()).singleElement().satisfies(t -> {
            assertThat(t.getMatchExpressions()).isNullOrEmpty();
            assertThat(t.getMatchFields()).singleElement().satisfies(f -> {
                assertThat(f.getKey()).isEqualTo("metadata.name");
                assertThat(f.getOperator()).isEqualTo("In");
                assertThat(f.getValues()).containsExactly("node-7");
            });
        });
        assertThat(affinity.getPreferredDuringSchedulingIgnoredDuringExecution()).hasSize(1);
        assertThat(pod.getSpec().getTolerations()).extracting(t -> t.getKey() + ":" + t.getEffect() + ":" + t.getTolerationSeconds())
                .containsExactlyInAnyOrder(
                        // the template's own not-ready toleration, equal but for its seconds, gives way to the default
                        "node.kubernetes.io/not-ready:NoExecute:null", "node.kubernetes.io/unreachable:NoExecute:null",
                        "node.kubernetes.io/disk-pressure:NoSchedule:null", "node.kubernetes.io/memory-pressure:NoSchedule:null",
                        "node.kubernetes.io/pid-pressure:NoSchedule:null", "node.kubernetes.io/unschedulable:NoSchedule:null");
        assertThat(DaemonPods.targetNode(pod)).isEqualTo("node-7");
        // the template the set holds is untouched
        assertThat(template.getSpec().getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
                .getNodeSelectorTerms().getFirst().getMatchExpressions()).hasSize(1);
    }
}
