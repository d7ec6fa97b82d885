package io.kube4j.controller.e2e;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kube4j.testcluster.LocalCluster;
import io.kube4j.testsupport.Kubectl;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CronJobs on the real stack with the controller service in this JVM, driven by the real kubectl:
 * a one-minute schedule fires, its Job runs to completion (pods succeed when the test says so),
 * the CronJob records lastScheduleTime and lastSuccessfulTime; {@code kubectl create job
 * --from=cronjob/…} starts a run by hand; a suspended CronJob starts nothing, even past its next
 * start time (the controllers' clock moves ahead to it), and resumed it starts the run it missed.
 */
@ExtendWith(SharedControlPlane.Extension.class)
class CronJobEndToEndTest {

    static LocalCluster cluster;
    static SharedControlPlane plane;

    @BeforeAll
    static void start(SharedControlPlane shared) {
        plane = shared;
        cluster = shared.cluster();
    }

    @AfterAll
    static void stop() {
        // A schedule left running would start a Job a minute in the controllers other classes share.
        if (plane != null) plane.deleteNamespaces("cron");
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

            // Suspended: no further run, even once the next start time has passed. Rather than wait for the
            // wall clock's next minute, the controllers' clock moves a minute ahead, and a change to the
            // CronJob makes the controller look at it again.
            kubectl.ok("patch", "cronjob", "tick", "-n", "cron", "-p", "{\"spec\":{\"suspend\":true}}");
            Thread.sleep(1000);
            List<String> before = jobs("cron").stream().map(j -> j.getMetadata().getName()).toList();
            plane.clock().advance(Duration.ofMinutes(1));
            Instant missed = Instant.ofEpochSecond((plane.clock().instant().getEpochSecond() / 60) * 60);
            assertThat(missed).as("a start time passed while suspended").isAfter(runAt);
            kubectl.ok("annotate", "cronjob", "tick", "-n", "cron", "example.com/looked-at=again");
            Thread.sleep(2000);
            assertThat(jobs("cron")).hasSameSizeAs(before);

            // Resumed, it starts the run it missed (no startingDeadlineSeconds: however late).
            kubectl.ok("patch", "cronjob", "tick", "-n", "cron", "-p", "{\"spec\":{\"suspend\":false}}");
            await(Duration.ofSeconds(30), () -> jobs("cron").size() == before.size() + 1);
            Job resumed = jobs("cron").stream().filter(j -> !before.contains(j.getMetadata().getName())).findFirst().orElseThrow();
            Instant resumedAt = Instant.parse(resumed.getMetadata().getAnnotations().get("batch.kubernetes.io/cronjob-scheduled-timestamp"));
            assertThat(resumedAt).isAfterOrEqualTo(missed);
            assertThat(resumed.getMetadata().getName()).isEqualTo("tick-" + resumedAt.getEpochSecond() / 60);
        }
    }
}
