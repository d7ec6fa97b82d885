package io.kube4j.gateway.admission;

import io.kube4j.gateway.admission.allocation.ServiceAllocationRepair;
import io.kube4j.gateway.admission.allocation.ServiceAllocators;
import io.kube4j.gateway.admission.allocation.ServiceRangesProperties;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.store.MemoryStore;
import io.kube4j.store.Store;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.kube4j.gateway.admission.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

class ServiceAllocationRepairTest {

    private final MemoryStore store = new MemoryStore();
    private final ServiceAllocators allocators = ServiceAllocators.of(ServiceRangesProperties.defaults());
    private final ServiceStrategy strategy = new ServiceStrategy(allocators);
    private final ServiceAllocationRepair repair = new ServiceAllocationRepair(allocators, BuiltInTypes.SERVICE.keyPrefix());
    private final AdmissionContext context = new AdmissionContext(store, false);

    /** Admits a NodePort Service and, when {@code stored}, writes it as the gateway would. */
    private ObjectNode admit(String name, int nodePort, boolean stored) {
        ObjectNode svc = yaml("metadata: {name: " + name + ", namespace: default, uid: uid-" + name + "}\n"
                + "spec: {type: NodePort, ports: [{port: 80, nodePort: " + nodePort + "}]}");
        strategy.defaults(svc);
        strategy.prepareForCreate(svc, context);
        if (stored) {
            store.create(BuiltInTypes.SERVICE.key("default", name),
                    JsonMapper.builder().build().writeValueAsString(svc).getBytes(StandardCharsets.UTF_8));
        }
        return svc;
    }

    private List<String> keys() {
        return store.list("/kube4j/allocations/", 0, 0, null).items().stream().map(Store.KeyValue::key).toList();
    }

    @Test
    void releasesSettledClaimsThatNoServiceHoldsAndKeepsTheRest() {
        ObjectNode kept = admit("kept", 30001, true);
        long beforeOrphan = store.currentRevision();
        admit("orphan", 30002, false);
        assertThat(keys()).hasSize(4);

        // The orphan's claims are younger than the settled revision: a request may still be writing it.
        ServiceAllocationRepair.Result first = repair.repair(store, beforeOrphan);
        assertThat(first.released()).isZero();
        assertThat(keys()).hasSize(4);

        ServiceAllocationRepair.Result second = repair.repair(store, first.revision());
        assertThat(second.released()).isEqualTo(2);
        assertThat(keys()).containsExactlyInAnyOrder(
                "/kube4j/allocations/serviceips/" + kept.at("/spec/clusterIP").stringValue(),
                "/kube4j/allocations/nodeports/30001");
        assertThat(repair.repair(store, store.currentRevision())).isEqualTo(
                new ServiceAllocationRepair.Result(0, 0, store.currentRevision()));
    }

    @Test
    void claimsValuesThatServicesHoldWithoutAKey() {
        admit("web", 30080, true);
        store.delete("/kube4j/allocations/nodeports/30080", 0);
        ServiceAllocationRepair.Result result = repair.repair(store, store.currentRevision());
        assertThat(result.claimed()).isEqualTo(1);
        assertThat(keys()).contains("/kube4j/allocations/nodeports/30080");

        ObjectNode clash = yaml("metadata: {name: other, namespace: default, uid: uid-other}\n"
                + "spec: {type: NodePort, ports: [{port: 80, nodePort: 30080}]}");
        strategy.defaults(clash);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> strategy.prepareForCreate(clash, context))
                .hasMessageContaining("provided port is already allocated");
    }
}
