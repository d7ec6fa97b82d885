package io.kube4j.gateway.metrics;

import io.kube4j.gateway.http.ApiResponses;
import io.kube4j.gateway.http.MediaTypes;
import io.kube4j.gateway.http.Selectors;
import io.kube4j.gateway.storage.ListOptions;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.ephemeral.EphemeralKeys;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code /apis/metrics.k8s.io/v1beta1}: NodeMetrics of the stored Nodes and PodMetrics of the
 * stored Pods that have a current sample in the metrics store. Objects are selected first (label
 * and field selectors, as on their own resources; a PodMetrics carries its pod's labels, as
 * metrics-server's does), then their samples are read in one round trip. Only get and list are
 * served.
 */
@RestController
@RequestMapping("/apis/metrics.k8s.io/v1beta1")
public class MetricsController {

    private final ResourceStorage storage;
    private final MetricsSource source;
    private final Clock clock;

    public MetricsController(ResourceStorage storage, MetricsSource source, Clock clock) {
        this.storage = storage;
        this.source = source;
        this.clock = clock;
    }

    @GetMapping("/nodes")
    public void nodes(HttpServletRequest request, HttpServletResponse response) throws IOException {
        serve(response, () -> MetricsDocuments.list("NodeMetrics", collect(BuiltInTypes.NODE, null, request,
                o -> EphemeralKeys.nodeMetrics(KubeObject.name(o)), MetricsDocuments::nodeMetrics)));
    }

    @GetMapping("/nodes/{name}")
    public void node(@PathVariable String name, HttpServletResponse response) throws IOException {
        serve(response, () -> one(BuiltInTypes.NODE, null, name, EphemeralKeys.nodeMetrics(name),
                MetricsDocuments::nodeMetrics, "nodemetrics", name));
    }

    @GetMapping("/pods")
    public void allPods(HttpServletRequest request, HttpServletResponse response) throws IOException {
        pods(null, request, response);
    }

    @GetMapping("/namespaces/{namespace}/pods")
    public void pods(@PathVariable String namespace, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        serve(response, () -> MetricsDocuments.list("PodMetrics", collect(BuiltInTypes.POD, namespace, request,
                o -> EphemeralKeys.podMetrics(KubeObject.namespace(o), KubeObject.name(o)), MetricsDocuments::podMetrics)));
    }

    @GetMapping("/namespaces/{namespace}/pods/{name}")
    public void pod(@PathVariable String namespace, @PathVariable String name, HttpServletResponse response)
            throws IOException {
        serve(response, () -> one(BuiltInTypes.POD, namespace, name, EphemeralKeys.podMetrics(namespace, name),
                MetricsDocuments::podMetrics, "podmetrics", namespace + "/" + name));
    }

    private interface Answer {
        ObjectNode get();
    }

    private interface Build {
        Optional<ObjectNode> apply(ObjectNode object, String value, Instant now);
    }

    private static void serve(HttpServletResponse response, Answer answer) throws IOException {
        try {
            ApiResponses.write(response, 200, answer.get(), MediaTypes.Rendering.JSON);
        } catch (ApiException e) {
            ApiResponses.writeStatus(response, e);
        }
    }

    private List<ObjectNode> collect(ResourceType type, String namespace, HttpServletRequest request,
                                     java.util.function.Function<ObjectNode, String> key, Build build) {
        Selectors.Filter filter = Selectors.filter(type, request.getParameter("labelSelector"),
                request.getParameter("fieldSelector"));
        List<ObjectNode> objects = storage.list(type, namespace,
                new ListOptions(filter.predicate(), filter.selective(), 0, null, null)).items();
        List<String> values = source.values(objects.stream().map(key).toList());
        Instant now = clock.instant();
        List<ObjectNode> items = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            build.apply(objects.get(i), values.get(i), now).ifPresent(items::add);
        }
        return items;
    }

    /** One object's metrics; 404 as metrics-server words it when the object or its sample is missing. */
    private ObjectNode one(ResourceType type, String namespace, String name, String key, Build build,
                           String resource, String shownName) {
        ApiException notFound = new ApiException(404, "NotFound",
                resource + "." + MetricsDocuments.GROUP + " \"" + shownName + "\" not found",
                MetricsDocuments.GROUP, resource, name, List.of());
        ObjectNode object = storage.find(type, namespace, name).orElseThrow(() -> notFound);
        String value = source.values(List.of(key)).getFirst();
        return build.apply(object, value, clock.instant()).orElseThrow(() -> notFound);
    }

}
