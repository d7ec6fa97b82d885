package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditionsBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The EndpointSlices of one Service (key {@code namespace/name}), as kube-controller-manager's
 * endpointslice controller keeps them: one endpoint per pod with an IP, conditions
 * ready/serving/terminating, endpoints grouped by their resolved ports, at most
 * {@link #maxEndpointsPerSlice} per slice; labels {@code kubernetes.io/service-name} and
 * {@code endpointslice.kubernetes.io/managed-by}; owned by the Service (so they go with it). A
 * service that selects nothing keeps one empty slice. Endpoints stay in the slice they are in
 * while it still fits, to keep writes few; only changed slices are written.
 */
public record EndpointSliceReconciler(Cache<Service> services, Cache<Pod> pods, Cache<EndpointSlice> slices,
                                      Cache<Node> nodes, ObjectClient objects, EventRecorder events,
                                      int maxEndpointsPerSlice, SliceTracker tracker) implements Reconciler {

    public static final String SERVICE_NAME = "kubernetes.io/service-name";
    public static final String MANAGED_BY = "endpointslice.kubernetes.io/managed-by";
    public static final String CONTROLLER = "endpointslice-controller.k8s.io";
    static final String HEADLESS = "service.kubernetes.io/headless";
    /** The index of slices by the service that manages them: {@code namespace/service}. */
    public static final String SERVICE_INDEX = "endpointslice-service";
    static final java.time.Duration STALE_RETRY = java.time.Duration.ofMillis(200);

    /** The value {@link #SERVICE_INDEX} gives a slice: its service's key if this controller manages it. */
    public static List<String> serviceOf(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        if (labels == null || !CONTROLLER.equals(labels.get(MANAGED_BY)) || labels.get(SERVICE_NAME) == null) return List.of();
        return List.of(ObjectKeys.key(slice.getMetadata().getNamespace(), labels.get(SERVICE_NAME)));
    }

    @Override
    public Result reconcile(String key) {
        Optional<Service> found = services.get(key);
        // Slices of a deleted service are its dependents: the garbage collector removes them.
        if (found.isEmpty()) return Result.DONE;
        Service service = found.get();
        if (!PodEndpoints.hasSelector(service)) return Result.DONE;
        String namespace = ObjectKeys.namespace(key);

        List<Pod> selected = pods.list(namespace).stream()
                .filter(p -> PodEndpoints.selects(service, p.getMetadata().getLabels())).toList();
        Map<String, Group> desired = desired(service, selected);
        Map<String, String> labels = labels(service);
        String trigger = PodEndpoints.triggerTime(service, selected);
        List<EndpointSlice> existing = new ArrayList<>(slices.byIndex(SERVICE_INDEX, key));
        if (!tracker.current(key, existing)) return Result.requeueAfter(STALE_RETRY);
        existing.sort(Comparator.comparing(s -> s.getMetadata().getName()));

        List<EndpointSlice> toCreate = new ArrayList<>();
        List<EndpointSlice> toUpdate = new ArrayList<>();
        List<EndpointSlice> toDelete = new ArrayList<>();

        if (desired.isEmpty()) {
            // A placeholder: one slice without endpoints says the service has none.
            EndpointSlice keep = existing.isEmpty() ? null : existing.getFirst();
            for (EndpointSlice s : existing) if (s != keep) toDelete.add(s);
            EndpointSlice next = keep == null ? newSlice(service, labels) : copy(keep);
            next.setEndpoints(new ArrayList<>());
            next.setPorts(new ArrayList<>());
            next.getMetadata().setLabels(labels);
            if (keep == null) toCreate.add(next);
            else if (!same(keep, next)) toUpdate.add(next);
        } else {
            Map<String, List<EndpointSlice>> kept = new LinkedHashMap<>();
            Set<String> placed = new LinkedHashSet<>();
            for (EndpointSlice slice : existing) {
                List<EndpointPort> ports = sortedPorts(slice.getPorts());
                String portsKey = Canonical.key(ports);
                Group group = desired.get(portsKey);
                if (group == null || !addressType(service).equals(slice.getAddressType())) {
                    toDelete.add(slice);
                    continue;
                }
                List<Endpoint> endpoints = new ArrayList<>();
                for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
                    String id = portsKey + "|" + endpointKey(e);
                    Endpoint wanted = group.endpoints().get(endpointKey(e));
                    if (wanted != null && placed.add(id) && endpoints.size() < maxEndpointsPerSlice) endpoints.add(wanted);
                }
                if (endpoints.isEmpty()) {
                    toDelete.add(slice);
                    continue;
                }
                EndpointSlice next = copy(slice);
                next.setEndpoints(endpoints);
                next.setPorts(group.ports());
                next.getMetadata().setLabels(labels);
                kept.computeIfAbsent(portsKey, k -> new ArrayList<>()).add(next);
            }
            for (var entry : desired.entrySet()) {
                String portsKey = entry.getKey();
                List<EndpointPort> ports = entry.getValue().ports();
                List<Endpoint> unplaced = new ArrayList<>();
                for (var e : entry.getValue().endpoints().entrySet()) if (!placed.contains(portsKey + "|" + e.getKey())) unplaced.add(e.getValue());
                for (EndpointSlice slice : kept.getOrDefault(portsKey, List.of())) {
                    while (!unplaced.isEmpty() && slice.getEndpoints().size() < maxEndpointsPerSlice) {
                        slice.getEndpoints().add(unplaced.removeFirst());
                    }
                }
                while (!unplaced.isEmpty()) {
                    EndpointSlice next = newSlice(service, labels);
                    next.setPorts(ports);
                    List<Endpoint> chunk = new ArrayList<>(unplaced.subList(0, Math.min(maxEndpointsPerSlice, unplaced.size())));
                    unplaced.subList(0, chunk.size()).clear();
                    next.setEndpoints(chunk);
                    toCreate.add(next);
                }
            }
            Map<String, EndpointSlice> before = new LinkedHashMap<>();
            for (EndpointSlice s : existing) before.put(s.getMetadata().getName(), s);
            for (List<EndpointSlice> group : kept.values()) {
                for (EndpointSlice next : group) {
                    if (!same(before.get(next.getMetadata().getName()), next)) toUpdate.add(next);
                }
            }
        }

        for (EndpointSlice s : toCreate) {
            annotate(s, trigger);
            write(() -> {
                EndpointSlice created = objects.create(s);
                tracker.wrote(key, created);
                return created;
            }, s, "create");
        }
        for (EndpointSlice s : toUpdate) {
            annotate(s, trigger);
            write(() -> {
                EndpointSlice updated = objects.update(s);
                tracker.wrote(key, updated);
                return updated;
            }, s, "update");
        }
        for (EndpointSlice s : toDelete) {
            write(() -> {
                objects.delete(EndpointSlice.class, s.getMetadata().getNamespace(), s.getMetadata().getName(), s.getMetadata().getUid(), null);
                tracker.deleted(key, s);
                return s;
            }, s, "delete");
        }
        return Result.DONE;
    }

    private void write(java.util.function.Supplier<EndpointSlice> call, EndpointSlice slice, String verb) {
        try {
            call.get();
        } catch (RuntimeException e) {
            if (!ObjectClient.isConflict(e) && !ObjectClient.isNotFound(e)) {
                events.event(slice, EventRecorder.WARNING, "FailedToUpdateEndpointSlices",
                        "Error updating Endpoint Slices for Service " + slice.getMetadata().getNamespace() + "/"
                                + slice.getMetadata().getLabels().get(SERVICE_NAME) + ": failed to " + verb + " EndpointSlice: " + e.getMessage());
            }
            throw e;
        }
    }

    private static boolean same(EndpointSlice before, EndpointSlice after) {
        if (before == null) return false;
        return Canonical.of(nullToEmpty(before.getEndpoints())).equals(Canonical.of(nullToEmpty(after.getEndpoints())))
                && Canonical.of(nullToEmpty(before.getPorts())).equals(Canonical.of(nullToEmpty(after.getPorts())))
                && Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels());
    }

    private static <T> List<T> nullToEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }

    private static void annotate(EndpointSlice slice, String trigger) {
        if (trigger == null) return;
        Map<String, String> annotations = new LinkedHashMap<>();
        if (slice.getMetadata().getAnnotations() != null) annotations.putAll(slice.getMetadata().getAnnotations());
        annotations.put(PodEndpoints.TRIGGER_TIME_ANNOTATION, trigger);
        slice.getMetadata().setAnnotations(annotations);
    }

    static Map<String, String> labels(Service service) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (service.getMetadata().getLabels() != null) labels.putAll(service.getMetadata().getLabels());
        labels.put(SERVICE_NAME, service.getMetadata().getName());
        labels.put(MANAGED_BY, CONTROLLER);
        if (PodEndpoints.isHeadless(service)) labels.put(HEADLESS, "");
        return labels;
    }

    private EndpointSlice newSlice(Service service, Map<String, String> labels) {
        return new EndpointSliceBuilder().withNewMetadata().withNamespace(service.getMetadata().getNamespace())
                .withGenerateName(service.getMetadata().getName() + "-").withLabels(labels)
                .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Service")
                        .withName(service.getMetadata().getName()).withUid(service.getMetadata().getUid())
                        .withController(true).withBlockOwnerDeletion(true).build())
                .endMetadata().withAddressType(addressType(service)).withEndpoints(new ArrayList<>()).build();
    }

    static String addressType(Service service) {
        List<String> families = service.getSpec().getIpFamilies();
        return families != null && !families.isEmpty() && "IPv6".equals(families.getFirst()) ? "IPv6" : "IPv4";
    }

    /** Endpoints that share one set of ports, by pod uid. */
    record Group(List<EndpointPort> ports, Map<String, Endpoint> endpoints) {
    }

    /** The endpoints the pods make, grouped by their resolved ports (keyed by the ports' canonical form). A pure function. */
    Map<String, Group> desired(Service service, List<Pod> pods) {
        boolean publishNotReady = PodEndpoints.publishNotReady(service);
        boolean v6 = "IPv6".equals(addressType(service));
        List<ServicePort> ports = service.getSpec().getPorts() == null ? List.of() : service.getSpec().getPorts();
        Map<String, Group> groups = new LinkedHashMap<>();
        List<Pod> ordered = new ArrayList<>(pods);
        ordered.sort(Comparator.comparing(p -> p.getMetadata().getName()));
        for (Pod pod : ordered) {
            if (!PodEndpoints.belongs(pod, true)) continue;
            String ip = ipOfFamily(pod, v6);
            if (ip == null) continue;
            List<EndpointPort> podPorts = new ArrayList<>();
            for (ServicePort port : ports) {
                OptionalInt number = PodEndpoints.targetPort(pod, port);
                if (number.isEmpty()) continue;
                podPorts.add(new EndpointPortBuilder().withName(port.getName() == null ? "" : port.getName()).withPort(number.getAsInt())
                        .withProtocol(port.getProtocol() == null ? "TCP" : port.getProtocol()).withAppProtocol(port.getAppProtocol()).build());
            }
            podPorts = sortedPorts(podPorts);
            boolean terminating = PodEndpoints.isTerminating(pod);
            boolean serving = PodEndpoints.isReady(pod);
            String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            String zone = nodeName == null ? null : nodes.get(nodeName)
                    .map(n -> n.getMetadata().getLabels() == null ? null : n.getMetadata().getLabels().get("topology.kubernetes.io/zone")).orElse(null);
            Endpoint endpoint = new EndpointBuilder().withAddresses(ip)
                    .withConditions(new EndpointConditionsBuilder().withReady((publishNotReady || serving) && !terminating)
                            .withServing(publishNotReady || serving).withTerminating(terminating).build())
                    .withHostname(PodEndpoints.hostname(pod, service))
                    .withNodeName(nodeName).withZone(zone)
                    .withTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
                            .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build())
                    .build();
            List<EndpointPort> groupPorts = podPorts;
            groups.computeIfAbsent(Canonical.key(podPorts), k -> new Group(groupPorts, new LinkedHashMap<>()))
                    .endpoints().put(endpointKey(endpoint), endpoint);
        }
        return groups;
    }

    private static String ipOfFamily(Pod pod, boolean v6) {
        List<String> ips = new ArrayList<>();
        if (pod.getStatus().getPodIPs() != null) pod.getStatus().getPodIPs().forEach(i -> ips.add(i.getIp()));
        if (pod.getStatus().getPodIP() != null) ips.add(pod.getStatus().getPodIP());
        return ips.stream().filter(Objects::nonNull).filter(ip -> ip.contains(":") == v6).findFirst().orElse(null);
    }

    private static String endpointKey(Endpoint endpoint) {
        return endpoint.getTargetRef() != null && endpoint.getTargetRef().getUid() != null
                ? endpoint.getTargetRef().getUid() : String.join(",", endpoint.getAddresses());
    }

    private static List<EndpointPort> sortedPorts(List<EndpointPort> ports) {
        List<EndpointPort> copy = new ArrayList<>(ports == null ? List.of() : ports);
        copy.sort(Comparator.comparing((EndpointPort p) -> String.valueOf(p.getName())).thenComparing(p -> p.getPort() == null ? 0 : p.getPort()));
        return copy;
    }

    private static EndpointSlice copy(EndpointSlice slice) {
        return Json.MAPPER.convertValue(slice, EndpointSlice.class);
    }
}
