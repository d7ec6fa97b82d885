package io.kube4j.node.probe;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Probe;
import io.kube4j.node.pod.PodConfigs;
import io.kube4j.node.pod.PodEvents;
import io.kube4j.node.runtime.ContainerRuntime;
import io.kube4j.node.runtime.RuntimeSnapshot.ContainerState;
import io.kube4j.node.runtime.RuntimeSnapshot.PodRuntimeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.kube4j.node.pod.PodEvents;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the liveness, readiness and startup probes of running containers (exec through the
 * runtime, httpGet and tcpSocket against the pod's IP) on their own schedule — initialDelaySeconds,
 * periodSeconds, timeoutSeconds, successThreshold, failureThreshold — and keeps each probe's
 * verdict. When a verdict changes it calls back with the pod's key, so the pod is synced.
 *
 * <p>Thread-safe. Verdicts before the first result: startup and readiness failed, liveness
 * succeeded (as the kubelet). Liveness and readiness probes wait for the startup probe.
 */
public final class ProbeManager implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProbeManager.class);

    public enum Kind { LIVENESS, READINESS, STARTUP }

    private record Key(String containerId, Kind kind) {
    }

    /** One run of a probe: whether it succeeded, and what it gave when not (the Unhealthy event's text). */
    record Outcome(boolean ok, String output) {
        static final Outcome SUCCESS = new Outcome(true, "");
    }

    private final class Worker {
        final Pod pod;
        final String podKey;
        final String podUid;
        final Kind kind;
        final Probe probe;
        final Container container;
        final String containerId;
        volatile String podIP;
        volatile boolean result;
        int successes;
        int failures;
        /**
         * A liveness or startup probe that failed for good: its container is being restarted, so it
         * is not probed again (the kubelet's worker holds the same way until a new container runs).
         */
        boolean onHold;
        ScheduledFuture<?> future;

        Worker(Pod pod, String podKey, String podUid, Kind kind, Probe probe, Container container, String containerId, String podIP) {
            this.pod = pod;
            this.podKey = podKey;
            this.podUid = podUid;
            this.kind = kind;
            this.probe = probe;
            this.container = container;
            this.containerId = containerId;
            this.podIP = podIP;
            this.result = kind == Kind.LIVENESS;
        }

        void run() {
            if (onHold) return;
            if (kind != Kind.STARTUP && !startedOrNoStartupProbe(containerId)) return;
            Outcome outcome = ProbeManager.this.probe(probe, container, containerId, podIP);
            boolean ok = outcome.ok();
            if (!ok) events.unhealthy(pod, container, label(kind), outcome.output());
            int successThreshold = probe.getSuccessThreshold() == null ? 1 : probe.getSuccessThreshold();
            int failureThreshold = probe.getFailureThreshold() == null ? 3 : probe.getFailureThreshold();
            if (ok) {
                successes++;
                failures = 0;
            } else {
                failures++;
                successes = 0;
            }
            boolean next = result;
            if (ok && successes >= successThreshold) next = true;
            if (!ok && failures >= failureThreshold) {
                next = false;
                if (kind != Kind.READINESS) onHold = true;
            }
            if (next != result) {
                result = next;
                log.info("{} probe of {} container {}: {}", kind.name().toLowerCase(), podKey, container.getName(), next ? "success" : "failure");
                if (kind == Kind.STARTUP && next) {
                    // Once started, the startup probe stops; liveness and readiness begin.
                    future.cancel(false);
                }
                onChange.accept(podKey);
            }
        }
    }

    private final ContainerRuntime runtime;
    private final Consumer<String> onChange;
    private final ScheduledExecutorService scheduler;
    private final HttpClient http;
    private final Map<Key, Worker> workers = new ConcurrentHashMap<>();
    private final boolean hollow;
    private final PodEvents events;

    /**
     * @param hollow every probe succeeds without running (the hollow node's containers run nothing to probe)
     * @param events where a failed probe is told ({@code Unhealthy})
     */
    public ProbeManager(ContainerRuntime runtime, Consumer<String> onChange, boolean hollow, PodEvents events) {
        this.runtime = runtime;
        this.events = events;
        this.onChange = onChange;
        this.hollow = hollow;
        this.scheduler = Executors.newScheduledThreadPool(1, Thread.ofPlatform().name("probe-scheduler").daemon().factory());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Starts probe workers for the pod's running containers and stops those of containers that no longer run. */
    public void update(String podKey, Pod pod, PodRuntimeStatus status, String podIP) {
        Set<Key> wanted = new HashSet<>();
        for (Container c : PodConfigs.allContainers(pod)) {
            ContainerState latest = status.latest(c.getName());
            if (latest == null || !latest.running()) continue;
            start(wanted, podKey, pod, c, latest.id(), Kind.STARTUP, c.getStartupProbe(), podIP);
            start(wanted, podKey, pod, c, latest.id(), Kind.LIVENESS, c.getLivenessProbe(), podIP);
            start(wanted, podKey, pod, c, latest.id(), Kind.READINESS, c.getReadinessProbe(), podIP);
        }
        String uid = pod.getMetadata().getUid();
        workers.entrySet().removeIf(e -> {
            Worker w = e.getValue();
            if (!w.podUid.equals(uid) || wanted.contains(e.getKey())) return false;
            if (w.future != null) w.future.cancel(false);
            return true;
        });
    }

    private void start(Set<Key> wanted, String podKey, Pod pod, Container c, String containerId, Kind kind, Probe probe, String podIP) {
        if (probe == null) return;
        Key key = new Key(containerId, kind);
        wanted.add(key);
        Worker existing = workers.get(key);
        if (existing != null) {
            existing.podIP = podIP;
            return;
        }
        Worker w = new Worker(pod, podKey, pod.getMetadata().getUid(), kind, probe, c, containerId, podIP);
        workers.put(key, w);
        long delay = probe.getInitialDelaySeconds() == null ? 0 : probe.getInitialDelaySeconds();
        long period = probe.getPeriodSeconds() == null || probe.getPeriodSeconds() < 1 ? 10 : probe.getPeriodSeconds();
        w.future = scheduler.scheduleWithFixedDelay(() -> Thread.ofVirtual().start(() -> {
            synchronized (w) {
                try {
                    w.run();
                } catch (RuntimeException e) {
                    log.warn("probe of {} failed to run: {}", podKey, e.toString());
                }
            }
        }), delay * 1000, period * 1000, TimeUnit.MILLISECONDS);
    }

    /** Forgets every probe of a pod that is gone. */
    public void forget(String podUid) {
        workers.entrySet().removeIf(e -> {
            if (!e.getValue().podUid.equals(podUid)) return false;
            if (e.getValue().future != null) e.getValue().future.cancel(false);
            return true;
        });
    }

    private boolean startedOrNoStartupProbe(String containerId) {
        Worker startup = workers.get(new Key(containerId, Kind.STARTUP));
        return startup == null || startup.result;
    }

    /** Ids of the pod's containers whose liveness or startup probe failed: the agent restarts them. */
    public Set<String> unhealthy(String podUid) {
        Set<String> ids = new HashSet<>();
        workers.values().forEach(w -> {
            if (!w.podUid.equals(podUid)) return;
            if (w.kind == Kind.LIVENESS && !w.result) ids.add(w.containerId);
            if (w.kind == Kind.STARTUP && !w.result && w.failures >= threshold(w.probe)) ids.add(w.containerId);
        });
        return ids;
    }

    private static int threshold(Probe p) {
        return p.getFailureThreshold() == null ? 3 : p.getFailureThreshold();
    }

    /** Verdicts of one kind for the pod's containers, by container id. */
    public Map<String, Boolean> verdicts(String podUid, Kind kind) {
        Map<String, Boolean> out = new HashMap<>();
        workers.values().forEach(w -> {
            if (w.podUid.equals(podUid) && w.kind == kind) out.put(w.containerId, w.result);
        });
        return out;
    }

    /** The kubelet's name of a probe kind in its events: Liveness, Readiness, Startup. */
    static String label(Kind kind) {
        String name = kind.name().toLowerCase();
        return Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    Outcome probe(Probe probe, Container container, String containerId, String podIP) {
        if (hollow) return Outcome.SUCCESS;
        Duration timeout = Duration.ofSeconds(probe.getTimeoutSeconds() == null || probe.getTimeoutSeconds() < 1 ? 1 : probe.getTimeoutSeconds());
        String target = "";
        try {
            if (probe.getExec() != null) {
                var result = runtime.execSync(containerId, probe.getExec().getCommand(), timeout);
                if (result.exitCode() == 0) return Outcome.SUCCESS;
                String output = result.output();
                return new Outcome(false, output.isEmpty() ? "command " + probe.getExec().getCommand() + " exited with " + result.exitCode() : output);
            }
            if (probe.getHttpGet() != null) {
                var get = probe.getHttpGet();
                String host = get.getHost() != null && !get.getHost().isEmpty() ? get.getHost() : podIP;
                String scheme = get.getScheme() == null ? "http" : get.getScheme().toLowerCase();
                String path = get.getPath() == null ? "/" : (get.getPath().startsWith("/") ? get.getPath() : "/" + get.getPath());
                int port = port(get.getPort(), container);
                target = scheme + "://" + host + ":" + port + path;
                HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target))
                        .timeout(timeout).header("User-Agent", "kube-probe/1.32");
                if (get.getHttpHeaders() != null) get.getHttpHeaders().forEach(h -> request.header(h.getName(), h.getValue()));
                int code = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                return code >= 200 && code < 400 ? Outcome.SUCCESS : new Outcome(false, "HTTP probe failed with statuscode: " + code);
            }
            if (probe.getTcpSocket() != null) {
                var tcp = probe.getTcpSocket();
                String host = tcp.getHost() != null && !tcp.getHost().isEmpty() ? tcp.getHost() : podIP;
                int port = port(tcp.getPort(), container);
                target = host + ":" + port;
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
                    return Outcome.SUCCESS;
                }
            }
            if (probe.getGrpc() != null) {
                target = podIP + ":" + probe.getGrpc().getPort();
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress(podIP, probe.getGrpc().getPort()), (int) timeout.toMillis());
                    return Outcome.SUCCESS;
                }
            }
            return Outcome.SUCCESS;
        } catch (IOException | RuntimeException e) {
            return new Outcome(false, failure(probe, target, e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, "probe interrupted");
        }
    }

    /** A probe's failure as the kubelet words it: the request and why it did not get through. */
    static String failure(Probe probe, String target, Exception e) {
        String why = e instanceof java.net.http.HttpTimeoutException || e instanceof java.net.SocketTimeoutException
                ? "context deadline exceeded (Client.Timeout exceeded while awaiting headers)"
                : e instanceof java.net.ConnectException ? "connect: connection refused"
                : String.valueOf(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        if (probe.getHttpGet() != null) return "Get \"" + target + "\": dial tcp " + target.replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "") + ": " + why;
        if (probe.getTcpSocket() != null || probe.getGrpc() != null) return "dial tcp " + target + ": " + why;
        return why;
    }

    /** A probe's port: a number, or the name of one of the container's ports. */
    static int port(IntOrString port, Container container) {
        if (port == null) return 80;
        if (port.getIntVal() != null) return port.getIntVal();
        String name = port.getStrVal();
        if (name.chars().allMatch(Character::isDigit)) return Integer.parseInt(name);
        if (container.getPorts() != null) {
            for (ContainerPort p : container.getPorts()) {
                if (name.equals(p.getName())) return p.getContainerPort();
            }
        }
        throw new IllegalArgumentException("no port named " + name);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
    }
}
