package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kube4j.node.cri.api.PodSandboxConfig;
import io.kube4j.node.pod.PodStatusComputer.Observations;
import io.kube4j.node.pod.PodStatusComputer.Waiting;
import io.kube4j.node.probe.ProbeManager;
import io.kube4j.node.runtime.ContainerRuntime;
import io.kube4j.node.runtime.RuntimeSnapshot;
import io.kube4j.node.runtime.RuntimeSnapshot.ContainerState;
import io.kube4j.node.runtime.RuntimeSnapshot.PodRuntimeStatus;
import io.kube4j.node.runtime.RuntimeSnapshot.SandboxState;
import io.kube4j.node.volume.VolumeManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The executor of {@link PodActions}: syncs one pod key — reads the pod from the informer's cache
 * and the runtime's state, computes the actions, carries them out through the runtime, then
 * patches {@code pods/{name}/status} when the status the kubelet would report differs from the
 * pod's. A deleted pod's containers are stopped within its grace period, then the pod is deleted
 * for good ({@code gracePeriodSeconds=0}); a pod gone from the cache has its sandbox, containers
 * and volumes removed.
 *
 * <p>Called by {@link PodWorkers}: never concurrently for one key.
 */
public final class PodSyncer {

    private static final Logger log = LoggerFactory.getLogger(PodSyncer.class);

    /** What the syncer needs to know of its node. */
    public record NodeFacts(String nodeName, String hostIP, Map<String, Quantity> allocatable, PodDns.ClusterDns dns) {
    }

    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final VolumeManager volumes;
    private final ProbeManager probes;
    private final EnvResolver.Objects objects;
    private final Function<String, Pod> cache;
    private final NodeFacts node;
    private final Path logsDir;
    private final Clock clock;
    private final PodEvents events;
    private PodWorkers workers;
    /** Image pull failures by pod uid + container name: how many, and when the last one was. */
    private final Map<String, PullFailure> pullFailures = new ConcurrentHashMap<>();
    /** Why a container could not be created (config or runtime error), by pod uid + container name. */
    private final Map<String, Waiting> createErrors = new ConcurrentHashMap<>();
    /**
     * Images the runtime was seen to hold (by name): a burst of pods of one image asks the runtime
     * once, not once per container. An image removed behind the agent's back shows as a failed
     * container creation, which forgets it here so that the next attempt asks again.
     */
    private final Set<String> presentImages = ConcurrentHashMap.newKeySet();
    /**
     * When a waiting container's back-off was last told as an event, by pod uid + container name:
     * every one-second resync finds it still waiting, and the kubelet, which looks again only
     * every ten seconds or so, counts its BackOff events at that pace.
     */
    private final Map<String, Instant> waitingTold = new ConcurrentHashMap<>();
    static final Duration WAITING_EVENT_INTERVAL = Duration.ofSeconds(10);

    /** The conditions this agent last wrote for each pod, by uid: see {@link PodStatusComputer#keepTransitionTimes}. */
    private final Map<String, List<io.fabric8.kubernetes.api.model.PodCondition>> writtenConditions = new ConcurrentHashMap<>();

    /** Pods whose volumes could not be set up, by uid. */
    private final Map<String, Failures> mountFailures = new ConcurrentHashMap<>();
    /** Pods whose sandbox could not be created, by uid. */
    private final Map<String, Failures> sandboxFailures = new ConcurrentHashMap<>();

    /** How many times in a row a step failed for a pod, and when to try it again. */
    private record Failures(int count, Instant retryAt) {
        /** One more failure after {@code last} (null: the first), at {@code now}: the next try after 1 s doubling to 32 s. */
        static Failures after(Failures last, Instant now) {
            int count = last == null ? 1 : last.count() + 1;
            return new Failures(count, now.plusSeconds(1L << Math.min(count - 1, 5)));
        }
    }
    /** The uids of pods whose containers are being stopped for deletion. */
    private final Set<String> terminating = ConcurrentHashMap.newKeySet();

    /**
     * The status written for an evicted pod, by uid, until the cache shows it: a sync from a cache
     * that has not yet seen the eviction must not report the pod Running again.
     */
    private final Map<String, PodStatus> evicted = new ConcurrentHashMap<>();

    private record PullFailure(int count, Instant at, String message) {
    }

    private volatile Duration endpointDrain = Duration.ZERO;

    public PodSyncer(KubernetesClient client, ContainerRuntime runtime, VolumeManager volumes, ProbeManager probes,
                     EnvResolver.Objects objects, Function<String, Pod> cache, NodeFacts node, Path logsDir, Clock clock,
                     PodEvents events) {
        this.client = client;
        this.runtime = runtime;
        this.volumes = volumes;
        this.probes = probes;
        this.objects = objects;
        this.cache = cache;
        this.node = node;
        this.logsDir = logsDir;
        this.clock = clock;
        this.events = events;
    }

    public void setWorkers(PodWorkers workers) {
        this.workers = workers;
    }

    /** Syncs the pod {@code namespace/name}. */
    public void sync(String key) {
        Pod cached = cache.apply(key);
        if (cached == null) return;
        Pod pod = withEviction(cached);
        String uid = pod.getMetadata().getUid();
        long t0 = System.nanoTime();
        PodRuntimeStatus before = runtime.snapshot().pod(uid);
        long tListed = System.nanoTime();
        Instant now = clock.instant();
        PodActions actions = PodActions.compute(pod, before, now, probes.unhealthy(uid));
        Map<String, Waiting> waiting = new HashMap<>();
        actions.waiting().forEach((name, message) -> {
            waiting.put(name, new Waiting("CrashLoopBackOff",
                    message + " pod=" + pod.getMetadata().getName() + "_" + pod.getMetadata().getNamespace() + "(" + uid + ")"));
            container(pod, name).ifPresent(c -> {
                if (waitingToldNow(uid, c, now)) events.crashBackOff(pod, c);
            });
        });
        Duration requeue = actions.requeueAfter();
        boolean deleting = pod.getMetadata().getDeletionTimestamp() != null;

        if (actions.killPod()) {
            killPod(pod, before, gracePeriod(pod));
        }
        for (PodActions.Kill kill : actions.kill()) {
            log.info("stopping container {} of pod {}: {}", kill.name(), key, kill.reason());
            container(pod, kill.name()).ifPresent(c -> events.killing(pod, c,
                    kill.reason().startsWith("Container ") ? kill.reason() : "Stopping container " + c.getName()));
            runtime.stopContainer(kill.containerId(), containerGrace(pod));
        }
        String sandboxId = before.sandbox() == null ? null : before.sandbox().id();
        PodSandboxConfig sandboxConfig = null;
        if (actions.createSandbox()) {
            Failures lastSandboxFailure = sandboxFailures.get(uid);
            if (lastSandboxFailure != null && now.isBefore(lastSandboxFailure.retryAt())) {
                // The runtime's events about the failed sandbox must not turn its back-off into a busy loop.
                workers.enqueueAfter(key, Duration.between(now, lastSandboxFailure.retryAt()));
                return;
            }
            if (!volumesReady(pod, before, null, actions)) return;
            Path podLogs = podLogDir(pod);
            try {
                Files.createDirectories(podLogs);
            } catch (IOException e) {
                throw new IllegalStateException("cannot create " + podLogs, e);
            }
            sandboxConfig = PodConfigs.sandbox(pod, actions.sandboxAttempt(), podLogs, node.dns());
            log.info("creating the sandbox of pod {} (attempt {})", key, actions.sandboxAttempt());
            if (before.sandbox() != null) events.sandboxChanged(pod);
            try {
                sandboxId = runtime.runPodSandbox(sandboxConfig);
                sandboxFailures.remove(uid);
            } catch (ContainerRuntime.RuntimeError e) {
                events.sandboxFailed(pod, e.getMessage());
                sandboxFailures.put(uid, Failures.after(lastSandboxFailure, now));
                throw e;
            }
        }
        long tSandbox = System.nanoTime();
        if (!actions.start().isEmpty() && sandboxId != null) {
            PodRuntimeStatus current = actions.createSandbox() ? runtime.snapshot().pod(uid) : before;
            SandboxState sandbox = current.sandbox();
            String podIP = sandbox == null || sandbox.ips().isEmpty() ? null : sandbox.ips().getFirst();
            if (sandboxConfig == null) {
                sandboxConfig = PodConfigs.sandbox(pod, sandbox == null ? 0 : sandbox.attempt(), podLogDir(pod), node.dns());
            }
            if (!volumesReady(pod, current, podIP, actions)) return;
            Map<String, java.nio.file.Path> mounts = volumes.setUp(pod, podIP, node.hostIP());
            for (PodActions.Start start : actions.start()) {
                String pidTarget = start.kind() == PodActions.Kind.EPHEMERAL ? pidTarget(pod, start.name(), current) : null;
                Duration wait = startContainer(pod, start, sandboxId, sandboxConfig, podIP, mounts, pidTarget, waiting, now);
                if (wait != null && (requeue == null || wait.compareTo(requeue) < 0)) requeue = wait;
            }
        }
        long tStarted = System.nanoTime();
        PodRuntimeStatus after = actions.isEmpty() ? before : runtime.snapshot().pod(uid);
        if (removeDead(after)) after = runtime.snapshot().pod(uid);
        String podIP = after.sandbox() == null || after.sandbox().ips().isEmpty() ? null : after.sandbox().ips().getFirst();
        probes.update(key, pod, after, podIP);
        waiting.putAll(currentErrors(pod, now));
        if (!deleting && actions.start().isEmpty() && after.sandbox() != null && after.sandbox().ready() && volumes.tokensDue(pod)) {
            // A running pod's ServiceAccount token is renewed before it expires (the periodic resync brings it here).
            try {
                volumes.setUp(pod, podIP, node.hostIP());
            } catch (io.kube4j.node.volume.VolumeManager.VolumeError e) {
                log.info("cannot renew the projected token of pod {}: {}", key, e.getMessage());
            }
        }

        if (deleting) {
            if (!runsAnything(after)) {
                cleanUp(uid, after);
                deleteForGood(pod);
            }
            return;
        }
        Observations seen = new Observations(waiting,
                probes.verdicts(uid, ProbeManager.Kind.READINESS), probes.verdicts(uid, ProbeManager.Kind.STARTUP),
                actions.podFailed(), node.hostIP());
        PodStatus status = PodStatusComputer.keepTransitionTimes(PodStatusComputer.compute(pod, after, seen, clock.instant()),
                writtenConditions.get(uid));
        long tRelisted = System.nanoTime();
        if (!status.equals(pod.getStatus())) patchStatus(pod, status);
        if (actions.createSandbox() || !actions.start().isEmpty()) {
            // Where a start-up's time goes: the figures ./kube4j bench pod-startup is read against.
            log.info("synced pod {} in {} ms: list {} ms, sandbox {} ms, containers {} ms, relist {} ms, status {} ms", key,
                    ms(t0, System.nanoTime()), ms(t0, tListed), ms(tListed, tSandbox), ms(tSandbox, tStarted),
                    ms(tStarted, tRelisted), ms(tRelisted, System.nanoTime()));
        }
        if (requeue != null) workers.enqueueAfter(key, requeue.plusMillis(50));
    }

    /**
     * Sets up the pod's volumes, or, when one cannot be (a ConfigMap or Secret not there yet, a
     * hostPath of the wrong type), tells it as the kubelet does — a {@code FailedMount} event, the
     * pod Pending with its containers in ContainerCreating — and looks again after a back-off of
     * 1 s doubling to 32 s. Returns whether the sync may go on.
     */
    private boolean volumesReady(Pod pod, PodRuntimeStatus runtimeStatus, String podIP, PodActions actions) {
        String uid = pod.getMetadata().getUid();
        Failures last = mountFailures.get(uid);
        // The periodic resync must not shorten the back-off: its retry is already scheduled.
        if (last != null && clock.instant().isBefore(last.retryAt())) return false;
        try {
            volumes.setUp(pod, podIP, node.hostIP());
            mountFailures.remove(uid);
            return true;
        } catch (io.kube4j.node.volume.VolumeManager.VolumeError e) {
            Instant failedAt = clock.instant();
            Failures failures = Failures.after(last, failedAt);
            mountFailures.put(uid, failures);
            log.info("cannot set up volume {} of pod {}/{}: {}", e.volume(), pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), e.getMessage());
            events.failedMount(pod, e.volume(), e.getMessage());
            Observations seen = new Observations(Map.of(), Map.of(), Map.of(), actions.podFailed(), node.hostIP());
            PodStatus status = PodStatusComputer.compute(pod, runtimeStatus, seen, clock.instant());
            if (!status.equals(pod.getStatus())) patchStatus(pod, status);
            workers.enqueueAfter(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName(),
                    Duration.between(failedAt, failures.retryAt()));
            return false;
        }
    }

    /** The id of the running container an ephemeral container targets, whose processes it is to see; null for none. */
    private static String pidTarget(Pod pod, String ephemeral, PodRuntimeStatus runtimeStatus) {
        String target = PodConfigs.ephemeral(pod, ephemeral).map(e -> e.getTargetContainerName()).orElse(null);
        if (target == null || target.isEmpty()) return null;
        ContainerState running = runtimeStatus.latest(target);
        return running != null && running.running() ? running.id() : null;
    }

    /**
     * Creates and starts one container; returns when to look again if it must wait (image back-off), else null.
     *
     * @param pidTarget the running container whose process namespace it joins (a debug container's target), or null
     */
    private Duration startContainer(Pod pod, PodActions.Start start, String sandboxId, PodSandboxConfig sandboxConfig,
                                    String podIP, Map<String, Path> mounts, String pidTarget, Map<String, Waiting> waiting,
                                    Instant now) {
        Container c = container(pod, start.name()).orElseThrow();
        String errorKey = pod.getMetadata().getUid() + "/" + c.getName();
        Duration imageWait = ensureImage(pod, c, errorKey, now);
        if (imageWait != null) return imageWait;
        Map<String, String> env;
        try {
            env = EnvResolver.resolve(pod, c, objects, podIP, node.hostIP(), node.allocatable());
        } catch (EnvResolver.EnvError e) {
            createErrors.put(errorKey, new Waiting("CreateContainerConfigError", e.getMessage()));
            events.createFailed(pod, c, e.getMessage());
            return Duration.ofSeconds(2);
        }
        try {
            String id = runtime.createContainer(sandboxId, PodConfigs.container(pod, c, start.attempt(), env, mounts, pidTarget), sandboxConfig);
            createErrors.remove(errorKey);
            events.created(pod, c);
            runtime.startContainer(id);
            events.started(pod, c);
            log.info("started container {} of pod {}/{} (restart {})", c.getName(), pod.getMetadata().getNamespace(),
                    pod.getMetadata().getName(), start.attempt());
            if (c.getLifecycle() != null && c.getLifecycle().getPostStart() != null && c.getLifecycle().getPostStart().getExec() != null) {
                var result = runtime.execSync(id, c.getLifecycle().getPostStart().getExec().getCommand(), Duration.ofSeconds(30));
                if (result.exitCode() != 0) {
                    log.info("postStart hook of {} failed with {}: killing it", c.getName(), result.exitCode());
                    events.postStartFailed(pod, c, hookFailure(pod, c, c.getLifecycle().getPostStart().getExec().getCommand(), result));
                    runtime.stopContainer(id, containerGrace(pod));
                }
            }
        } catch (ContainerRuntime.RuntimeError e) {
            presentImages.remove(c.getImage());
            log.warn("cannot start container {} of pod {}/{}: {}", c.getName(), pod.getMetadata().getNamespace(), pod.getMetadata().getName(), e.getMessage());
            createErrors.put(errorKey, new Waiting("CreateContainerError", e.getMessage()));
            events.createFailed(pod, c, e.getMessage());
            return Duration.ofSeconds(2);
        }
        return null;
    }

    /** The pulled image's size for the Pulled event; -1 when the runtime does not say (the event then omits it). */
    private long imageSize(String ref) {
        try {
            return ref == null || ref.isEmpty() ? -1 : runtime.imageSize(ref);
        } catch (ContainerRuntime.RuntimeError e) {
            return -1;
        }
    }

    private Duration ensureImage(Pod pod, Container c, String errorKey, Instant now) {
        String image = c.getImage();
        String policy = c.getImagePullPolicy();
        if (policy == null || policy.isEmpty()) {
            String tag = image.contains("@") ? "digest" : image.substring(image.lastIndexOf('/') + 1).contains(":")
                    ? image.substring(image.lastIndexOf(':') + 1) : "latest";
            policy = "latest".equals(tag) ? "Always" : "IfNotPresent";
        }
        boolean present = presentImages.contains(image) || runtime.imageId(image) != null;
        if (present) presentImages.add(image);
        if ("Never".equals(policy)) {
            if (present) {
                events.imagePresent(pod, c);
                return null;
            }
            String message = "Container image \"" + image + "\" is not present with pull policy of Never";
            createErrors.put(errorKey, new Waiting("ErrImageNeverPull", message));
            if (waitingToldNow(pod.getMetadata().getUid(), c, now)) events.neverPull(pod, c, message);
            return Duration.ofSeconds(5);
        }
        if ("IfNotPresent".equals(policy) && present) {
            pullFailures.remove(errorKey);
            events.imagePresent(pod, c);
            return null;
        }
        PullFailure failure = pullFailures.get(errorKey);
        if (failure != null) {
            Instant retry = failure.at().plus(PodActions.backoff(failure.count()));
            if (now.isBefore(retry)) {
                if (waitingToldNow(pod.getMetadata().getUid(), c, now)) events.pullBackOff(pod, c);
                return Duration.between(now, retry);
            }
        }
        events.pulling(pod, c);
        long started = System.nanoTime();
        try {
            String ref = runtime.pullImage(image);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            presentImages.add(image);
            pullFailures.remove(errorKey);
            events.pulled(pod, c, took, imageSize(ref));
            return null;
        } catch (ContainerRuntime.RuntimeError e) {
            int count = failure == null ? 1 : failure.count() + 1;
            String message = "Failed to pull image \"" + image + "\": " + e.getMessage();
            pullFailures.put(errorKey, new PullFailure(count, now, message));
            events.pullFailed(pod, c, message);
            return PodActions.backoff(count);
        }
    }

    /** Image and creation errors of the pod's containers, as waiting reasons. */
    private Map<String, Waiting> currentErrors(Pod pod, Instant now) {
        Map<String, Waiting> out = new HashMap<>();
        for (Container c : PodConfigs.allContainers(pod)) {
            String key = pod.getMetadata().getUid() + "/" + c.getName();
            PullFailure failure = pullFailures.get(key);
            if (failure != null) {
                boolean justFailed = !now.isAfter(failure.at().plusSeconds(1));
                out.put(c.getName(), justFailed ? new Waiting("ErrImagePull", failure.message())
                        : new Waiting("ImagePullBackOff", "Back-off pulling image \"" + c.getImage() + "\""));
            }
            Waiting error = createErrors.get(key);
            if (error != null) out.put(c.getName(), error);
        }
        return out;
    }

    /** See {@link io.kube4j.node.NodeAgentProperties#endpointDrain()}. */
    public void setEndpointDrain(Duration drain) {
        this.endpointDrain = drain;
    }

    /**
     * How long a pod being deleted keeps serving before its containers are stopped: while it was
     * Ready it was an endpoint, and the endpoint controllers and every node's proxy learn of the
     * deletion a moment later than this agent. Pods that were not Ready, and kills that are not
     * deletions (liveness, restart policy), are stopped at once.
     */
    static Duration drainFor(Pod pod, Duration grace, Duration endpointDrain) {
        if (pod.getMetadata().getDeletionTimestamp() == null || endpointDrain.isZero()) return Duration.ZERO;
        boolean wasReady = pod.getStatus() != null && pod.getStatus().getConditions() != null
                && pod.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
        if (!wasReady) return Duration.ZERO;
        Duration half = grace.dividedBy(2);
        return endpointDrain.compareTo(half) < 0 ? endpointDrain : half;
    }

    private void killPod(Pod pod, PodRuntimeStatus status, Duration grace) {
        String uid = pod.getMetadata().getUid();
        if (!terminating.add(uid)) return;
        try {
            // The grace period counts from now, the drain included.
            Instant deadline = clock.instant().plus(grace);
            Duration drain = drainFor(pod, grace, endpointDrain);
            if (!drain.isZero()) Thread.sleep(drain.toMillis());
            List<Thread> stops = new ArrayList<>();
            for (ContainerState c : status.containers()) {
                if (c.exited()) continue;
                Container spec = container(pod, c.name()).orElse(null);
                if (spec != null) events.killing(pod, spec, "Stopping container " + spec.getName());
                stops.add(Thread.ofVirtual().start(() -> {
                    if (spec != null && spec.getLifecycle() != null && spec.getLifecycle().getPreStop() != null
                            && spec.getLifecycle().getPreStop().getExec() != null && c.running()) {
                        List<String> command = spec.getLifecycle().getPreStop().getExec().getCommand();
                        try {
                            var result = runtime.execSync(c.id(), command, grace);
                            if (result.exitCode() != 0) events.preStopFailed(pod, spec, hookFailure(pod, spec, command, result));
                        } catch (RuntimeException e) {
                            log.info("preStop hook of {} failed: {}", c.name(), e.getMessage());
                            events.preStopFailed(pod, spec, "PreStopHook failed: " + e.getMessage());
                        }
                    }
                    Duration left = Duration.between(clock.instant(), deadline);
                    runtime.stopContainer(c.id(), left.isNegative() ? Duration.ZERO : left);
                }));
            }
            for (Thread t : stops) t.join();
            for (SandboxState s : status.sandboxes()) {
                if (s.ready()) runtime.stopPodSandbox(s.id());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            terminating.remove(uid);
        }
    }

    /**
     * Garbage of a crash loop or a replaced sandbox: keeps the newest two instances of each
     * container (the current one and the one {@code --previous} reads) and the newest sandbox.
     */
    private boolean removeDead(PodRuntimeStatus status) {
        boolean removed = false;
        SandboxState newest = status.sandbox();
        for (SandboxState s : status.sandboxes()) {
            if (s == newest || s.ready()) continue;
            for (ContainerState c : status.containers()) {
                if (c.sandboxId().equals(s.id()) && c.exited()) runtime.removeContainer(c.id());
            }
            runtime.removePodSandbox(s.id());
            removed = true;
        }
        java.util.Map<String, Integer> seen = new HashMap<>();
        for (ContainerState c : status.containers()) {
            if (newest == null || !c.sandboxId().equals(newest.id())) continue;
            int n = seen.merge(c.name(), 1, Integer::sum);
            if (n > 2 && c.exited()) {
                runtime.removeContainer(c.id());
                removed = true;
            }
        }
        return removed;
    }

    /** Removes what the runtime and the disk hold for a pod uid that is gone (idempotent). */
    public void cleanUp(String uid, PodRuntimeStatus status) {
        for (ContainerState c : status.containers()) {
            if (!c.exited()) runtime.stopContainer(c.id(), Duration.ZERO);
            runtime.removeContainer(c.id());
        }
        for (SandboxState s : status.sandboxes()) {
            runtime.stopPodSandbox(s.id());
            runtime.removePodSandbox(s.id());
        }
        volumes.tearDown(uid);
        probes.forget(uid);
        pullFailures.keySet().removeIf(k -> k.startsWith(uid + "/"));
        mountFailures.remove(uid);
        sandboxFailures.remove(uid);
        waitingTold.keySet().removeIf(k -> k.startsWith(uid + "/"));
        writtenConditions.remove(uid);
        createErrors.keySet().removeIf(k -> k.startsWith(uid + "/"));
    }

    /** Removes every pod in the runtime whose uid is not among {@code known} (pods deleted while the agent was away). */
    /**
     * Evicts a pod as the kubelet does under node pressure: its status becomes {@code Failed} with
     * reason {@code Evicted}, {@code message} and the {@code DisruptionTarget} condition
     * ({@code TerminationByKubelet}), then its worker stops it (a terminal pod's containers are
     * killed) within its grace period.
     */
    public void evict(Pod pod, String message) {
        PodStatus status = pod.getStatus() == null ? new PodStatus()
                : new io.fabric8.kubernetes.api.model.PodStatusBuilder(pod.getStatus()).build();
        String time = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        status.setPhase("Failed");
        status.setReason(io.kube4j.node.eviction.MemoryEviction.REASON);
        status.setMessage(message);
        List<io.fabric8.kubernetes.api.model.PodCondition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
        conditions.removeIf(c -> PodStatusComputer.DISRUPTION_TARGET.equals(c.getType()));
        conditions.add(new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType(PodStatusComputer.DISRUPTION_TARGET)
                .withStatus("True").withReason("TerminationByKubelet").withMessage(message).withLastTransitionTime(time).build());
        status.setConditions(conditions);
        evicted.put(pod.getMetadata().getUid(), status);
        log.info("evicting pod {}/{}: {}", pod.getMetadata().getNamespace(), pod.getMetadata().getName(), message);
        events.evicted(pod, message);
        patchStatus(pod, status);
        if (workers != null) workers.enqueue(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
    }

    /** The pod with the status its eviction wrote, while the cache has not caught up with it. */
    private Pod withEviction(Pod cached) {
        String uid = cached.getMetadata().getUid();
        PodStatus evictedStatus = evicted.get(uid);
        if (evictedStatus == null) return cached;
        if (isTerminal(cached.getStatus())) {
            evicted.remove(uid);
            return cached;
        }
        return new io.fabric8.kubernetes.api.model.PodBuilder(cached).withStatus(evictedStatus).build();
    }

    private static boolean isTerminal(PodStatus status) {
        return status != null && ("Failed".equals(status.getPhase()) || "Succeeded".equals(status.getPhase()));
    }

    public void cleanUpOrphans(Set<String> known) {
        evicted.keySet().retainAll(known);
        RuntimeSnapshot snapshot = runtime.snapshot();
        for (var e : snapshot.pods().entrySet()) {
            if (e.getKey().isEmpty() || known.contains(e.getKey())) continue;
            log.info("removing the containers of pod uid {}, which is no longer bound here", e.getKey());
            cleanUp(e.getKey(), e.getValue());
        }
    }

    private static boolean runsAnything(PodRuntimeStatus status) {
        return status.sandboxes().stream().anyMatch(SandboxState::ready) || status.containers().stream().anyMatch(c -> !c.exited());
    }

    private void deleteForGood(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .withGracePeriod(0).delete();
            log.info("pod {}/{} stopped; deleted", pod.getMetadata().getNamespace(), pod.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }

    private void patchStatus(Pod pod, PodStatus status) {
        String body = "{\"status\":" + client.getKubernetesSerialization().asJson(status) + "}";
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
                    .subresource("status").patch(PatchContext.of(PatchType.JSON_MERGE), body);
            if (status.getConditions() != null) writtenConditions.put(pod.getMetadata().getUid(), List.copyOf(status.getConditions()));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }

    /** Whether a waiting container's back-off is to be told now: not within {@link #WAITING_EVENT_INTERVAL} of the last time. */
    private boolean waitingToldNow(String uid, Container c, Instant now) {
        String key = uid + "/" + c.getName();
        Instant last = waitingTold.get(key);
        if (last != null && now.isBefore(last.plus(WAITING_EVENT_INTERVAL))) return false;
        waitingTold.put(key, now);
        return true;
    }

    private static java.util.Optional<Container> container(Pod pod, String name) {
        return PodConfigs.allContainers(pod).stream().filter(c -> c.getName().equals(name)).findFirst();
    }

    /** What the kubelet says of an exec hook that failed, with the hook's output. */
    static String hookFailure(Pod pod, Container c, List<String> command, ContainerRuntime.ExecResult result) {
        var m = pod.getMetadata();
        return "Exec lifecycle hook ([" + String.join(" ", command) + "]) for Container \"" + c.getName() + "\" in Pod \"" + m.getName() + "_"
                + m.getNamespace() + "(" + m.getUid() + ")\" failed - error: command '" + String.join(" ", command)
                + "' exited with " + result.exitCode() + ": " + result.output();
    }

    private static long ms(long fromNanos, long toNanos) {
        return (toNanos - fromNanos) / 1_000_000;
    }

    private Path podLogDir(Pod pod) {
        var m = pod.getMetadata();
        return logsDir.resolve(m.getNamespace() + "_" + m.getName() + "_" + m.getUid());
    }

    /** The grace of a deletion: deletionGracePeriodSeconds, else terminationGracePeriodSeconds, else 30 s. */
    static Duration gracePeriod(Pod pod) {
        Long seconds = pod.getMetadata().getDeletionGracePeriodSeconds();
        if (seconds == null) seconds = pod.getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(seconds == null ? 30 : Math.max(0, seconds));
    }

    private static Duration containerGrace(Pod pod) {
        Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
        return Duration.ofSeconds(seconds == null ? 30 : Math.max(0, seconds));
    }
}
