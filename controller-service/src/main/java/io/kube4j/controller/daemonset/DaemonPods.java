package io.kube4j.controller.daemonset;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.kube4j.controller.pods.Copies;
import io.kube4j.controller.pods.Owners;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pods a DaemonSet creates, as kube-controller-manager shapes them: the template with the
 * label {@value #HASH_LABEL} of its revision, the tolerations every daemon pod gets (so that a
 * node that is not ready, unreachable, under pressure or cordoned keeps its daemon), and the
 * required node affinity replaced by {@code matchFields metadata.name In [node]}, which makes the
 * scheduler bind the pod to that node and nowhere else. Pure functions.
 */
public final class DaemonPods {

    /** The label that names the revision (its hash) a daemon pod was made from. */
    public static final String HASH_LABEL = "controller-revision-hash";

    private DaemonPods() {}

    /** The tolerations kube adds to every daemon pod (and, with host networking, network-unavailable too). */
    static List<Toleration> defaultTolerations(boolean hostNetwork) {
        List<Toleration> defaults = new ArrayList<>(List.of(
                exists("node.kubernetes.io/not-ready", "NoExecute"),
                exists("node.kubernetes.io/unreachable", "NoExecute"),
                exists("node.kubernetes.io/disk-pressure", "NoSchedule"),
                exists("node.kubernetes.io/memory-pressure", "NoSchedule"),
                exists("node.kubernetes.io/pid-pressure", "NoSchedule"),
                exists("node.kubernetes.io/unschedulable", "NoSchedule")));
        if (hostNetwork) defaults.add(exists("node.kubernetes.io/network-unavailable", "NoSchedule"));
        return defaults;
    }

    private static Toleration exists(String key, String effect) {
        return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build();
    }

    /** The spec of the set's pods before a node is chosen: the template's, with the default tolerations. */
    static PodSpec specOf(PodTemplateSpec template) {
        PodSpec spec = Copies.deep(template.getSpec());
        List<Toleration> tolerations = new ArrayList<>(spec.getTolerations() == null ? List.of() : spec.getTolerations());
        for (Toleration d : defaultTolerations(Boolean.TRUE.equals(spec.getHostNetwork()))) {
            // kube's AddOrUpdateTolerationInPodSpec: an equal toleration (ignoring tolerationSeconds) is replaced, else added.
            tolerations.removeIf(t -> Objects.equals(t.getKey(), d.getKey()) && Objects.equals(t.getOperator(), d.getOperator())
                    && Objects.equals(nullToEmpty(t.getValue()), nullToEmpty(d.getValue())) && Objects.equals(t.getEffect(), d.getEffect()));
            tolerations.add(d);
        }
        spec.setTolerations(tolerations);
        return spec;
    }

    /** The pod of {@code set} for {@code node} from {@code template} (the update revision's), labelled with {@code hash}. */
    public static Pod forNode(DaemonSet set, PodTemplateSpec template, String node, String hash) {
        PodSpec spec = specOf(template);
        spec.setAffinity(pinnedTo(spec.getAffinity(), node));
        ObjectMeta meta = template.getMetadata();
        Map<String, String> labels = new HashMap<>(meta == null || meta.getLabels() == null ? Map.of() : meta.getLabels());
        labels.put(HASH_LABEL, hash);
        return new PodBuilder()
                .withNewMetadata()
                .withNamespace(set.getMetadata().getNamespace())
                .withGenerateName(set.getMetadata().getName() + "-")
                .withLabels(labels)
                .withAnnotations(meta == null ? null : meta.getAnnotations())
                .withFinalizers(meta == null ? null : meta.getFinalizers())
                .withOwnerReferences(Owners.controllerRef(set))
                .endMetadata()
                .withSpec(spec)
                .build();
    }

    /** kube's ReplaceDaemonSetPodNodeNameNodeAffinity: the required terms become the single term naming {@code node}. */
    static Affinity pinnedTo(Affinity affinity, String node) {
        Affinity result = affinity == null ? new Affinity() : Copies.deep(affinity);
        NodeAffinity nodeAffinity = result.getNodeAffinity() == null ? new NodeAffinity() : result.getNodeAffinity();
        NodeSelector required = new NodeSelector(List.of(new NodeSelectorTermBuilder()
                .withMatchFields(new NodeSelectorRequirementBuilder().withKey("metadata.name").withOperator("In").withValues(node).build())
                .build()));
        nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(required);
        result.setNodeAffinity(nodeAffinity);
        return result;
    }

    /** The node a daemon pod is on or is meant for: its {@code nodeName}, else the node its affinity pins it to; null for neither. */
    public static String targetNode(Pod pod) {
        if (pod.getSpec() == null) return null;
        if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) return pod.getSpec().getNodeName();
        var affinity = pod.getSpec().getAffinity();
        if (affinity == null || affinity.getNodeAffinity() == null
                || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) return null;
        for (var term : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()) {
            if (term.getMatchFields() == null) continue;
            for (var field : term.getMatchFields()) {
                if ("metadata.name".equals(field.getKey()) && "In".equals(field.getOperator())
                        && field.getValues() != null && field.getValues().size() == 1) return field.getValues().getFirst();
            }
        }
        return null;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
