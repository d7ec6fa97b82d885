package io.kube4j.controller.servicelb;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LoadBalancerAllocatorTest {

    /** {@code name:type[:requested][=current]}, created in the order given. */
    static List<Service> services(String spec) {
        List<Service> out = new ArrayList<>();
        int i = 0;
        for (String entry : spec.split(",")) {
            String[] kv = entry.trim().split("=", -1);
            String[] f = kv[0].split(":");
            ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace("ns").withName(f[0])
                    .withCreationTimestamp("2026-01-01T00:00:0" + (i++) + "Z").endMetadata()
                    .withNewSpec().withType(f[1]).withLoadBalancerIP(f.length > 2 ? f[2] : null)
                    .withLoadBalancerClass(f.length > 3 ? f[3] : null).endSpec();
            if (kv.length > 1 && !kv[1].isEmpty()) b.withNewStatus().withNewLoadBalancer().addNewIngress().withIp(kv[1]).endIngress().endLoadBalancer().endStatus();
            out.add(b.build());
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "first free in order of creation        | 10.9.0.0/30           | a:LoadBalancer, b:LoadBalancer, c:LoadBalancer           | {ns/a=[10.9.0.1], ns/b=[10.9.0.2]}",
            "held addresses are kept and skipped    | 10.9.0.1-10.9.0.3     | a:LoadBalancer=10.9.0.1, b:LoadBalancer                  | {ns/b=[10.9.0.2]}",
            "other types get nothing                | 10.9.0.1-10.9.0.3     | a:ClusterIP, b:NodePort, c:LoadBalancer                  | {ns/c=[10.9.0.1]}",
            "a requested free address is given      | 10.9.0.0/24           | a:LoadBalancer:10.9.0.77                                 | {ns/a=[10.9.0.77]}",
            "a requested taken address is not       | 10.9.0.0/24           | a:LoadBalancer=10.9.0.77, b:LoadBalancer:10.9.0.77       | {}",
            "a requested address outside the pool   | 10.9.0.0/24           | a:LoadBalancer:10.8.0.1                                  | {}",
            "a former LoadBalancer gives it back    | 10.9.0.0/24           | a:ClusterIP=10.9.0.1, b:LoadBalancer                     | {ns/a=[], ns/b=[10.9.0.1]}",
            "another class's Services are not ours  | 10.9.0.0/24           | a:LoadBalancer::example.org/lb, b:LoadBalancer           | {ns/b=[10.9.0.1]}",
            "no pool, no address                    | 10.9.0.1-10.9.0.0/32  | a:LoadBalancer                                           | {}",
    })
    void plans(String name, String pool, String services, String expected) {
        AddressPool p = pool.contains("-10.9.0.0/32") ? AddressPool.parse(List.of()) : AddressPool.parse(List.of(pool.split(";")));
        assertThat(LoadBalancerAllocator.plan(services(services), p, Map.of()).toString()).isEqualTo(expected);
    }

    @Test
    void writesTheStatusOnceAndRemembersWhatTheCacheDoesNotShowYet() {
        IndexedCache<Service> cache = new IndexedCache<>();
        FakeObjectClient objects = new FakeObjectClient();
        RecordingEventRecorder events = new RecordingEventRecorder();
        for (Service s : services("a:LoadBalancer")) cache.put(objects.seed(s));
        LoadBalancerAllocator allocator = new LoadBalancerAllocator(cache, objects, events, AddressPool.parse(List.of("10.9.0.0/30")));
        allocator.reconcile(LoadBalancerAllocator.KEY);
        assertThat(LoadBalancerAllocator.addresses(objects.get(Service.class, "ns", "a").orElseThrow())).containsExactly("10.9.0.1");
        // The cache still shows no address: a second reconcile must neither write again nor give 10.9.0.2 to b.
        for (Service s : services("a:LoadBalancer, b:LoadBalancer").subList(1, 2)) cache.put(objects.seed(s));
        objects.clearActions();
        allocator.reconcile(LoadBalancerAllocator.KEY);
        assertThat(LoadBalancerAllocator.addresses(objects.get(Service.class, "ns", "b").orElseThrow())).containsExactly("10.9.0.2");
        assertThat(objects.actions()).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource({"10.9.0.0/30,10.9.0.1,10.9.0.2", "10.9.0.5/32,10.9.0.5,10.9.0.5", "10.9.0.8-10.9.0.9,10.9.0.8,10.9.0.9"})
    void poolsLeaveOutNetworkAndBroadcast(String entry, String first, String last) {
        AddressPool pool = AddressPool.parse(List.of(entry));
        assertThat(pool.firstFree(java.util.Set.of())).contains(first);
        assertThat(pool.contains(last)).isTrue();
        assertThat(pool.contains(AddressPool.toText(AddressPool.toLong(last) + 1))).isFalse();
    }
}
