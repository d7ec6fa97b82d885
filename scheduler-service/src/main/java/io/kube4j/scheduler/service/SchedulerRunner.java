package io.kube4j.scheduler.service;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.machinery.controller.LeaderElection;
import io.kube4j.machinery.informer.Informer;
import io.kube4j.scheduler.scheduling.Scheduler;
import io.kube4j.scheduler.queue.SchedulingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the scheduler: starts the informers (every replica keeps its cache warm), campaigns for the Lease, and
 * while leader runs the scheduling loop on one thread, plus the queue's timers (backoff flush every second,
 * the unschedulable leftover flush every 30 s). Losing the Lease stops the loop at once, so two replicas never
 * decide at the same time; a replica that regains it starts the loop again.
 */
public final class SchedulerRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SchedulerRunner.class);

    private final SchedulerProperties properties;
    private final KubernetesClient client;
    private final Scheduler scheduler;
    private final SchedulingQueue queue;
    private final List<Informer<?>> informers;
    private final ExecutorService binding;
    private ScheduledExecutorService timers;
    private LeaderElection election;
    private volatile Thread loop;
    private volatile boolean running;

    public SchedulerRunner(SchedulerProperties properties, KubernetesClient client, Scheduler scheduler,
                           SchedulingQueue queue, Informer<Pod> pods, Informer<Node> nodes,
                           Informer<Namespace> namespaces, ExecutorService binding) {
        this.properties = properties;
        this.client = client;
        this.scheduler = scheduler;
        this.queue = queue;
        this.informers = List.of(namespaces, nodes, pods);
        this.binding = binding;
    }

    @Override
    public synchronized void start() {
        running = true;
        informers.forEach(Informer::start);
        timers = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().name("scheduler-timers").daemon().unstarted(r));
        timers.scheduleWithFixedDelay(queue::flushBackoffCompleted, 1, 1, TimeUnit.SECONDS);
        timers.scheduleWithFixedDelay(queue::flushUnschedulableLeftover, 30, 30, TimeUnit.SECONDS);
        if (properties.leaderElect()) {
            election = LeaderElection.start(client, properties.leaseNamespace(), properties.leaseName(),
                    properties.replicaId(), properties.leaseDuration(), this::startLoop, this::stopLoop);
        } else {
            startLoop();
        }
    }

    /** Starts the scheduling loop once the informers hold complete lists (a partial cache would overcommit). */
    private synchronized void startLoop() {
        if (!running || loop != null) return;
        log.info("{} schedules now", properties.replicaId());
        // Published before it starts: the thread runs while it is the one in `loop`, and with informers already
        // synced it checks that at once (started first, it could find `loop` still null and end silently).
        Thread t = Thread.ofPlatform().name("scheduler-loop").unstarted(() -> {
            try {
                for (Informer<?> informer : informers) {
                    while (!informer.awaitSynced(Duration.ofSeconds(30))) {
                        log.info("waiting for the first list of {}", informer.resource().plural());
                    }
                }
                while (loop == Thread.currentThread()) {
                    scheduler.scheduleOne(Duration.ofMillis(500));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                log.error("the scheduling loop stopped", e);
            }
        });
        loop = t;
        t.start();
    }

    private synchronized void stopLoop() {
        Thread t = loop;
        loop = null;
        if (t != null) {
            log.info("{} stops scheduling", properties.replicaId());
            t.interrupt();
        }
    }

    /** Whether this replica's scheduling loop runs (it leads). */
    public boolean isScheduling() {
        return loop != null;
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (election != null) election.close();
        stopLoop();
        if (timers != null) timers.shutdownNow();
        binding.shutdown();
        try {
            binding.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        informers.forEach(Informer::close);
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
