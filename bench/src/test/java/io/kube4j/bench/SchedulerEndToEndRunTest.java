package io.kube4j.bench;

import io.kube4j.scheduler.service.SchedulerApplication;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.TestClassesExcluded;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Part (b) of the scheduler benchmark, scaled down, on the real stack with the scheduler service in this JVM:
 * every pod is bound to one of the benchmark's nodes, and the run removes what it made.
 */
class SchedulerEndToEndRunTest {

    @Test
    void bindsEveryPodAndCleansUp() throws Exception {
        try (LocalCluster cluster = LocalCluster.start();
             ConfigurableApplicationContext scheduler = TestClassesExcluded.application(SchedulerApplication.class).run(
                     "--server.port=0",
                     "--spring.main.banner-mode=off",
                     "--kube4j.gateway.tls.enabled=false",
                     "--kube4j.scheduler.kubeconfig=" + cluster.kubeconfig(),
                     "--kube4j.scheduler.kafka-bootstrap-servers=" + cluster.kafkaBootstrapServers(),
                     "--kube4j.scheduler.partitions=" + LocalCluster.PARTITIONS,
                     "--kube4j.scheduler.leader-elect=false")) {
            // -Dbench.e2e.nodes / -Dbench.e2e.pods run it at the benchmark's scale (1,000 / 3,000) on this stack;
            // -Dbench.e2e.concurrency sets the creates in flight (the benchmark's default 64).
            int nodes = Integer.getInteger("bench.e2e.nodes", 20);
            int pods = Integer.getInteger("bench.e2e.pods", 100);
            int concurrency = Integer.getInteger("bench.e2e.concurrency", 64);
            SchedulerEndToEndRun.Result r = new SchedulerEndToEndRun(cluster.client(), concurrency).run(nodes, pods, Duration.ofSeconds(300));
            System.out.printf("e2e: %d nodes, %d pods created in %.2f s (%.0f creates/s), %d bound in %.2f s = %.0f pods/s%n",
                    r.nodes(), r.pods(), r.createSeconds(), r.createsPerSecond(), r.bound(), r.seconds(), r.podsPerSecond());
            assertThat(r.bound()).isEqualTo(pods);
            assertThat(r.podsPerSecond()).isPositive();
            // At the full scale, deleting 1,000 nodes may outlast the client timeout on a loaded machine; the run reports it.
            if (nodes <= 100) assertThat(cluster.client().nodes().withLabel("kube4j.io/bench").list().getItems()).isEmpty();
        }
    }
}
