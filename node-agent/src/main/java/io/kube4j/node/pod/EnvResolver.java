package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceFieldSelector;

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
        Map<String, String> env = new LinkedHashMap<>();
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
