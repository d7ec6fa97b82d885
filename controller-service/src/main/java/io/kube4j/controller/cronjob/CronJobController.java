package io.kube4j.controller.cronjob;

import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.EnqueueHandler.Event;
import io.kube4j.controller.pods.SpamFilteredEvents;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;

/**
 * kube-controller-manager's {@code cronjob} controller. CronJob events enqueue the CronJob; Job
 * events enqueue the CronJob that controls the Job. The reconciler asks to be woken at the next
 * start time, so no periodic poll is needed.
 */
@Component
public final class CronJobController implements ManagedController {

    private final Clock clock;

    public CronJobController(Clock clock) {
        this.clock = clock;
    }

    @Override
    public String name() {
        return "cronjob";
    }

    @Override
    public Controller build(ControllerContext context) {
        var cronJobs = context.informers().informer(BuiltInTypes.CRON_JOB, CronJob.class);
        var jobs = context.informers().informer(BuiltInTypes.JOB, Job.class);
        var reconciler = new CronJobReconciler(cronJobs.cache(), jobs.cache(), context.objects(),
                new SpamFilteredEvents(context.events("cronjob-controller"), clock), clock);
        Controller controller = context.controller(name(), reconciler, cronJobs.cache());
        cronJobs.addHandler(EnqueueHandler.<CronJob>forObject(controller).on(Event.ADD, Event.UPDATE));
        jobs.addHandler(EnqueueHandler.forOwner(controller, "CronJob"));
        return controller;
    }
}
