package io.kube4j.controller.e2e;

import io.kube4j.controller.ControllerApplication;
import io.kube4j.controller.runtime.ControllerManager;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.TestClassesExcluded;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts the controller service in this JVM against a {@link LocalCluster}, as the launcher starts it. */
final class ControllerServices {

    private ControllerServices() {}

    /** The controller service with the system clock and the given extra arguments ({@code --name=value}). */
    static ConfigurableApplicationContext start(LocalCluster cluster, String replica, String... extraArguments) {
        return start(cluster, replica, null, extraArguments);
    }

    /**
     * The controller service whose controllers read {@code clock} (the system clock when null), returned once its
     * controllers run: the manager starts them after every informer has listed, after the context is up, and a
     * loaded machine's slow start must not count against a test's own deadlines.
     */
    static ConfigurableApplicationContext start(LocalCluster cluster, String replica, Clock clock, String... extraArguments) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--spring.main.banner-mode=off",
                "--kube4j.controllers.kubeconfig=" + cluster.kubeconfig(),
                "--kube4j.controllers.kafka-bootstrap-servers=" + cluster.kafkaBootstrapServers(),
                "--kube4j.controllers.partitions=" + LocalCluster.PARTITIONS,
                "--kube4j.controllers.replica-id=" + replica));
        arguments.addAll(List.of(extraArguments));
        SpringApplication app = TestClassesExcluded.application(ControllerApplication.class);
        if (clock != null) app.addInitializers(context -> context.getBeanFactory().registerSingleton("testClock", clock));
        ConfigurableApplicationContext context = app.run(arguments.toArray(String[]::new));
        var manager = context.getBean(ControllerManager.class);
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
}
