package io.kube4j.controller.volume;

import io.fabric8.kubernetes.api.model.HostPathVolumeSource;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeCleanupTest {

    static final Path BASE = Path.of("/data/local-path");

    static PersistentVolume volume(String provisioner, String path, String node) {
        PersistentVolume pv = VolumeMatchingTest.volume("name=pvc-1" + (node.equals("-") ? "" : " node=" + node));
        if (!provisioner.equals("-")) pv.getMetadata().setAnnotations(Map.of("pv.kubernetes.io/provisioned-by", provisioner));
        if (!path.equals("-")) pv.getSpec().setHostPath(new HostPathVolumeSource(path, "DirectoryOrCreate"));
        return pv;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no cleanup pod yet | kube4j.io/local-path | /data/local-path/ns_c_pvc-1 | n1 | true | - | START_CLEANUP",
            "pending | kube4j.io/local-path | /data/local-path/ns_c_pvc-1 | n1 | true | Pending | WAIT",
            "running | kube4j.io/local-path | /data/local-path/ns_c_pvc-1 | n1 | true | Running | WAIT",
            "succeeded | kube4j.io/local-path | /data/local-path/ns_c_pvc-1 | n1 | true | Succeeded | CLEANED",
            "failed | kube4j.io/local-path | /data/local-path/ns_c_pvc-1 | n1 | true | Failed | FAILED",
            "node gone | kube4j.io/local-path | /data/local-path/ns_c_pvc-1 | n1 | false | - | DELETE_VOLUME",
            "another provisioner's volume | example.com/nfs | /data/local-path/ns_c_pvc-1 | n1 | true | - | DELETE_VOLUME",
            "a hand-made volume | - | /data/local-path/ns_c_pvc-1 | n1 | true | - | DELETE_VOLUME",
            "outside the base directory | kube4j.io/local-path | /etc/ns_c_pvc-1 | n1 | true | - | DELETE_VOLUME",
            "the base directory itself | kube4j.io/local-path | /data/local-path | n1 | true | - | DELETE_VOLUME",
            "escaping the base with .. | kube4j.io/local-path | /data/local-path/../x | n1 | true | - | DELETE_VOLUME",
            "not pinned to a node | kube4j.io/local-path | /data/local-path/ns_c_pvc-1 | - | true | - | DELETE_VOLUME",
            "no hostPath | kube4j.io/local-path | - | n1 | true | - | DELETE_VOLUME",
    })
    void decides(String name, String provisioner, String path, String node, boolean nodeExists, String podPhase, VolumeCleanup.Step step) {
        Pod pod = podPhase.equals("-") ? null
                : new PodBuilder().withNewMetadata().withName("cleanup-pvc-1").endMetadata().withNewStatus().withPhase(podPhase).endStatus().build();
        assertThat(VolumeCleanup.decide(volume(provisioner, path, node), pod, nodeExists, BASE)).isEqualTo(step);
    }
}
