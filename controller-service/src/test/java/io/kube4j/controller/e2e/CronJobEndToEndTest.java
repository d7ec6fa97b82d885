package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CronJobs on the real stack with the controller service in this JVM, driven by the real kubectl:
 * a one-minute schedule fires, its Job runs to completion (pods succeed when the test says so),
 * the CronJob records lastScheduleTime and lastSuccessfulTime; {@code kubectl create job
 * --from=cronjob/…} starts a run by hand; a suspended CronJob starts nothing.
 */
class CronJobEndToEndTest {

    static LocalCluster cluster;
    static ConfigurableApplicationContext controllers;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start();
        controllers = ControllerServiceTest.startControllers(cluster, "cron-a");
    }

    @AfterAll
    static void stop() {
        if (controllers != null) controllers.close();
        if (cluster != null) cluster.close();
    }

    static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within " + timeout);
            Thread.sleep(250);
        }
    }

    List<Job> jobs(String namespace) {
        return cluster.client().batch().v1().jobs().inNamespace(namespace).list().getItems();
    }

    CronJob cronJob(String namespace, String name) {
        return cluster.client().batch().v1().cronjobs().inNamespace(namespace).withName(name).get();
    }

    @Test
    void aOneMinuteScheduleFiresItsJobAndRecordsTheRun() throws Exception {
        Kubectl kubectl = cluster.kubectl();
        kubectl.ok("create", "namespace", "cron");
        try (var outcomes = new PodOutcomes(cluster.client(), "cron", p -> "Succeeded")) {
            assertThat(kubectl.ok("create", "cronjob", "tick", "--image=busybox", "--schedule=*/1 * * * *", "-n", "cron", "--", "sh", "-c", "date"))
                    .contains("cronjob.batch/tick created");
            assertThat(kubectl.ok("create", "job", "by-hand", "--from=cronjob/tick", "-n", "cron")).contains("job.batch/by-hand created");
            assertThat(kubectl.ok("wait", "--for=condition=complete", "job/by-hand", "-n", "cron", "--timeout=60s")).contains("condition met");

            await(Duration.ofSeconds(90), () -> jobs("cron").stream().anyMatch(j -> j.getMetadata().getName().matches("tick-[0-9]+")));
            Job scheduled = jobs("cron").stream().filter(j -> j.getMetadata().getName().matches("tick-[0-9]+")).findFirst().orElseThrow();
            long minutes = Long.parseLong(scheduled.getMetadata().getName().substring("tick-".length()));
            Instant runAt = Instant.ofEpochSecond(minutes * 60);
            assertThat(scheduled.getMetadata().getAnnotations()).containsEntry("batch.kubernetes.io/cronjob-scheduled-timestamp", runAt.toString());
            assertThat(scheduled.getMetadata().getOwnerReferences().getFirst().getKind()).isEqualTo("CronJob");
            assertThat(kubectl.ok("wait", "--for=condition=complete", "job/" + scheduled.getMetadata().getName(), "-n", "cron", "--timeout=60s"))
                    .contains("condition met");

            await(Duration.ofSeconds(30), () -> {
                CronJob cj = cronJob("cron", "tick");
                return cj.getStatus() != null && cj.getStatus().getLastSuccessfulTime() != null
                        && (cj.getStatus().getActive() == null || cj.getStatus().getActive().stream().noneMatch(r -> r.getName().equals(scheduled.getMetadata().getName())));
            });
            CronJob cj = cronJob("cron", "tick");
            assertThat(Instant.parse(cj.getStatus().getLastScheduleTime())).isAfterOrEqualTo(runAt);
            String table = kubectl.ok("get", "cronjob", "tick", "-n", "cron");
            assertThat(table).contains("*/1 * * * *").containsPattern("tick\\s+\\*/1 \\* \\* \\* \\*\\s+<none>\\s+False\\s+\\d+\\s+\\d+s");
            await(Duration.ofSeconds(30), () -> kubectl.ok("describe", "cronjob", "tick", "-n", "cron").contains("Created job tick-"));

            // Suspended: no further run, even across a minute boundary.
            kubectl.ok("patch", "cronjob", "tick", "-n", "cron", "-p", "{\"spec\":{\"suspend\":true}}");
            Thread.sleep(1000);
            long before = jobs("cron").size();
            // Until just past the next minute boundary, when the schedule would have fired.
            Thread.sleep(Duration.ofSeconds(65 - Instant.now().getEpochSecond() % 60));
            assertThat(jobs("cron")).hasSize((int) before);
        }
    }
}
