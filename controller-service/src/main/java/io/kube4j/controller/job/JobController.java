package io.kube4j.controller.job;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.pods.Expectations;
import io.kube4j.controller.pods.Owners;
import io.kube4j.controller.pods.Selectors;
import io.kube4j.controller.pods.SpamFilteredEvents;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;

/**
 * kube-controller-manager's {@code job} controller, with the {@code ttl-after-finished} one folded
 * in (a finished Job's only remaining duty). Handlers only enqueue Job keys and feed the
 * {@link Expectations}: a pod's arrival is an observed creation of its Job, its deletion (or its
 * deletionTimestamp) an observed deletion; an orphan wakes every Job whose selector matches it.
 */
@Component
public final class JobController implements ManagedController {

    @Override
    public String name() {
        return "job";
    }

    @Override
    public Controller build(ControllerContext context) {
        var jobs = context.informers().informer(BuiltInTypes.JOB, Job.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        Clock clock = Clock.systemUTC();
        Expectations expectations = new Expectations(clock, Expectations.DEFAULT_TIMEOUT);
        var reconciler = new JobReconciler(jobs.cache(), pods.cache(), context.objects(),
                new SpamFilteredEvents(context.events("job-controller"), clock), expectations,
                Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("job-pods-", 0).factory()), clock);
        Controller controller = context.controller(name(), reconciler, jobs.cache());
        jobs.addHandler(EnqueueHandler.<Job>forObject(controller).beforeDelete(job -> expectations.forget(ObjectKeys.key(job))));
        pods.addHandler(new PodHandler(jobs.cache(), expectations, controller));
        return controller;
    }

    /** Maps pod events to the Jobs they concern. */
    record PodHandler(Cache<Job> jobs, Expectations expectations, Controller controller) implements ResourceEventHandler<Pod> {

        @Override
        public void onAdd(Pod pod) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                onDelete(pod, false);
                return;
            }
            Job job = resolve(pod);
            if (job != null) {
                expectations.creationObserved(ObjectKeys.key(job));
                controller.enqueue(ObjectKeys.key(job));
            } else if (Owners.controllerOf(pod) == null) {
                enqueueMatching(pod);
            }
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            if (Objects.equals(old.getMetadata().getResourceVersion(), pod.getMetadata().getResourceVersion())) return;
            if (pod.getMetadata().getDeletionTimestamp() != null && old.getMetadata().getDeletionTimestamp() == null) {
                onDelete(pod, false);
                return;
            }
            Job previous = resolve(old);
            Job job = resolve(pod);
            if (previous != null && previous != job) controller.enqueue(ObjectKeys.key(previous));
            if (job != null) controller.enqueue(ObjectKeys.key(job));
            else if (Owners.controllerOf(pod) == null) enqueueMatching(pod);
        }

        @Override
        public void onDelete(Pod pod, boolean unknown) {
            Job job = resolve(pod);
            if (job == null) return;
            String key = ObjectKeys.key(job);
            expectations.deletionObserved(key, ObjectKeys.key(pod));
            controller.enqueue(key);
        }

        private Job resolve(Pod pod) {
            OwnerReference ref = Owners.controllerOf(pod);
            if (ref == null || !"Job".equals(ref.getKind())) return null;
            return jobs.get(pod.getMetadata().getNamespace(), ref.getName())
                    .filter(job -> job.getMetadata().getUid().equals(ref.getUid())).orElse(null);
        }

        private void enqueueMatching(Pod pod) {
            for (Job job : jobs.list(pod.getMetadata().getNamespace())) {
                if (job.getSpec() == null || job.getSpec().getSelector() == null) continue;
                if (Selectors.matches(Selectors.of(job.getSpec().getSelector()), pod.getMetadata().getLabels())) {
                    controller.enqueue(ObjectKeys.key(job));
                }
            }
        }
    }
}
