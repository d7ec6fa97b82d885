package io.kube4j.gateway.kubelet;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.KubeObject;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The request target (path and query) the gateway sends to a node's agent for a pod's
 * {@code log}, {@code exec}, {@code attach} and {@code portforward} subresources, computed from the
 * client's query as kube-apiserver computes it: the options are parsed and validated with
 * kube-apiserver's messages, the container is chosen, and the query is re-encoded with its keys in
 * sorted order. Pure functions.
 */
public final class KubeletTargets {

    private KubeletTargets() {
    }

    /** The streaming subresources and the kubelet path each goes to. */
    public enum Kind {
        EXEC("exec"), ATTACH("attach"), PORT_FORWARD("portForward");

        private final String kubeletPath;

        Kind(String kubeletPath) {
            this.kubeletPath = kubeletPath;
        }

        /** The subresource's kind, or null when it is not a streaming one. */
        public static Kind ofSubresource(String subresource) {
            return switch (subresource) {
                case "exec" -> EXEC;
                case "attach" -> ATTACH;
                case "portforward" -> PORT_FORWARD;
                default -> null;
            };
        }
    }

    /**
     * {@code /containerLogs/{namespace}/{pod}/{container}?…} for {@code pods/log}: the options
     * {@code follow}, {@code previous}, {@code timestamps}, {@code sinceSeconds}, {@code sinceTime}
     * (RFC 3339, re-written in UTC), {@code tailLines} and {@code limitBytes}; malformed values are a
     * 400, out-of-range ones a 422 on {@code PodLogOptions}.
     */
    public static String logs(ObjectNode pod, Map<String, String[]> query) {
        String name = KubeObject.name(pod);
        Long sinceSeconds = integer(query, "sinceSeconds");
        Instant sinceTime = time(query, "sinceTime");
        Long tailLines = integer(query, "tailLines");
        Long limitBytes = integer(query, "limitBytes");
        List<StatusCause> causes = new ArrayList<>();
        if (tailLines != null && tailLines < 0) {
            causes.add(StatusCause.invalid("tailLines", tailLines, "must be greater than or equal to 0"));
        }
        if (limitBytes != null && limitBytes < 1) {
            causes.add(StatusCause.invalid("limitBytes", limitBytes, "must be greater than 0"));
        }
        if (sinceSeconds != null && sinceTime != null) {
            causes.add(StatusCause.forbidden("", "at most one of `sinceTime` or `sinceSeconds` may be specified"));
        } else if (sinceSeconds != null && sinceSeconds < 1) {
            causes.add(StatusCause.invalid("sinceSeconds", sinceSeconds, "must be greater than 0"));
        }
        if (!causes.isEmpty()) throw ApiException.invalid("", "PodLogOptions", name, causes);
        String container = container(pod, first(query, "container"));

        Map<String, List<String>> params = new TreeMap<>();
        if (bool(query, "follow")) params.put("follow", List.of("true"));
        if (bool(query, "previous")) params.put("previous", List.of("true"));
        if (bool(query, "timestamps")) params.put("timestamps", List.of("true"));
        if (sinceSeconds != null) params.put("sinceSeconds", List.of(sinceSeconds.toString()));
        if (sinceTime != null) params.put("sinceTime", List.of(sinceTime.toString()));
        if (tailLines != null) params.put("tailLines", List.of(tailLines.toString()));
        if (limitBytes != null) params.put("limitBytes", List.of(limitBytes.toString()));
        return "/containerLogs/" + segment(KubeObject.namespace(pod)) + "/" + segment(name) + "/" + segment(container)
                + encode(params);
    }

    /**
     * {@code /exec/{namespace}/{pod}/{container}?command=…&stderr=1&stdin=1&stdout=1&tty=1},
     * {@code /attach/…} (the same without {@code command}) or {@code /portForward/{namespace}/{pod}?port=…}.
     * The flags are passed as kube-apiserver passes them: {@code 1} when set, absent otherwise.
     */
    public static String stream(Kind kind, ObjectNode pod, Map<String, String[]> query) {
        String namespace = segment(KubeObject.namespace(pod));
        String name = segment(KubeObject.name(pod));
        Map<String, List<String>> params = new TreeMap<>();
        if (kind == Kind.PORT_FORWARD) {
            List<String> ports = new ArrayList<>();
            for (String value : all(query, "ports")) {
                for (String port : value.split(",")) {
                    if (port.isBlank()) continue;
                    ports.add(Long.toString(port(port.trim())));
                }
            }
            if (!ports.isEmpty()) params.put("port", List.of(String.join(",", ports)));
            return "/portForward/" + namespace + "/" + name + encode(params);
        }
        String container = container(pod, first(query, "container"));
        for (String flag : List.of("stdin", "stdout", "stderr", "tty")) {
            if (bool(query, flag)) params.put(flag, List.of("1"));
        }
        if (kind == Kind.EXEC) {
            List<String> command = all(query, "command");
            if (!command.isEmpty()) params.put("command", command);
        }
        return "/" + kind.kubeletPath + "/" + namespace + "/" + name + "/" + segment(container) + encode(params);
    }

    /**
     * The container a request addresses: the one named, which must exist among the pod's
     * containers, init containers and ephemeral containers; or the only container when none is
     * named. Both failures are kube-apiserver's 400s.
     */
    public static String container(ObjectNode pod, String requested) {
        List<String> containers = names(pod.path("spec").path("containers"));
        List<String> all = new ArrayList<>(names(pod.path("spec").path("initContainers")));
        all.addAll(containers);
        all.addAll(names(pod.path("spec").path("ephemeralContainers")));
        String name = KubeObject.name(pod);
        if (requested == null || requested.isEmpty()) {
            if (containers.size() == 1) return containers.getFirst();
            if (containers.isEmpty()) {
                throw ApiException.badRequest("a container name must be specified for pod " + name);
            }
            throw ApiException.badRequest("a container name must be specified for pod " + name + ", choose one of: ["
                    + String.join(" ", all) + "]");
        }
        if (!all.contains(requested)) {
            throw ApiException.badRequest("container " + requested + " is not valid for pod " + name);
        }
        return requested;
    }

    private static List<String> names(JsonNode containers) {
        List<String> names = new ArrayList<>();
        for (JsonNode c : containers) names.add(c.path("name").asString(""));
        return names;
    }

    /** A boolean option as kube-apiserver's query conversion reads it: anything but "false" and "0" is true. */
    static boolean bool(Map<String, String[]> query, String name) {
        String value = first(query, name);
        if (value == null) return false;
        String v = value.toLowerCase(Locale.ROOT);
        return !v.equals("false") && !v.equals("0");
    }

    private static Long integer(Map<String, String[]> query, String name) {
        String value = first(query, name);
        if (value == null || value.isEmpty()) return null;
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(name + ": Invalid value: \"" + value + "\": must be an integer");
        }
    }

    private static Instant time(Map<String, String[]> query, String name) {
        String value = first(query, name);
        if (value == null || value.isEmpty()) return null;
        try {
            return OffsetDateTime.parse(value).toInstant().truncatedTo(ChronoUnit.SECONDS);
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + ": Invalid value: \"" + value + "\": must be an RFC 3339 time");
        }
    }

    private static long port(String value) {
        long port;
        try {
            port = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("ports: Invalid value: \"" + value + "\": must be an integer");
        }
        if (port < 1 || port > 65535) {
            throw ApiException.badRequest("ports: Invalid value: \"" + value + "\": must be between 1 and 65535, inclusive");
        }
        return port;
    }

    private static String first(Map<String, String[]> query, String name) {
        String[] values = query.get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    private static List<String> all(Map<String, String[]> query, String name) {
        String[] values = query.get(name);
        return values == null ? List.of() : List.of(values);
    }

    /** A query string in Go's url.Values.Encode form: keys sorted, values in order, form-encoded. */
    private static String encode(Map<String, List<String>> params) {
        if (params.isEmpty()) return "";
        StringBuilder query = new StringBuilder();
        params.forEach((key, values) -> values.forEach(value -> query.append(query.isEmpty() ? '?' : '&')
                .append(form(key)).append('=').append(form(value))));
        return query.toString();
    }

    private static String form(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A path segment, percent-encoded (names are DNS labels already; this keeps the path honest regardless). */
    private static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
