package io.kube4j.proxy.model;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class IncrementalRuleComputationTest {

    /** Random changes to a cluster, one at a time: the remembered computation always equals the pure one. */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void equalsTheFullComputationAfterEveryChange(long seed) {
        Random random = new Random(seed);
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "svc" + i;
            services.add(RuleComputationTest.service(name, s -> s.editSpec().withClusterIP("10.96.1." + (name.length() + services.size())).endSpec()));
            slices.add(slice(name, random));
        }
        IncrementalRuleComputation incremental = new IncrementalRuleComputation();
        incremental.compute(new ClusterState(services, slices, List.of(), RuleComputationTest.NODE, List.of("10.0.0.5")));
        assertThat(incremental.lastComputed()).isEqualTo(services.size());
        for (int step = 0; step < 40; step++) {
            int victim = random.nextInt(services.size());
            switch (random.nextInt(3)) {
                case 0 -> slices.set(victim, slice(services.get(victim).getMetadata().getName(), random));
                case 1 -> services.set(victim, RuleComputationTest.service(services.get(victim).getMetadata().getName(),
                        s -> s.editSpec().withType("NodePort").editFirstPort().withNodePort(30000 + random.nextInt(100)).endPort().endSpec()));
                default -> slices.add(slice(services.get(victim).getMetadata().getName() + "-extra", random));
            }
            ClusterState state = new ClusterState(services, slices, List.of(), RuleComputationTest.NODE, List.of("10.0.0.5"));
            assertThat(incremental.compute(state)).isEqualTo(RuleComputation.compute(state));
            assertThat(incremental.lastComputed()).as("only what changed is computed").isLessThanOrEqualTo(1);
        }
    }

    private static EndpointSlice slice(String service, Random random) {
        String base = service.replace("-extra", "");
        return RuleComputationTest.slice(base, service + "-" + random.nextInt(1000), "http", 8080,
                new RuleComputationTest.Ep("10.244." + random.nextInt(4) + "." + random.nextInt(250), "node-" + random.nextInt(2),
                        random.nextBoolean(), true, random.nextBoolean()));
    }
}
