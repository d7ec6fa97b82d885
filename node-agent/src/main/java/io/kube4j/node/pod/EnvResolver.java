package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;
import io.fabric8.kubernetes.api.model.Service;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's environment as the kubelet builds it: {@code envFrom} first, then {@code env} in
 * order, each value with {@code $(VAR)} references to earlier variables expanded; values from
 * ConfigMaps, Secrets, the pod's own fields and its resources. Pure given its {@link Objects}.
 */
public final class EnvResolver {

    /** Where ConfigMap and Secret data come from; null when the object does not exist. */
    public interface Objects {
        Map<String, String> configMap(String namespace, String name);

        /** The Secret's data, decoded. */
        Map<String, String> secret(String namespace, String name);

        /** The Services of a namespace, for the variables that name them; none when not known. */
        default List<Service> services(String namespace) {
            return List.of();
        }
    }

    /** A variable cannot be built (missing ConfigMap or key that is not optional); the container waits. */
    public static final class EnvError extends RuntimeException {
        public EnvError(String message) {
            super(message);
        }
    }

    private EnvResolver() {
    }

    /**
     * @param podIP       the pod's IP (for {@code status.podIP})
     * @param hostIP      the node's IP (for {@code status.hostIP})
     * @param nodeCapacity the node's allocatable cpu/memory, the default of limits a container does not set
     */
    public static Map<String, String> resolve(Pod pod, Container container, Objects objects, String podIP, String hostIP,
                                              Map<String, Quantity> nodeCapacity) {
        String ns = pod.getMetadata().getNamespace();
        // The Services' variables first: the container's own, later, win, and may refer to them.
        Map<String, String> env = new LinkedHashMap<>(serviceEnv(pod, objects.services(ns),
                "default".equals(ns) ? List.of() : objects.services("default")));
        if (container.getEnvFrom() != null) {
            for (EnvFromSource from : container.getEnvFrom()) {
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                Map<String, String> data = null;
                boolean optional = false;
                String what = "";
                if (from.getConfigMapRef() != null) {
                    optional = Boolean.TRUE.equals(from.getConfigMapRef().getOptional());
                    what = "configmap \"" + from.getConfigMapRef().getName() + "\"";
                    data = objects.configMap(ns, from.getConfigMapRef().getName());
                } else if (from.getSecretRef() != null) {
                    optional = Boolean.TRUE.equals(from.getSecretRef().getOptional());
                    what = "secret \"" + from.getSecretRef().getName() + "\"";
                    data = objects.secret(ns, from.getSecretRef().getName());
                }
                if (data == null) {
                    if (optional) continue;
                    throw new EnvError(what + " not found");
                }
                // Sorted: the same pod gets the same environment order on every start.
                new java.util.TreeMap<>(data).forEach((k, v) -> env.put(prefix + k, v));
            }
        }
        if (container.getEnv() != null) {
            for (EnvVar var : container.getEnv()) {
                String value;
                if (var.getValueFrom() == null) {
                    value = expand(var.getValue() == null ? "" : var.getValue(), env);
                } else {
                    value = valueFrom(pod, container, var.getValueFrom(), objects, podIP, hostIP, nodeCapacity);
                    if (value == null) continue;
                }
                env.put(var.getName(), value);
            }
        }
        return env;
    }

    /** The Service the API is reached at inside the cluster: its variables are in every container. */
    static final String MASTER_SERVICE = "kubernetes";

    /**
     * The kubelet's Service variables ({@code WEB_SERVICE_HOST}, {@code WEB_SERVICE_PORT}, {@code WEB_PORT_80_TCP_ADDR}, …):
     * those of every Service with a cluster IP in the pod's namespace unless {@code enableServiceLinks} is false, and
     * always those of {@code kubernetes} in {@code default}. Pure.
     *
     * @param inNamespace the Services of the pod's namespace
     * @param inDefault   the Services of {@code default} when the pod is elsewhere (only {@code kubernetes} is used)
     */
    static Map<String, String> serviceEnv(Pod pod, List<Service> inNamespace, List<Service> inDefault) {
        boolean links = !Boolean.FALSE.equals(pod.getSpec().getEnableServiceLinks());
        Map<String, Service> chosen = new java.util.TreeMap<>();
        String ns = pod.getMetadata().getNamespace();
        for (Service service : inNamespace) {
            String name = service.getMetadata().getName();
            boolean master = "default".equals(ns) && MASTER_SERVICE.equals(name);
            if ((links || master) && hasClusterIP(service)) chosen.put(name, service);
        }
        for (Service service : inDefault) {
            if (MASTER_SERVICE.equals(service.getMetadata().getName()) && hasClusterIP(service)) chosen.putIfAbsent(MASTER_SERVICE, service);
        }
        Map<String, String> env = new LinkedHashMap<>();
        for (Service service : chosen.values()) {
            String name = envName(service.getMetadata().getName());
            String ip = service.getSpec().getClusterIP();
            List<io.fabric8.kubernetes.api.model.ServicePort> ports = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
            env.put(name + "_SERVICE_HOST", ip);
            if (!ports.isEmpty()) env.put(name + "_SERVICE_PORT", String.valueOf(ports.getFirst().getPort()));
            for (var port : ports) {
                if (port.getName() != null && !port.getName().isEmpty()) {
                    env.put(name + "_SERVICE_PORT_" + envName(port.getName()), String.valueOf(port.getPort()));
                }
            }
            for (int i = 0; i < ports.size(); i++) {
                var port = ports.get(i);
                String protocol = port.getProtocol() == null || port.getProtocol().isEmpty() ? "TCP" : port.getProtocol();
                String url = protocol.toLowerCase() + "://" + ip + ":" + port.getPort();
                if (i == 0) env.put(name + "_PORT", url);
                String prefix = name + "_PORT_" + port.getPort() + "_" + protocol.toUpperCase();
                env.put(prefix, url);
                env.put(prefix + "_PROTO", protocol.toLowerCase());
                env.put(prefix + "_PORT", String.valueOf(port.getPort()));
                env.put(prefix + "_ADDR", ip);
            }
        }
        return env;
    }

    private static boolean hasClusterIP(Service service) {
        String ip = service.getSpec() == null ? null : service.getSpec().getClusterIP();
        return ip != null && !ip.isEmpty() && !"None".equals(ip);
    }

    private static String envName(String name) {
        return name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    private static String valueFrom(Pod pod, Container container, EnvVarSource from, Objects objects, String podIP,
                                    String hostIP, Map<String, Quantity> nodeCapacity) {
        String ns = pod.getMetadata().getNamespace();
        if (from.getConfigMapKeyRef() != null) {
            var ref = from.getConfigMapKeyRef();
            Map<String, String> data = objects.configMap(ns, ref.getName());
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            if (data == null) {
                if (optional) return null;
                throw new EnvError("configmap \"" + ref.getName() + "\" not found");
            }
            if (!data.containsKey(ref.getKey())) {
                if (optional) return null;
                throw new EnvError("couldn't find key " + ref.getKey() + " in ConfigMap " + ns + "/" + ref.getName());
            }
            return data.get(ref.getKey());
        }
        if (from.getSecretKeyRef() != null) {
            var ref = from.getSecretKeyRef();
            Map<String, String> data = objects.secret(ns, ref.getName());
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            if (data == null) {
                if (optional) return null;
                throw new EnvError("secret \"" + ref.getName() + "\" not found");
            }
            if (!data.containsKey(ref.getKey())) {
                if (optional) return null;
                throw new EnvError("couldn't find key " + ref.getKey() + " in Secret " + ns + "/" + ref.getName());
            }
            return data.get(ref.getKey());
        }
        if (from.getFieldRef() != null) {
            return fieldValue(pod, from.getFieldRef().getFieldPath(), podIP, hostIP);
        }
        if (from.getResourceFieldRef() != null) {
            return resourceValue(pod, container, from.getResourceFieldRef(), nodeCapacity);
        }
        return "";
    }

    /** The value of a downward-API field path ({@code metadata.name}, {@code metadata.labels['app']}, ...). */
    public static String fieldValue(Pod pod, String path, String podIP, String hostIP) {
        var meta = pod.getMetadata();
        if (path.startsWith("metadata.labels['") && path.endsWith("']")) {
            String key = path.substring("metadata.labels['".length(), path.length() - 2);
            return meta.getLabels() == null ? "" : meta.getLabels().getOrDefault(key, "");
        }
        if (path.startsWith("metadata.annotations['") && path.endsWith("']")) {
            String key = path.substring("metadata.annotations['".length(), path.length() - 2);
            return meta.getAnnotations() == null ? "" : meta.getAnnotations().getOrDefault(key, "");
        }
        return switch (path) {
            case "metadata.name" -> meta.getName();
            case "metadata.namespace" -> meta.getNamespace();
            case "metadata.uid" -> meta.getUid();
            case "metadata.labels" -> formatMap(meta.getLabels());
            case "metadata.annotations" -> formatMap(meta.getAnnotations());
            case "spec.nodeName" -> pod.getSpec().getNodeName();
            case "spec.serviceAccountName" -> pod.getSpec().getServiceAccountName() == null ? "default" : pod.getSpec().getServiceAccountName();
            case "status.hostIP", "status.hostIPs" -> hostIP == null ? "" : hostIP;
            case "status.podIP", "status.podIPs" -> podIP == null ? "" : podIP;
            default -> throw new EnvError("unsupported fieldPath " + path);
        };
    }

    /** {@code key="value"} lines, sorted by key, as the downward API writes label and annotation files. */
    public static String formatMap(Map<String, String> map) {
        if (map == null) return "";
        List<String> lines = new ArrayList<>();
        new java.util.TreeMap<>(map).forEach((k, v) -> lines.add(k + "=\"" + v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\""));
        return String.join("\n", lines);
    }

    /** A container's resource value in units of the divisor, rounded up; limits default to the node's allocatable. */
    public static String resourceValue(Pod pod, Container fallback, ResourceFieldSelector ref, Map<String, Quantity> nodeCapacity) {
        Container container = fallback;
        if (ref.getContainerName() != null && !ref.getContainerName().isEmpty()) {
            container = pod.getSpec().getContainers().stream().filter(c -> c.getName().equals(ref.getContainerName()))
                    .findFirst().orElseThrow(() -> new EnvError("no container " + ref.getContainerName()));
        }
        String resource = ref.getResource();
        String[] parts = resource.split("\\.", 2);
        if (parts.length != 2) throw new EnvError("unsupported resource " + resource);
        var r = container.getResources();
        Map<String, Quantity> values = r == null ? null : ("limits".equals(parts[0]) ? r.getLimits() : r.getRequests());
        Quantity q = values == null ? null : values.get(parts[1]);
        if (q == null && "limits".equals(parts[0])) q = nodeCapacity.get(parts[1]);
        if (q == null) return "0";
        BigDecimal amount = Quantity.getAmountInBytes(q);
        BigDecimal divisor = ref.getDivisor() == null ? BigDecimal.ONE : Quantity.getAmountInBytes(ref.getDivisor());
        if (divisor.signum() == 0) divisor = BigDecimal.ONE;
        return amount.divide(divisor, 0, RoundingMode.CEILING).toPlainString();
    }

    /**
     * Expands {@code $(NAME)} with the variables so far; {@code $$} is a literal {@code $}; a
     * reference to an unknown variable stays as written (Kubernetes' rules).
     */
    public static String expand(String input, Map<String, String> vars) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < input.length()) {
            char c = input.charAt(i);
            if (c == '$' && i + 1 < input.length()) {
                char next = input.charAt(i + 1);
                if (next == '$') {
                    out.append('$');
                    i += 2;
                    continue;
                }
                if (next == '(') {
                    int close = input.indexOf(')', i + 2);
                    if (close > 0) {
                        String name = input.substring(i + 2, close);
                        if (vars.containsKey(name)) {
                            out.append(vars.get(name));
                        } else {
                            out.append(input, i, close + 1);
                        }
                        i = close + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** Expands every element of a command or args list. */
    public static List<String> expandAll(List<String> values, Map<String, String> vars) {
        if (values == null) return List.of();
        return values.stream().map(v -> expand(v, vars)).toList();
    }
}
