package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.object.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The Endpoints of one Service (key {@code namespace/name}), as kube-controller-manager's endpoint
 * controller writes them: ready pods under {@code addresses}, the others under
 * {@code notReadyAddresses}, one subset per distinct set of resolved ports; a headless service
 * without ports gets its addresses without ports. Endpoints of a Service without a selector
 * belong to their user and are never touched; Endpoints this controller made (label
 * {@code endpointslice.kubernetes.io/skip-mirror}) go with their Service.
 */
public record EndpointsReconciler(Cache<Service> services, Cache<Pod> pods, Cache<Endpoints> endpoints,
                                  ObjectClient objects, EventRecorder events) implements Reconciler {

    static final String SKIP_MIRROR = "endpointslice.kubernetes.io/skip-mirror";

    @Override
    public Result reconcile(String key) {
        String namespace = ObjectKeys.namespace(key);
        String name = ObjectKeys.name(key);
        Optional<Service> found = services.get(key);
        Optional<Endpoints> current = endpoints.get(key);
        if (found.isEmpty()) {
            if (current.isPresent() && managed(current.get())) {
                objects.delete(Endpoints.class, namespace, name, current.get().getMetadata().getUid(), null);
            }
            return Result.DONE;
        }
        Service service = found.get();
        if (!PodEndpoints.hasSelector(service)) return Result.DONE;

        List<Pod> selected = pods.list(namespace).stream()
                .filter(p -> PodEndpoints.selects(service, p.getMetadata().getLabels())).toList();
        List<EndpointSubset> subsets = subsets(service, selected);
        Map<String, String> labels = new LinkedHashMap<>();
        if (service.getMetadata().getLabels() != null) labels.putAll(service.getMetadata().getLabels());
        labels.put(SKIP_MIRROR, "true");

        if (current.isPresent()) {
            Endpoints existing = current.get();
            List<EndpointSubset> have = existing.getSubsets() == null ? List.of() : existing.getSubsets();
            if (Canonical.of(have).equals(Canonical.of(subsets))
                    && Objects.equals(existing.getMetadata().getLabels(), labels)) {
                return Result.DONE;
            }
            Endpoints next = Json.MAPPER.convertValue(existing, Endpoints.class);
            next.setSubsets(subsets);
            next.getMetadata().setLabels(labels);
            annotate(next, service, selected);
            try {
                objects.update(next);
            } catch (RuntimeException e) {
                if (!ObjectClient.isConflict(e) && !ObjectClient.isNotFound(e)) {
                    events.event(next, EventRecorder.WARNING, "FailedToUpdateEndpoint",
                            "Failed to update endpoint " + namespace + "/" + name + ": " + e.getMessage());
                }
                throw e;
            }
        } else {
            Endpoints next = new EndpointsBuilder().withNewMetadata().withNamespace(namespace).withName(name)
                    .withLabels(labels).endMetadata().withSubsets(subsets).build();
            annotate(next, service, selected);
            try {
                objects.create(next);
            } catch (RuntimeException e) {
                if (!ObjectClient.isConflict(e)) {
                    events.event(next, EventRecorder.WARNING, "FailedToCreateEndpoint",
                            "Failed to create endpoint for service " + namespace + "/" + name + ": " + e.getMessage());
                }
                throw e;
            }
        }
        return Result.DONE;
    }

    static boolean managed(Endpoints endpoints) {
        return endpoints.getMetadata().getLabels() != null && endpoints.getMetadata().getLabels().containsKey(SKIP_MIRROR);
    }

    private static void annotate(Endpoints endpoints, Service service, List<Pod> pods) {
        String trigger = PodEndpoints.triggerTime(service, pods);
        Map<String, String> annotations = new LinkedHashMap<>();
        if (endpoints.getMetadata().getAnnotations() != null) annotations.putAll(endpoints.getMetadata().getAnnotations());
        if (trigger != null) annotations.put(PodEndpoints.TRIGGER_TIME_ANNOTATION, trigger);
        else annotations.remove(PodEndpoints.TRIGGER_TIME_ANNOTATION);
        endpoints.getMetadata().setAnnotations(annotations.isEmpty() ? null : annotations);
    }

    /** The subsets for {@code pods}: grouped by their resolved ports, addresses sorted by IP. A pure function. */
    static List<EndpointSubset> subsets(Service service, List<Pod> pods) {
        boolean publishNotReady = PodEndpoints.publishNotReady(service);
        List<ServicePort> ports = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        Map<List<EndpointPort>, List<EndpointAddress>> ready = new LinkedHashMap<>();
        Map<List<EndpointPort>, List<EndpointAddress>> notReady = new LinkedHashMap<>();
        for (Pod pod : pods) {
            if (!PodEndpoints.belongs(pod, publishNotReady)) continue;
            EndpointAddress address = new EndpointAddressBuilder().withIp(PodEndpoints.ip(pod))
                    .withHostname(PodEndpoints.hostname(pod, service))
                    .withNodeName(pod.getSpec() == null ? null : pod.getSpec().getNodeName())
                    .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build())
                    .build();
            List<EndpointPort> podPorts = new ArrayList<>();
            if (ports.isEmpty()) {
                if (!PodEndpoints.isHeadless(service)) continue;
            } else {
                for (ServicePort port : ports) {
                    OptionalInt number = PodEndpoints.targetPort(pod, port);
                    if (number.isEmpty()) continue;
                    podPorts.add(new EndpointPortBuilder().withName(port.getName()).withPort(number.getAsInt())
                            .withProtocol(port.getProtocol() == null ? "TCP" : port.getProtocol())
                            .withAppProtocol(port.getAppProtocol()).build());
                }
                if (podPorts.isEmpty()) continue;
            }
            podPorts.sort(Comparator.comparing((EndpointPort p) -> String.valueOf(p.getName())).thenComparing(EndpointPort::getPort));
            boolean isReady = publishNotReady || PodEndpoints.isReady(pod);
            (isReady ? ready : notReady).computeIfAbsent(podPorts, k -> new ArrayList<>()).add(address);
            (isReady ? notReady : ready).computeIfAbsent(podPorts, k -> new ArrayList<>());
        }
        List<EndpointSubset> subsets = new ArrayList<>();
        for (List<EndpointPort> portSet : ready.keySet()) {
            List<EndpointAddress> a = sorted(ready.get(portSet));
            List<EndpointAddress> n = sorted(notReady.get(portSet));
            EndpointSubsetBuilder subset = new EndpointSubsetBuilder();
            if (!a.isEmpty()) subset.withAddresses(a);
            if (!n.isEmpty()) subset.withNotReadyAddresses(n);
            if (!portSet.isEmpty()) subset.withPorts(portSet);
            subsets.add(subset.build());
        }
        subsets.sort(Comparator.comparing(s -> s.getPorts() == null ? "" : s.getPorts().toString()));
        return subsets;
    }

    private static List<EndpointAddress> sorted(List<EndpointAddress> addresses) {
        List<EndpointAddress> copy = new ArrayList<>(addresses == null ? List.of() : addresses);
        copy.sort(Comparator.comparing(EndpointAddress::getIp).thenComparing(a -> a.getTargetRef().getUid()));
        return copy;
    }
}
