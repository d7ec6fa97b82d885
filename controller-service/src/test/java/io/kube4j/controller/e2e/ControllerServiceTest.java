package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kube4j.testcluster.LocalCluster;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller service on the real stack (etcd, Kafka, relay, gateway), driven by kubectl. */
@ExtendWith(SharedControlPlane.Extension.class)
class ControllerServiceTest {

    static LocalCluster cluster;

    @BeforeAll
    static void start(SharedControlPlane plane) {
        cluster = plane.cluster();
    }

    @Test
    void everyNamespaceGetsADefaultServiceAccountAgainAfterItIsDeleted() throws Exception {
        cluster.kubectl().ok("create", "namespace", "team-a");
        await(() -> cluster.kubectl().run("get", "serviceaccount", "default", "-n", "team-a").ok());
        assertThat(cluster.kubectl().ok("get", "serviceaccounts", "-n", "team-a", "-o", "name")).contains("serviceaccount/default");

        cluster.kubectl().ok("delete", "serviceaccount", "default", "-n", "team-a");
        await(() -> cluster.kubectl().run("get", "serviceaccount", "default", "-n", "team-a").ok());

        cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-b").endMetadata().build()).create();
        await(() -> cluster.client().serviceAccounts().inNamespace("team-b").withName("default").get() != null);
        assertThat(cluster.kubectl().ok("get", "serviceaccount", "default", "-n", "default", "-o", "name")).contains("default");
    }

    static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 60 s");
            Thread.sleep(100);
        }
    }
}
