package io.kube4j.testcluster;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.machinery.controller.LeaderElection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link LeaderElection} on a real gateway: a leader that loses its Lease stops, then wins it back once it is free. */
class LeaderElectionTest {

    static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) cluster.close();
    }

    @Test
    void aLeaderThatLosesTheLeaseCampaignsAgainAndLeadsOnceItIsFree() throws Exception {
        AtomicInteger started = new AtomicInteger();
        AtomicInteger stopped = new AtomicInteger();
        try (LeaderElection election = LeaderElection.start(cluster.client(), "default", "lost-and-won", "replica-a",
                Duration.ofSeconds(3), started::incrementAndGet, stopped::incrementAndGet)) {
            await(() -> started.get() == 1);

            // Another holder takes the Lease (as after this replica's renewals failed): the replica must stop leading.
            var leases = cluster.client().leases().inNamespace("default").withName("lost-and-won");
            // (The leader renews meanwhile, so the write may meet a newer version: try again then.)
            for (int attempt = 0; ; attempt++) {
                try {
                    leases.edit(lease -> {
                        lease.getSpec().setHolderIdentity("replica-b");
                        lease.getSpec().setRenewTime(ZonedDateTime.now());
                        lease.getSpec().setAcquireTime(ZonedDateTime.now());
                        return lease;
                    });
                    break;
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 409 || attempt > 20) throw e;
                }
            }
            await(() -> stopped.get() == 1);

            // replica-b never renews: once its lease has run out, replica-a leads again.
            await(() -> started.get() == 2);
            Lease lease = leases.get();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("replica-a");
            assertThat(stopped.get()).isEqualTo(1);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 60 s");
            Thread.sleep(100);
        }
    }
}
