package io.kube4j.scheduler.plugins;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.plugins.volumebinding.VolumeBinding;
import io.kube4j.scheduler.plugins.volumebinding.VolumeObjects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.kube4j.scheduler.Objects.edit;
import static io.kube4j.scheduler.Objects.node;
import static io.kube4j.scheduler.Objects.nodeInfo;
import static io.kube4j.scheduler.Objects.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** VolumeBinding: where the pod's claims let it run, on two nodes n1 and n2 (zone a and b). */
class VolumeBindingTest {

    private static final List<NodeInfo> NODES = List.of(
            nodeInfo(node("n1", "topology.kubernetes.io/zone=a")), nodeInfo(node("n2", "topology.kubernetes.io/zone=b")));

    /** Objects in memory, keyed by {@code namespace/name} (claims) or name. */
    record Objects(Map<String, PersistentVolumeClaim> claims, Map<String, PersistentVolume> volumes,
                   Map<String, StorageClass> classes) implements VolumeObjects {
        static Objects of(Object... items) {
            Objects o = new Objects(new HashMap<>(), new HashMap<>(), new HashMap<>());
            for (Object item : items) {
                switch (item) {
                    case PersistentVolumeClaim c -> o.claims.put(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName(), c);
                    case PersistentVolume v -> o.volumes.put(v.getMetadata().getName(), v);
                    case StorageClass s -> o.classes.put(s.getMetadata().getName(), s);
                    default -> throw new IllegalArgumentException(item.toString());
                }
            }
            return o;
        }

        @Override
        public PersistentVolumeClaim claim(String namespace, String name) {
            return claims.get(namespace + "/" + name);
        }

        @Override
        public PersistentVolume volume(String name) {
            return volumes.get(name);
        }

        @Override
        public StorageClass storageClass(String name) {
            return classes.get(name);
        }
    }

    /** {@code expected}: node name → reason ("" = fits). */
    record Case(String name, Pod pod, Objects objects, Code code, Map<String, String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Pod claiming(String... claims) {
        return edit(pod("p"), b -> {
            var spec = b.editSpec();
            for (String c : claims) {
                spec.addToVolumes(new VolumeBuilder().withName("v-" + c).withNewPersistentVolumeClaim().withClaimName(c).endPersistentVolumeClaim().build());
            }
            return spec.endSpec();
        }).build();
    }

    private static PersistentVolumeClaim claim(String name, String className, String volume) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withStorageClassName(className).withVolumeName(volume).endSpec().build();
    }

    private static PersistentVolume volume(String name, String hostname) {
        var b = new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().endSpec();
        if (hostname != null) {
            b.editSpec().withNewNodeAffinity().withNewRequired().withNodeSelectorTerms(new NodeSelectorTermBuilder()
                    .withMatchExpressions(new NodeSelectorRequirementBuilder().withKey("kubernetes.io/hostname")
                            .withOperator("In").withValues(hostname).build()).build())
                    .endRequired().endNodeAffinity().endSpec();
        }
        return b.build();
    }

    private static StorageClass storageClass(String name, String mode) {
        return new StorageClassBuilder().withNewMetadata().withName(name).endMetadata()
                .withProvisioner("kube4j.io/local-path").withVolumeBindingMode(mode).build();
    }

    private static Map<String, String> both(String reason) {
        return Map.of("n1", reason, "n2", reason);
    }

    static Stream<Case> cases() {
        StorageClass wffc = storageClass("local-path", "WaitForFirstConsumer");
        StorageClass immediate = storageClass("fast", "Immediate");
        PersistentVolumeClaim deleting = new PersistentVolumeClaimBuilder(claim("going", "local-path", "pv-1"))
                .editMetadata().withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build();
        return Stream.of(
                new Case("no claims", pod("p"), Objects.of(), Code.SUCCESS, both("")),
                new Case("a missing claim", claiming("data"), Objects.of(), Code.UNSCHEDULABLE_AND_UNRESOLVABLE,
                        both("persistentvolumeclaim \"data\" not found")),
                new Case("a claim being deleted", claiming("going"), Objects.of(deleting, volume("pv-1", null)),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, both("persistentvolumeclaim \"going\" is being deleted")),
                new Case("bound to a volume pinned to n1", claiming("data"),
                        Objects.of(claim("data", "local-path", "pv-1"), volume("pv-1", "n1"), wffc),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, Map.of("n1", "", "n2", VolumeBinding.NODE_CONFLICT)),
                new Case("bound to a volume without node affinity", claiming("data"),
                        Objects.of(claim("data", "local-path", "pv-1"), volume("pv-1", null)), Code.SUCCESS, both("")),
                new Case("two volumes pinned to different nodes", claiming("a", "b"),
                        Objects.of(claim("a", "", "pv-a"), volume("pv-a", "n1"), claim("b", "", "pv-b"), volume("pv-b", "n2")),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, both(VolumeBinding.NODE_CONFLICT)),
                new Case("bound to a volume that is gone", claiming("data"), Objects.of(claim("data", "local-path", "pv-x")),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, both(VolumeBinding.PV_NOT_EXIST)),
                new Case("unbound, WaitForFirstConsumer", claiming("data"), Objects.of(claim("data", "local-path", null), wffc),
                        Code.SUCCESS, both("")),
                new Case("unbound, Immediate", claiming("data"), Objects.of(claim("data", "fast", null), immediate),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, both(VolumeBinding.UNBOUND_IMMEDIATE)),
                new Case("unbound, no class", claiming("data"), Objects.of(claim("data", null, null)),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, both(VolumeBinding.UNBOUND_IMMEDIATE)),
                new Case("an unbound WaitForFirstConsumer claim next to a pinned one", claiming("new", "old"),
                        Objects.of(claim("new", "local-path", null), wffc, claim("old", "local-path", "pv-1"), volume("pv-1", "n2")),
                        Code.UNSCHEDULABLE_AND_UNRESOLVABLE, Map.of("n1", VolumeBinding.NODE_CONFLICT, "n2", "")));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void claimsDecideTheNodes(Case c) {
        Map<String, Status> statuses = PluginHarness.filter(new VolumeBinding(c.objects()), c.pod(), NODES);
        Map<String, String> reasons = new HashMap<>();
        statuses.forEach((n, s) -> reasons.put(n, s.message()));
        assertThat(reasons).isEqualTo(c.expected());
        Code worst = statuses.values().stream().map(Status::code).filter(code -> code != Code.SUCCESS).findFirst().orElse(Code.SUCCESS);
        assertThat(worst).isEqualTo(c.code());
    }

    @Test
    void withoutAViewOfTheVolumesEveryPodPasses() {
        assertThat(PluginHarness.reasons(new VolumeBinding(VolumeObjects.NONE), claiming("data"), NODES)).isEqualTo(both(""));
    }

    @Test
    void anEphemeralVolumeNamesItsClaimAfterThePod() {
        Pod pod = edit(pod("p"), b -> b.editSpec().addToVolumes(new VolumeBuilder().withName("scratch")
                .withNewEphemeral().withNewVolumeClaimTemplate().withNewSpec().endSpec().endVolumeClaimTemplate().endEphemeral()
                .build()).endSpec()).build();
        assertThat(PluginHarness.reasons(new VolumeBinding(Objects.of()), pod, NODES))
                .isEqualTo(both("persistentvolumeclaim \"p-scratch\" not found"));
    }
}
