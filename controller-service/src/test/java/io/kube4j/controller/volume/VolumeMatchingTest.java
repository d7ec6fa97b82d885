package io.kube4j.controller.volume;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeMatchingTest {

    /** Settings {@code key=value} separated by spaces; list values by {@code +}. */
    static Map<String, String> settings(String text) {
        return Arrays.stream(text.split(" ")).filter(x -> !x.isBlank())
                .collect(Collectors.toMap(x -> x.substring(0, x.indexOf('=')), x -> x.substring(x.indexOf('=') + 1)));
    }

    /** A volume {@code name=pv1 size=5Gi class=fast modes=ReadWriteOnce+ReadOnlyMany phase=Available label=tier:gold claim=ns/name[/uid] node=n1 mode=Block}. */
    static PersistentVolume volume(String text) {
        Map<String, String> s = settings(text);
        var b = new PersistentVolumeBuilder().withNewMetadata().withName(s.get("name")).endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new Quantity(s.getOrDefault("size", "1Gi"))))
                .withAccessModes(s.getOrDefault("modes", "ReadWriteOnce").split("\\+"))
                .withStorageClassName(s.get("class")).withVolumeMode(s.get("mode")).endSpec()
                .withNewStatus().withPhase(s.getOrDefault("phase", "Available")).endStatus();
        if (s.containsKey("label")) b.editMetadata().addToLabels(s.get("label").split(":")[0], s.get("label").split(":")[1]).endMetadata();
        if (s.containsKey("claim")) {
            String[] c = s.get("claim").split("/");
            b.editSpec().withNewClaimRef().withNamespace(c[0]).withName(c[1]).withUid(c.length > 2 ? c[2] : null).endClaimRef().endSpec();
        }
        if (s.containsKey("node")) {
            b.editSpec().withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression().withKey("kubernetes.io/hostname")
                    .withOperator("In").withValues(s.get("node")).endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity().endSpec();
        }
        return b.build();
    }

    /** The claim default/data (uid c1) {@code size=1Gi class=fast modes=… selector=tier:gold mode=Block}. */
    static PersistentVolumeClaim claim(String text) {
        Map<String, String> s = settings(text);
        var b = new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("default").withName("data").withUid("c1").endMetadata()
                .withNewSpec().withAccessModes(s.getOrDefault("modes", "ReadWriteOnce").split("\\+"))
                .withNewResources().addToRequests("storage", new Quantity(s.getOrDefault("size", "1Gi"))).endResources()
                .withStorageClassName(s.get("class")).withVolumeMode(s.get("mode")).endSpec();
        if (s.containsKey("selector")) b.editSpec().withNewSelector().addToMatchLabels(s.get("selector").split(":")[0], s.get("selector").split(":")[1]).endSelector().endSpec();
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // case | claim | volumes (;) | consumer node | chosen
            "the smallest volume that fits | size=2Gi | name=a size=10Gi; name=b size=3Gi; name=c size=1Gi | - | b",
            "an exact size fits | size=1Gi | name=a size=1Gi | - | a",
            "too small fits nothing | size=5Gi | name=a size=1Gi | - | -",
            "class must be equal | size=1Gi class=fast | name=a; name=b class=slow; name=c class=fast | - | c",
            "no class matches only volumes without one | size=1Gi | name=a class=fast; name=b | - | b",
            "every access mode asked for must be offered | modes=ReadWriteOnce+ReadOnlyMany | name=a; name=b modes=ReadOnlyMany+ReadWriteOnce | - | b",
            "the selector filters by labels | selector=tier:gold | name=a size=1Gi; name=b size=2Gi label=tier:gold | - | b",
            "volumes not Available are skipped | '' | name=a phase=Released; name=b phase=Pending | - | -",
            "a volume bound to another claim is skipped | '' | name=a claim=default/other/x | - | -",
            "a volume pre-bound to this claim wins over a better fit | size=1Gi | name=a size=1Gi; name=b size=9Gi claim=default/data | - | b",
            "pre-bound with this claim's uid wins even when Bound | '' | name=b phase=Bound claim=default/data/c1 | - | b",
            "pre-bound to an older claim of the name does not | '' | name=b phase=Bound claim=default/data/old | - | -",
            "volume modes must agree | mode=Block | name=a; name=b mode=Block | - | b",
            "node affinity must admit the consumer's node | '' | name=a node=n2; name=b size=2Gi node=n1 | n1 | b",
            "without a consumer node affinity is not checked | '' | name=a node=n2 | - | a",
    })
    void choosesTheVolume(String name, String claim, String volumes, String node, String chosen) {
        List<PersistentVolume> list = Arrays.stream(volumes.split(";")).map(String::trim).map(VolumeMatchingTest::volume).toList();
        var consumer = node == null ? null : new NodeBuilder().withNewMetadata().withName(node).addToLabels("kubernetes.io/hostname", node).endMetadata().build();
        PersistentVolume best = VolumeMatching.best(claim(claim), list, consumer);
        assertThat(best == null ? null : best.getMetadata().getName()).isEqualTo(chosen);
    }
}
