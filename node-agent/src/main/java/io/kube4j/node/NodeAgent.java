package io.kube4j.node;

import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.machinery.ephemeral.EphemeralKeys;
import io.kube4j.machinery.events.GatewayEventRecorder;
import io.kube4j.node.eviction.EvictionManager;
import io.kube4j.node.metrics.MetricsCollector;
import io.kube4j.node.metrics.MetricsSink;
import io.kube4j.node.node.Heartbeat;
import io.kube4j.node.node.MachineInfo;
import io.kube4j.node.node.NodeEvents;
import io.kube4j.node.node.NodeRegistrar;
import io.kube4j.node.node.NodeStatusComputer;
import io.kube4j.node.pod.ClusterObjects;
import io.kube4j.node.pod.PodEvents;
import io.kube4j.node.pod.PodSyncer;
import io.kube4j.node.pod.PodWorkers;
import io.kube4j.node.probe.ProbeManager;
import io.kube4j.node.runtime.ContainerRuntime;
import io.kube4j.node.volume.VolumeManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * One node: registers its Node, watches the pods bound to it through the gateway
 * ({@code fieldSelector=spec.nodeName=…}), syncs each through its {@link PodWorkers}, reports the
 * Node's status when it changes and beats its heartbeat. Plain Java, so that one JVM can host
 * many (hollow) nodes; {@link #start} once, {@link #close} once.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);

    public static final String HOLLOW_LABEL = "kube4j.io/hollow";
    static final String KUBELET_VERSION = "v1.32.0";

    private final NodeAgentProperties properties;
    private final KubernetesClient client;
    private final ContainerRuntime runtime;
    private final Heartbeat heartbeat;
    private final MetricsSink metrics;
    private final int port;
    private final Clock clock;
    private final String nodeName;
    private final String hostIP;
    private ScheduledExecutorService scheduler;
    private SharedIndexInformer<Pod> informer;
    private PodWorkers workers;
    private ProbeManager probes;
    private PodSyncer syncer;
    private NodeRegistrar registrar;
    /** The kubelet's events about this node's pods; null on a hollow node, which records none. */
    private GatewayEventRecorder eventRecorder;
    private NodeEvents nodeEvents;
    private ClusterObjects objects;
    private volatile String runtimeVersion = "";

    public NodeAgent(NodeAgentProperties properties, KubernetesClient client, ContainerRuntime runtime, Heartbeat heartbeat,
                     MetricsSink metrics, int port, Clock clock) {
        this.metrics = metrics;
        this.properties = properties;
        this.client = client;
        this.runtime = runtime;
        this.heartbeat = heartbeat;
        this.port = port;
        this.clock = clock;
        this.nodeName = properties.nodeName();
        this.hostIP = properties.address() != null && !properties.address().isBlank() ? properties.address() : MachineInfo.primaryAddress();
    }

    public String nodeName() {
        return nodeName;
    }

    public void start() {
        runtimeVersion = runtime.version();
        log.info("node {} ({}), runtime {}, pod CIDR {}", nodeName, hostIP, runtimeVersion, properties.podCidr());
        // As the kubelet (event-qps 50, event-burst 100). Hollow nodes run nothing to tell of.
        if (!properties.hollow()) eventRecorder = new GatewayEventRecorder(client, "kubelet", nodeName, 50, 100);
        nodeEvents = new NodeEvents(eventRecorder == null ? io.kube4j.machinery.events.EventRecorder.NONE : eventRecorder, nodeName);
        registrar = new NodeRegistrar(client, nodeName, labels(), properties.podCidr());
        registrar.register();
        nodeEvents.started();
        reportStatus();

        Path root = properties.rootDir();
        objects = new ClusterObjects(client);
        VolumeManager volumes = new VolumeManager(root.resolve("pods"), objects, io.kube4j.node.volume.ClaimedVolumes.gateway(client),
                objects, clock);
        MachineInfo machine = MachineInfo.read(root);
        Map<String, Quantity> allocatable = Map.of(
                "cpu", new Quantity(String.valueOf(machine.cpus())),
                "memory", new Quantity(String.valueOf(machine.memoryBytes())));
        PodWorkers[] holder = new PodWorkers[1];
        PodEvents events = eventRecorder == null ? PodEvents.NONE : new PodEvents(eventRecorder);
        probes = new ProbeManager(runtime, key -> holder[0].enqueue(key), properties.hollow(), events);
        syncer = new PodSyncer(client, runtime, volumes, probes, objects, this::cachedPod,
                new PodSyncer.NodeFacts(nodeName, hostIP, allocatable,
                        new io.kube4j.node.pod.PodDns.ClusterDns(properties.clusterDns(), properties.clusterDomain())), root.resolve("logs"), clock,
                events);
        syncer.setEndpointDrain(properties.endpointDrain());
        workers = new PodWorkers(syncer::sync);
        holder[0] = workers;
        syncer.setWorkers(workers);

        // Assigned before it starts: its first events call back into cachedPod.
        informer = client.pods().inAnyNamespace().withField("spec.nodeName", nodeName).runnableInformer(0);
        informer.addEventHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                workers.enqueue(key(pod));
            }

            @Override
            public void onUpdate(Pod oldPod, Pod newPod) {
                workers.enqueue(key(newPod));
            }

            @Override
            public void onDelete(Pod pod, boolean deletedFinalStateUnknown) {
                workers.enqueue(key(pod));
            }
        });
        try {
            informer.start().toCompletableFuture().get(2, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("cannot list the pods bound to " + nodeName + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the pods bound to " + nodeName, e);
        }

        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("node-" + nodeName).daemon().factory());
        scheduler.scheduleWithFixedDelay(this::resync, properties.syncPeriod().toMillis(), properties.syncPeriod().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(this::safeReportStatus, properties.statusPeriod().toMillis(), properties.statusPeriod().toMillis(), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> heartbeat.beat(nodeName, clock.millis()), 0, EphemeralKeys.HEARTBEAT_INTERVAL_SECONDS, TimeUnit.SECONDS);
        if (!properties.hollow()) {
            // A hollow node runs nothing to measure; its host's /proc is not its own.
            MetricsCollector collector = new MetricsCollector(nodeName, runtime, metrics, Path.of("/proc"), clock);
            scheduler.scheduleAtFixedRate(collector::collect, 0, EphemeralKeys.METRICS_INTERVAL_SECONDS, TimeUnit.SECONDS);
            EvictionManager eviction = new EvictionManager(nodeName, machine.memoryBytes(), properties.memoryEvictionThresholdBytes(),
                    () -> {
                        MachineInfo now = MachineInfo.read(root);
                        return now.memoryAvailableBytes() > 0 ? now.memoryBytes() - now.memoryAvailableBytes() : -1;
                    },
                    runtime, () -> informer.getIndexer().list(), syncer::evict, clock);
            long period = EvictionManager.PERIOD.toMillis();
            scheduler.scheduleWithFixedDelay(eviction::check, period, period, TimeUnit.MILLISECONDS);
        }
    }

    private Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        String arch = MachineInfo.read(properties.rootDir()).architecture();
        labels.put("beta.kubernetes.io/arch", arch);
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", arch);
        labels.put("kubernetes.io/hostname", nodeName);
        labels.put("kubernetes.io/os", "linux");
        if (properties.hollow()) labels.put(HOLLOW_LABEL, "true");
        labels.putAll(properties.labels());
        return labels;
    }

    private Pod cachedPod(String key) {
        return informer.getIndexer().getByKey(key);
    }

    private static String key(Pod pod) {
        return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    }

    /** Every pod again (level-based: a missed event costs at most a sync period), and what is no longer bound here removed. */
    private void resync() {
        try {
            if (!informer.hasSynced()) return;
            Set<String> known = informer.getIndexer().list().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
            for (Pod pod : informer.getIndexer().list()) workers.enqueue(key(pod));
            syncer.cleanUpOrphans(known);
        } catch (RuntimeException e) {
            log.warn("resync of node {} failed: {}", nodeName, e.toString());
        }
    }

    private void safeReportStatus() {
        try {
            reportStatus();
        } catch (RuntimeException e) {
            log.warn("status of node {} not written: {}", nodeName, e.toString());
        }
    }

    private void reportStatus() {
        boolean up;
        try {
            runtime.version();
            up = true;
        } catch (RuntimeException e) {
            up = false;
        }
        NodeStatusComputer.Facts facts = new NodeStatusComputer.Facts(nodeName, hostIP, properties.maxPods(), port,
                runtimeName(), KUBELET_VERSION, up, properties.memoryEvictionThresholdBytes());
        NodeStatus before = registrar.written();
        NodeStatus status = NodeStatusComputer.compute(MachineInfo.read(properties.rootDir()), facts, before, clock.instant());
        if (registrar.report(status)) nodeEvents.statusWritten(before, status);
    }

    /** {@code containerd://1.6.20} from "containerd 1.6.20~ds1 (CRI v1)". */
    private String runtimeName() {
        String[] parts = runtimeVersion.split(" ");
        return parts.length >= 2 ? parts[0] + "://" + parts[1] : runtimeVersion;
    }

    /** Where a container's log is, or why there is none to read. */
    public record LogLocation(java.nio.file.Path file, String containerId, String error) {
    }

    /** The log file of a container of a pod bound here: the newest instance's, or with {@code previous} the one before. */
    public LogLocation logLocation(String namespace, String podName, String container, boolean previous) {
        Pod pod = informer == null ? null : informer.getIndexer().getByKey(namespace + "/" + podName);
        if (pod == null) return new LogLocation(null, null, "pod \"" + podName + "\" not found on node " + nodeName);
        boolean known = io.kube4j.node.pod.PodConfigs.allContainers(pod).stream().anyMatch(c -> c.getName().equals(container));
        if (!known) return new LogLocation(null, null, "container " + container + " is not valid for pod " + podName);
        var status = runtime.snapshot().pod(pod.getMetadata().getUid());
        var instance = previous ? status.previous(container) : status.latest(container);
        if (instance == null) {
            return new LogLocation(null, null, previous
                    ? "previous terminated container \"" + container + "\" in pod \"" + podName + "\" not found"
                    : "container \"" + container + "\" in pod \"" + podName + "\" is waiting to start: ContainerCreating");
        }
        if (instance.logPath() == null || instance.logPath().isEmpty()) {
            return new LogLocation(null, null, "container \"" + container + "\" in pod \"" + podName + "\" has no log");
        }
        return new LogLocation(java.nio.file.Path.of(instance.logPath()), instance.id(), null);
    }

    /**
     * What a streaming request addresses in the runtime: a running container's id (or, for port
     * forwarding, the pod's ready sandbox id), or the HTTP status and message of why there is none.
     */
    public record StreamTarget(String runtimeId, int errorCode, String error) {
        static StreamTarget of(String id) {
            return new StreamTarget(id, 0, null);
        }

        static StreamTarget refused(int code, String message) {
            return new StreamTarget(null, code, message);
        }
    }

    /** The running container {@code container} of the pod, for exec and attach. */
    public StreamTarget runningContainer(String namespace, String podName, String container) {
        Pod pod = informer == null ? null : informer.getIndexer().getByKey(namespace + "/" + podName);
        if (pod == null) return StreamTarget.refused(404, "pod \"" + podName + "\" not found on node " + nodeName);
        boolean known = io.kube4j.node.pod.PodConfigs.allContainers(pod).stream().anyMatch(c -> c.getName().equals(container));
        if (!known) return StreamTarget.refused(400, "container " + container + " is not valid for pod " + podName);
        var instance = runtime.snapshot().pod(pod.getMetadata().getUid()).latest(container);
        if (instance == null || !instance.running()) {
            return StreamTarget.refused(400, "container " + container + " is not running in pod " + podName);
        }
        return StreamTarget.of(instance.id());
    }

    /** The pod's ready sandbox, for port forwarding into its network namespace. */
    public StreamTarget readySandbox(String namespace, String podName) {
        Pod pod = informer == null ? null : informer.getIndexer().getByKey(namespace + "/" + podName);
        if (pod == null) return StreamTarget.refused(404, "pod \"" + podName + "\" not found on node " + nodeName);
        var sandbox = runtime.snapshot().pod(pod.getMetadata().getUid()).sandbox();
        if (sandbox == null || !sandbox.ready()) {
            return StreamTarget.refused(400, "pod " + podName + " has no running sandbox");
        }
        return StreamTarget.of(sandbox.id());
    }

    public ContainerRuntime runtime() {
        return runtime;
    }

    /** Whether the container with that id is running now. */
    public boolean containerRunning(String containerId) {
        return runtime.snapshot().pods().values().stream().flatMap(p -> p.containers().stream())
                .anyMatch(c -> c.id().equals(containerId) && c.running());
    }

    @Override
    public void close() {
        if (scheduler != null) scheduler.shutdownNow();
        if (informer != null) informer.close();
        if (workers != null) workers.close();
        if (probes != null) probes.close();
        if (eventRecorder != null) eventRecorder.close();
        if (objects != null) objects.close();
    }
}
