package io.kube4j.proxy.apiserver;

import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubernetesEndpointRegistrationTest {

    @Test
    void theNodeReachesTheGatewayWhereItsKubeconfigSaysUnlessToldOtherwise() {
        assertThat(KubernetesEndpointRegistration.address("", "https://127.0.0.1:6443/"))
                .isEqualTo(new KubernetesEndpointRegistration.Address("127.0.0.1", 6443));
        assertThat(KubernetesEndpointRegistration.address("", "https://localhost"))
                .isEqualTo(new KubernetesEndpointRegistration.Address("127.0.0.1", 443));
        assertThat(KubernetesEndpointRegistration.address("10.250.0.1:16443", "https://127.0.0.1:6443"))
                .isEqualTo(new KubernetesEndpointRegistration.Address("10.250.0.1", 16443));
        assertThatThrownBy(() -> KubernetesEndpointRegistration.address("", "https://no-such-host.invalid:6443"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-host.invalid");
    }

    @Test
    void theSliceNamesTheNodeSoThatOnlyItsPodsUseIt() {
        EndpointSlice slice = KubernetesEndpointRegistration.desiredSlice("node-2",
                new KubernetesEndpointRegistration.Address("10.250.0.1", 6443));
        assertThat(slice.getMetadata().getName()).isEqualTo("kubernetes-node-2");
        assertThat(slice.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "kubernetes");
        assertThat(slice.getEndpoints()).singleElement().satisfies(e -> {
            assertThat(e.getAddresses()).containsExactly("10.250.0.1");
            assertThat(e.getNodeName()).isEqualTo("node-2");
            assertThat(e.getConditions().getReady()).isTrue();
        });
        assertThat(slice.getPorts()).singleElement().satisfies(p -> {
            assertThat(p.getName()).isEqualTo("https");
            assertThat(p.getPort()).isEqualTo(6443);
        });
    }
}
