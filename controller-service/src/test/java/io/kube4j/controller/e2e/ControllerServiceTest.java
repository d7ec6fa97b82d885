package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kube4j.controller.ControllerApplication;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.TestClassesExcluded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** The controller service on the real stack (etcd, Kafka, relay, gateway), driven by kubectl. */
class ControllerServiceTest {

    static LocalCluster cluster;
    static ConfigurableApplicationContext controllers;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start();
        controllers = startControllers(cluster, "replica-a");
    }

    static ConfigurableApplicationContext startControllers(LocalCluster cluster, String replica, String... extraArguments) {
        java.util.List<String> arguments = new java.util.ArrayList<>(java.util.List.of(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--kube4j.controllers.kubeconfig=" + cluster.kubeconfig(),
                "--kube4j.controllers.kafka-bootstrap-servers=" + cluster.kafkaBootstrapServers(),
                "--kube4j.controllers.partitions=" + LocalCluster.PARTITIONS,
                "--kube4j.controllers.replica-id=" + replica));
        arguments.addAll(java.util.List.of(extraArguments));
        ConfigurableApplicationContext context = TestClassesExcluded.application(ControllerApplication.class)
                .run(arguments.toArray(String[]::new));
        // The manager starts its controllers once every informer has listed, after the context is up:
        // wait for that, so a loaded machine's slow start is not counted against a test's own deadline.
        var manager = context.getBean(io.kube4j.controller.runtime.ControllerManager.class);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!manager.isRunning() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return context;
    }

    @AfterAll
    static void stop() {
        if (controllers != null) controllers.close();
        if (cluster != null) cluster.close();
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
