package io.kube4j.controller.endpoints;

import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.events.RecordingEventRecorder;
import io.kube4j.machinery.informer.IndexedCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointsReconcilerTest {

    /** A pod: {@code name:ip:ready[:terminating][:restart=Never,phase=Succeeded]}; port named http at 8080, or 9090 when the name starts with "alt". */
    static Pod pod(String spec) {
        String[] f = spec.split(":");
        PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("ns").withName(f[0]).withUid("uid-" + f[0])
                .addToLabels("app", f[0].startsWith("other") ? "other" : "web")
                .withDeletionTimestamp(f.length > 3 && f[3].equals("terminating") ? "2026-01-01T00:00:00Z" : null).endMetadata()
                .withNewSpec().withNodeName("n1").withRestartPolicy(f.length > 4 ? "Never" : "Always")
                .addNewContainer().withName("c").addNewPort().withName("http").withContainerPort(f[0].startsWith("alt") ? 9090 : 8080).endPort().endContainer()
                .endSpec()
                .withNewStatus().withPhase(f.length > 4 ? "Succeeded" : "Running").withPodIP(f[1].isEmpty() ? null : f[1])
                .addNewCondition().withType("Ready").withStatus(Boolean.parseBoolean(f[2]) ? "True" : "False")
                .withLastTransitionTime("2026-01-01T00:00:0" + (f[0].length() % 10) + "Z").endCondition().endStatus();
        return b.build();
    }

    static Service service(boolean selector, String clusterIP, boolean withPorts) {
        ServiceBuilder b = new ServiceBuilder().withNewMetadata().withNamespace("ns").withName("web").withUid("svc-uid")
                .withCreationTimestamp("2025-12-31T00:00:00Z").addToLabels("tier", "front").endMetadata()
                .withNewSpec().withClusterIP(clusterIP).endSpec();
        if (selector) b.editSpec().addToSelector("app", "web").endSpec();
        if (withPorts) b.editSpec().addToPorts(new ServicePortBuilder().withName("http").withPort(80)
                .withTargetPort(new IntOrString("http")).withProtocol("TCP").build()).endSpec();
        return b.build();
    }

    /** Subsets as {@code ready=[ip...] notReady=[ip...] ports=[port...]} per subset. */
    static String describe(List<EndpointSubset> subsets) {
        List<String> out = new ArrayList<>();
        for (EndpointSubset s : subsets) {
            out.add("ready=" + (s.getAddresses() == null ? List.of() : s.getAddresses().stream().map(a -> a.getIp()).toList())
                    + " notReady=" + (s.getNotReadyAddresses() == null ? List.of() : s.getNotReadyAddresses().stream().map(a -> a.getIp()).toList())
                    + " ports=" + (s.getPorts() == null ? List.of() : s.getPorts().stream().map(p -> p.getPort()).toList()));
        }
        return String.join("; ", out);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ready and unready pods split                  | a:10.0.0.2:true,b:10.0.0.1:false                 | 10.0.0.1 | ready=[10.0.0.2] notReady=[10.0.0.1] ports=[8080]",
            "addresses are sorted by IP                     | b:10.0.0.9:true,a:10.0.0.3:true                  | 10.0.0.1 | ready=[10.0.0.3, 10.0.0.9] notReady=[] ports=[8080]",
            "a pod without an IP is left out                | a::true,b:10.0.0.1:true                          | 10.0.0.1 | ready=[10.0.0.1] notReady=[] ports=[8080]",
            "a terminating pod is left out                  | a:10.0.0.1:true:terminating,b:10.0.0.2:true      | 10.0.0.1 | ready=[10.0.0.2] notReady=[] ports=[8080]",
            "a finished pod that will not restart is out    | a:10.0.0.1:false:-:done,b:10.0.0.2:true          | 10.0.0.1 | ready=[10.0.0.2] notReady=[] ports=[8080]",
            "pods not selected are out                      | other:10.0.0.1:true,b:10.0.0.2:true              | 10.0.0.1 | ready=[10.0.0.2] notReady=[] ports=[8080]",
            "a named port resolves per pod                  | a:10.0.0.1:true,alt:10.0.0.2:true                | 10.0.0.1 | ready=[10.0.0.1] notReady=[] ports=[8080]; ready=[10.0.0.2] notReady=[] ports=[9090]",
            "a headless service without ports has addresses | a:10.0.0.1:true                                  | None-noports | ready=[10.0.0.1] notReady=[] ports=[]",
            "no pods, no subsets                            | ''                                               | 10.0.0.1 | ''",
    })
    void buildsSubsets(String name, String pods, String clusterIP, String expected) {
        boolean noPorts = clusterIP.endsWith("-noports");
        Service svc = service(true, clusterIP.replace("-noports", ""), !noPorts);
        List<Pod> list = new ArrayList<>();
        if (!pods.isEmpty()) for (String p : pods.split(",")) list.add(pod(p));
        List<Pod> selected = list.stream().filter(p -> PodEndpoints.selects(svc, p.getMetadata().getLabels())).toList();
        assertThat(describe(EndpointsReconciler.subsets(svc, selected))).isEqualTo(expected);
    }

    final IndexedCache<Service> services = new IndexedCache<>();
    final IndexedCache<Pod> pods = new IndexedCache<>();
    final IndexedCache<Endpoints> endpoints = new IndexedCache<>();
    final FakeObjectClient objects = new FakeObjectClient();
    final RecordingEventRecorder events = new RecordingEventRecorder();
    final EndpointsReconciler reconciler = new EndpointsReconciler(services, pods, endpoints, objects, events);

    @Test
    void createsThenLeavesUnchangedEndpointsAlone() {
        services.put(service(true, "10.0.0.1", true));
        pods.put(pod("a:10.0.0.2:true"));
        reconciler.reconcile("ns/web");
        Endpoints made = objects.get(Endpoints.class, "ns", "web").orElseThrow();
        assertThat(made.getMetadata().getLabels()).containsEntry("tier", "front").containsEntry("endpointslice.kubernetes.io/skip-mirror", "true");
        assertThat(made.getMetadata().getAnnotations()).containsEntry("endpoints.kubernetes.io/last-change-trigger-time", "2026-01-01T00:00:01Z");
        assertThat(made.getSubsets().getFirst().getAddresses().getFirst().getTargetRef().getName()).isEqualTo("a");
        assertThat(made.getSubsets().getFirst().getAddresses().getFirst().getNodeName()).isEqualTo("n1");

        endpoints.put(made);
        objects.clearActions();
        reconciler.reconcile("ns/web");
        assertThat(objects.actions()).isEmpty();

        pods.put(pod("a:10.0.0.2:false"));
        reconciler.reconcile("ns/web");
        assertThat(objects.actions()).containsExactly("update Endpoints ns/web");
        assertThat(objects.get(Endpoints.class, "ns", "web").orElseThrow().getSubsets().getFirst().getNotReadyAddresses()).hasSize(1);
    }

    @Test
    void endpointsOfAServiceWithoutSelectorBelongToTheirUser() {
        services.put(service(false, "10.0.0.1", true));
        Endpoints manual = objects.seed(new EndpointsBuilder().withNewMetadata().withNamespace("ns").withName("web").endMetadata()
                .addNewSubset().addNewAddress().withIp("172.16.1.3").endAddress().addNewPort().withPort(10000).endPort().endSubset().build());
        endpoints.put(manual);
        reconciler.reconcile("ns/web");
        services.remove("ns/web");
        reconciler.reconcile("ns/web");
        assertThat(objects.actions()).isEmpty();
    }

    @Test
    void endpointsThisControllerMadeGoWithTheirService() {
        services.put(service(true, "10.0.0.1", true));
        reconciler.reconcile("ns/web");
        endpoints.put(objects.get(Endpoints.class, "ns", "web").orElseThrow());
        services.remove("ns/web");
        reconciler.reconcile("ns/web");
        assertThat(objects.list(Endpoints.class)).isEmpty();
    }
}
