package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static io.kube4j.controller.endpoints.EndpointsReconcilerTest.pod;
import static io.kube4j.controller.endpoints.EndpointsReconcilerTest.service;
import static org.assertj.core.api.Assertions.assertThat;

class EndpointSliceReconcilerTest {

    final IndexedCache<Service> services = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<>();
    final IndexedCache<EndpointSlice> slices = new IndexedCache<EndpointSlice>()
            .addIndex(EndpointSliceReconciler.SERVICE_INDEX, EndpointSliceReconciler::serviceOf);
    final IndexedCache<Node> nodes = new IndexedCache<>();
    final FakeObjectClient objects = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();

    EndpointSliceReconciler reconciler(int max) {
        return new EndpointSliceReconciler(services, pods, slices, nodes, objects, events, max, new SliceTracker(Clock.systemUTC()));
    }

    /** Each slice as {@code [ip(ready,serving,terminating) ...] ports}; slices ordered by their first address. */
    List<String> describe() {
        List<String> out = new ArrayList<>();
        for (EndpointSlice s : objects.list(EndpointSlice.class)) {
            List<String> eps = new ArrayList<>();
            for (Endpoint e : s.getEndpoints()) {
                var c = e.getConditions();
                eps.add(e.getAddresses().getFirst() + "(" + flag(c.getReady()) + flag(c.getServing()) + flag(c.getTerminating()) + ")");
            }
            eps.sort(Comparator.naturalOrder());
            out.add(eps + " " + (s.getPorts() == null ? List.of() : s.getPorts().stream().map(p -> p.getPort()).toList()));
        }
        out.sort(Comparator.naturalOrder());
        return out;
    }

    static String flag(Boolean b) {
        return Boolean.TRUE.equals(b) ? "1" : "0";
    }

    void sync() {
        slices.list().forEach(s -> slices.remove(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName()));
        objects.list(EndpointSlice.class).forEach(slices::put);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ready, unready and terminating conditions | a:10.0.0.1:true,b:10.0.0.2:false,c:10.0.0.3:true:terminating | 100 | [10.0.0.1(110), 10.0.0.2(000), 10.0.0.3(011)] [8080]",
            "named ports split endpoints into slices   | a:10.0.0.1:true,alt:10.0.0.2:true                            | 100 | [10.0.0.1(110)] [8080];[10.0.0.2(110)] [9090]",
            "at most max endpoints per slice            | a:10.0.0.1:true,b:10.0.0.2:true,c:10.0.0.3:true              | 2   | [10.0.0.1(110), 10.0.0.2(110)] [8080];[10.0.0.3(110)] [8080]",
            "pods without IPs: one empty slice          | a::true                                                      | 100 | [] []",
    })
    void buildsSlices(String name, String podSpecs, int max, String expected) {
        services.put(service(true, "10.0.0.1", true));
        for (String p : podSpecs.split(",")) pods.put(pod(p));
        reconciler(max).reconcile("ns/web");
        assertThat(String.join(";", describe())).isEqualTo(expected);
        EndpointSlice any = objects.list(EndpointSlice.class).getFirst();
        assertThat(any.getMetadata().getLabels())
                .containsEntry("kubernetes.io/service-name", "web")
                .containsEntry("endpointslice.kubernetes.io/managed-by", "endpointslice-controller.k8s.io")
                .containsEntry("tier", "front");
        assertThat(any.getMetadata().getOwnerReferences().getFirst().getUid()).isEqualTo("svc-uid");
        assertThat(any.getAddressType()).isEqualTo("IPv4");
    }

    @Test
    void aSecondPassWritesNothingAndChangesMoveOnlyWhatChanged() {
        services.put(service(true, "10.0.0.1", true));
        nodes.put(new NodeBuilder().withNewMetadata().withName("n1").addToLabels("topology.kubernetes.io/zone", "z1").endMetadata().build());
        for (String p : List.of("a:10.0.0.1:true", "b:10.0.0.2:true", "c:10.0.0.3:true")) pods.put(pod(p));
        EndpointSliceReconciler reconciler = reconciler(2);
        reconciler.reconcile("ns/web");
        sync();
        assertThat(objects.list(EndpointSlice.class).getFirst().getEndpoints().getFirst().getZone()).isEqualTo("z1");
        objects.clearActions();
        reconciler.reconcile("ns/web");
        assertThat(objects.actions()).isEmpty();

        pods.put(pod("b:10.0.0.2:false"));
        reconciler.reconcile("ns/web");
        assertThat(objects.actions()).hasSize(1).allMatch(a -> a.startsWith("update EndpointSlice"));
        sync();

        pods.remove("ns/c");
        objects.clearActions();
        reconciler.reconcile("ns/web");
        assertThat(objects.actions()).hasSize(1).allMatch(a -> a.startsWith("delete EndpointSlice"));
        sync();
        assertThat(describe()).containsExactly("[10.0.0.1(110), 10.0.0.2(000)] [8080]");
    }

    @Test
    void aCacheBehindItsOwnWritesWaitsInsteadOfCreatingTwice() {
        services.put(service(true, "10.0.0.1", true));
        pods.put(pod("a:10.0.0.1:true"));
        EndpointSliceReconciler reconciler = reconciler(100);
        reconciler.reconcile("ns/web");
        Result stale = reconciler.reconcile("ns/web");
        assertThat(stale.requeueAfter()).isNotNull();
        assertThat(objects.list(EndpointSlice.class)).hasSize(1);
        sync();
        assertThat(reconciler.reconcile("ns/web").requeueAfter()).isNull();
        assertThat(objects.list(EndpointSlice.class)).hasSize(1);
    }

    @Test
    void aServiceWithoutSelectorGetsNoSlices() {
        services.put(service(false, "10.0.0.1", true));
        pods.put(pod("a:10.0.0.1:true"));
        reconciler(100).reconcile("ns/web");
        assertThat(objects.actions()).isEmpty();
    }
}
