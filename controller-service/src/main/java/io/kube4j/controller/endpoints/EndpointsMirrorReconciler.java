package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Service;
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

/**
 * kube-controller-manager's {@code endpointslicemirroring}: Endpoints a user keeps for a Service
 * without a selector (the seed's {@code ai-10000}) are mirrored into EndpointSlices, so consumers
 * of slices (the proxy) see them too. One slice per subset and address family, labelled
 * {@code endpointslice.kubernetes.io/managed-by: endpointslicemirroring-controller.k8s.io}, owned by
 * the Endpoints. Endpoints this project's endpoint controller made (label
 * {@code endpointslice.kubernetes.io/skip-mirror}) and those of services with selectors are not
 * mirrored. Keys are Endpoints keys ({@code namespace/name}, the service's too).
 */
public record EndpointsMirrorReconciler(Cache<Service> services, Cache<Endpoints> endpoints, Cache<EndpointSlice> slices,
                                        ObjectClient objects, SliceTracker tracker) implements Reconciler {

    public static final String CONTROLLER = "endpointslicemirroring-controller.k8s.io";
    /** The index of mirrored slices by the key of their Endpoints. */
    public static final String MIRROR_INDEX = "endpointslice-mirror";

    public static List<String> mirrorOf(EndpointSlice slice) {
        Map<String, String> labels = slice.getMetadata().getLabels();
        if (labels == null || !CONTROLLER.equals(labels.get(EndpointSliceReconciler.MANAGED_BY))
                || labels.get(EndpointSliceReconciler.SERVICE_NAME) == null) return List.of();
        return List.of(ObjectKeys.key(slice.getMetadata().getNamespace(), labels.get(EndpointSliceReconciler.SERVICE_NAME)));
    }

    @Override
    public Result reconcile(String key) {
        List<EndpointSlice> existing = new ArrayList<>(slices.byIndex(MIRROR_INDEX, key));
        if (!tracker.current(key, existing)) return Result.requeueAfter(EndpointSliceReconciler.STALE_RETRY);
        existing.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        Optional<Service> service = services.get(key);
        Optional<Endpoints> source = endpoints.get(key);
        List<EndpointSlice> desired = List.of();
        if (service.isPresent() && !PodEndpoints.hasSelector(service.get()) && source.isPresent() && !skipped(source.get())) {
            desired = desired(source.get());
        }
        int i = 0;
        for (; i < desired.size(); i++) {
            EndpointSlice want = desired.get(i);
            if (i < existing.size()) {
                EndpointSlice have = existing.get(i);
                if (same(have, want)) continue;
                EndpointSlice next = Json.MAPPER.convertValue(have, EndpointSlice.class);
                next.setAddressType(want.getAddressType());
                next.setEndpoints(want.getEndpoints());
                next.setPorts(want.getPorts());
                next.getMetadata().setLabels(want.getMetadata().getLabels());
                tracker.wrote(key, objects.update(next));
            } else {
                tracker.wrote(key, objects.create(want));
            }
        }
        for (; i < existing.size(); i++) {
            EndpointSlice gone = existing.get(i);
            objects.delete(EndpointSlice.class, gone.getMetadata().getNamespace(), gone.getMetadata().getName(), gone.getMetadata().getUid(), null);
            tracker.deleted(key, gone);
        }
        return Result.DONE;
    }

    private static boolean skipped(Endpoints e) {
        Map<String, String> labels = e.getMetadata().getLabels();
        return labels != null && "true".equals(labels.get(EndpointsReconciler.SKIP_MIRROR));
    }

    private static boolean same(EndpointSlice a, EndpointSlice b) {
        return Objects.equals(a.getAddressType(), b.getAddressType())
                && Canonical.of(a.getEndpoints()).equals(Canonical.of(b.getEndpoints()))
                && Canonical.of(a.getPorts()).equals(Canonical.of(b.getPorts()))
                && Objects.equals(a.getMetadata().getLabels(), b.getMetadata().getLabels());
    }

    /** The slices that mirror {@code source}: one per subset and address family. A pure function. */
    static List<EndpointSlice> desired(Endpoints source) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (source.getMetadata().getLabels() != null) labels.putAll(source.getMetadata().getLabels());
        labels.put(EndpointSliceReconciler.SERVICE_NAME, source.getMetadata().getName());
        labels.put(EndpointSliceReconciler.MANAGED_BY, CONTROLLER);
        List<EndpointSlice> result = new ArrayList<>();
        for (EndpointSubset subset : source.getSubsets() == null ? List.<EndpointSubset>of() : source.getSubsets()) {
            List<EndpointPort> ports = new ArrayList<>();
            for (var p : subset.getPorts() == null ? List.<io.fabric8.kubernetes.api.model.EndpointPort>of() : subset.getPorts()) {
                ports.add(new EndpointPortBuilder().withName(p.getName()).withPort(p.getPort())
                        .withProtocol(p.getProtocol() == null ? "TCP" : p.getProtocol()).withAppProtocol(p.getAppProtocol()).build());
            }
            for (String family : List.of("IPv4", "IPv6")) {
                List<Endpoint> eps = new ArrayList<>();
                addAll(eps, subset.getAddresses(), true, family);
                addAll(eps, subset.getNotReadyAddresses(), false, family);
                if (eps.isEmpty()) continue;
                result.add(new EndpointSliceBuilder().withNewMetadata().withNamespace(source.getMetadata().getNamespace())
                        .withGenerateName(source.getMetadata().getName() + "-").withLabels(labels)
                        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind("Endpoints")
                                .withName(source.getMetadata().getName()).withUid(source.getMetadata().getUid())
                                .withController(true).withBlockOwnerDeletion(true).build())
                        .endMetadata().withAddressType(family).withEndpoints(eps).withPorts(ports).build());
            }
        }
        return result;
    }

    private static void addAll(List<Endpoint> into, List<EndpointAddress> addresses, boolean ready, String family) {
        if (addresses == null) return;
        for (EndpointAddress a : addresses) {
            if (a.getIp() == null || a.getIp().contains(":") != family.equals("IPv6")) continue;
            into.add(new EndpointBuilder().withAddresses(a.getIp()).withHostname(a.getHostname()).withNodeName(a.getNodeName())
                    .withTargetRef(a.getTargetRef())
                    .withConditions(new EndpointConditionsBuilder().withReady(ready).build()).build());
        }
    }
}
