package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.util.List;

import static io.kube4j.controller.endpoints.EndpointsReconcilerTest.service;
import static org.assertj.core.api.Assertions.assertThat;

class EndpointsMirrorReconcilerTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a selector-less service's endpoints are mirrored     | false | false | true  | 172.16.1.3(ready);10.0.0.9(notready) 10000",
            "endpoints of a service with a selector are not      | true  | false | true  | ''",
            "endpoints the endpoint controller made are not      | false | true  | true  | ''",
            "endpoints without a service are not                 | false | false | false | ''",
    })
    void mirrors(String name, boolean selector, boolean skipMirror, boolean withService, String expected) {
        IndexedCache<Service> services = new IndexedCache<>();
        IndexedCache<Endpoints> endpoints = new IndexedCache<>();
        IndexedCache<EndpointSlice> slices = new IndexedCache<EndpointSlice>().addIndex(EndpointsMirrorReconciler.MIRROR_INDEX, EndpointsMirrorReconciler::mirrorOf);
        FakeObjectClient objects = new FakeObjectClient();
        if (withService) services.put(service(selector, "10.96.0.5", true));
        EndpointsBuilder e = new EndpointsBuilder().withNewMetadata().withNamespace("ns").withName("web").withUid("ep-uid").endMetadata()
                .addNewSubset().addNewAddress().withIp("172.16.1.3").endAddress().addNewNotReadyAddress().withIp("10.0.0.9").endNotReadyAddress()
                .addNewPort().withPort(10000).endPort().endSubset();
        if (skipMirror) e.editMetadata().addToLabels("endpointslice.kubernetes.io/skip-mirror", "true").endMetadata();
        endpoints.put(e.build());
        EndpointsMirrorReconciler reconciler = new EndpointsMirrorReconciler(services, endpoints, slices, objects, new SliceTracker(Clock.systemUTC()));
        reconciler.reconcile("ns/web");

        List<EndpointSlice> made = objects.list(EndpointSlice.class);
        String actual = made.stream().map(s -> String.join(";", s.getEndpoints().stream()
                .map(ep -> ep.getAddresses().getFirst() + "(" + (ep.getConditions().getReady() ? "ready" : "notready") + ")").toList())
                + " " + s.getPorts().getFirst().getPort()).reduce("", String::concat);
        assertThat(actual).isEqualTo(expected);
        if (!made.isEmpty()) {
            assertThat(made.getFirst().getMetadata().getLabels()).containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslicemirroring-controller.k8s.io");
            made.forEach(slices::put);
            objects.clearActions();
            reconciler.reconcile("ns/web");
            assertThat(objects.actions()).isEmpty();
            endpoints.remove("ns/web");
            reconciler.reconcile("ns/web");
            assertThat(objects.list(EndpointSlice.class)).isEmpty();
        }
    }
}
