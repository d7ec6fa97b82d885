package io.kube4j.packaging;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.testcontainers.Kube4jCluster;
import io.kube4j.testcontainers.Kube4jExtension;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed's day-one walkthrough ({@link DayOneWalkthrough}) on the Testcontainers cluster the
 * other suites share — the same one the launcher's and compose's clusters pass — with the real
 * kubectl on the kubeconfig {@link Kube4jCluster} hands out and the NodePort called at the first
 * node container's address.
 */
@ExtendWith({Kube4jImagesBuilt.class, Kube4jExtension.class})
class TestcontainersWalkthroughTest {

    @Test
    void theDayOneWalkthroughPasses(Kube4jCluster cluster, KubernetesClient client, @TempDir Path dir) throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), cluster.kubeconfig());
        Kubectl kubectl = Kubectl.forKubeconfig(kubeconfig);
        kubectl.ok("create", "namespace", "tc-walkthrough");
        // The walkthrough runs in kubectl's current namespace.
        kubectl.ok("config", "set-context", "--current", "--namespace=tc-walkthrough");
        DayOneWalkthrough.passes(kubectl, EchoWorkload.internalIp(client, cluster.nodeNames().getFirst()));
    }
}
