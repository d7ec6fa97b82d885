package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** What a Service and a Pod mean for endpoints, shared by the Endpoints and EndpointSlice controllers. Pure functions. */
public final class PodEndpoints {

    public static final String TRIGGER_TIME_ANNOTATION = "endpoints.kubernetes.io/last-change-trigger-time";

    private PodEndpoints() {
    }

    /** Whether the service selects pods at all; a Service without a selector has endpoints a user manages. */
    public static boolean hasSelector(Service service) {
        return service.getSpec() != null && service.getSpec().getSelector() != null && !service.getSpec().getSelector().isEmpty();
    }

    /** Whether {@code labels} satisfy the service's selector (every pair present). */
    public static boolean selects(Service service, Map<String, String> labels) {
        if (!hasSelector(service)) return false;
        Map<String, String> have = labels == null ? Map.of() : labels;
        return service.getSpec().getSelector().entrySet().stream().allMatch(e -> e.getValue().equals(have.get(e.getKey())));
    }

    public static boolean isReady(Pod pod) {
        return readyCondition(pod).map(c -> "True".equals(c.getStatus())).orElse(false);
    }

    static Optional<PodCondition> readyCondition(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getConditions() == null) return Optional.empty();
        return pod.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    }

    public static boolean isTerminating(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** The pod's IP, or null while it has none (not yet running). */
    public static String ip(Pod pod) {
        if (pod.getStatus() == null) return null;
        String ip = pod.getStatus().getPodIP();
        if ((ip == null || ip.isEmpty()) && pod.getStatus().getPodIPs() != null && !pod.getStatus().getPodIPs().isEmpty()) {
            ip = pod.getStatus().getPodIPs().getFirst().getIp();
        }
        return ip == null || ip.isEmpty() ? null : ip;
    }

    /**
     * Whether a pod belongs among a service's endpoints at all (kube's ShouldPodBeInEndpoints): it has
     * an IP, it will not run again (restartPolicy Never and done, OnFailure and succeeded) is out, and
     * a terminating pod is in only where {@code includeTerminating}.
     */
    public static boolean belongs(Pod pod, boolean includeTerminating) {
        if (ip(pod) == null) return false;
        if (!includeTerminating && isTerminating(pod)) return false;
        String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
        String restart = pod.getSpec() == null || pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
        if ("Never".equals(restart)) return !"Failed".equals(phase) && !"Succeeded".equals(phase);
        if ("OnFailure".equals(restart)) return !"Succeeded".equals(phase);
        return true;
    }

    /** Whether the service wants unready pods published as ready (publishNotReadyAddresses). */
    public static boolean publishNotReady(Service service) {
        return service.getSpec() != null && Boolean.TRUE.equals(service.getSpec().getPublishNotReadyAddresses());
    }

    public static boolean isHeadless(Service service) {
        return service.getSpec() != null && "None".equals(service.getSpec().getClusterIP());
    }

    /** The hostname a pod has in a headless service's DNS: its spec.hostname when its subdomain is the service. */
    public static String hostname(Pod pod, Service service) {
        if (pod.getSpec() == null || pod.getSpec().getHostname() == null || pod.getSpec().getHostname().isEmpty()) return null;
        return service.getMetadata().getName().equals(pod.getSpec().getSubdomain()) ? pod.getSpec().getHostname() : null;
    }

    /**
     * The pod's port for a service port (kube's FindPort): a number as given, the service port when
     * targetPort is unset, a name looked up among the pod's container ports of the same protocol;
     * empty when the pod has no port of that name.
     */
    public static OptionalInt targetPort(Pod pod, ServicePort port) {
        IntOrString target = port.getTargetPort();
        if (target == null || (target.getIntVal() == null && (target.getStrVal() == null || target.getStrVal().isEmpty()))) {
            return OptionalInt.of(port.getPort());
        }
        if (target.getIntVal() != null) return OptionalInt.of(target.getIntVal() == 0 ? port.getPort() : target.getIntVal());
        String name = target.getStrVal();
        if (name.chars().allMatch(Character::isDigit)) return OptionalInt.of(Integer.parseInt(name));
        String protocol = port.getProtocol() == null ? "TCP" : port.getProtocol();
        List<Container> containers = pod.getSpec() == null || pod.getSpec().getContainers() == null ? List.of() : pod.getSpec().getContainers();
        for (Container container : containers) {
            if (container.getPorts() == null) continue;
            for (ContainerPort p : container.getPorts()) {
                String pp = p.getProtocol() == null ? "TCP" : p.getProtocol();
                if (name.equals(p.getName()) && pp.equals(protocol)) return OptionalInt.of(p.getContainerPort());
            }
        }
        return OptionalInt.empty();
    }

    /**
     * The last-change-trigger-time of endpoints built from {@code pods} for {@code service}: the latest of
     * the service's creation and each pod's last readiness change (or creation), as RFC 3339 seconds.
     */
    public static String triggerTime(Service service, List<Pod> pods) {
        Instant latest = parse(service.getMetadata().getCreationTimestamp());
        for (Pod pod : pods) {
            Instant t = readyCondition(pod).map(PodCondition::getLastTransitionTime).map(PodEndpoints::parse)
                    .orElse(parse(pod.getMetadata().getCreationTimestamp()));
            if (t != null && (latest == null || t.isAfter(latest))) latest = t;
        }
        return latest == null ? null : latest.toString();
    }

    private static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) return null;
        try {
            return Instant.parse(timestamp);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
