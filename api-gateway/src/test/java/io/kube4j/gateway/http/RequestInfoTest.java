package io.kube4j.gateway.http;

import io.kube4j.machinery.errors.ApiException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestInfoTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "/api/v1/namespaces/shop/pods/web/exec                  | ''   | shop | pods       | web    | exec",
            "/api/v1/namespaces/shop/pods/web/log                   | ''   | shop | pods       | web    | log",
            "/api/v1/namespaces/shop/pods/web/portforward           | ''   | shop | pods       | web    | portforward",
            "/api/v1/nodes/node-1/proxy                             | ''   | -    | nodes      | node-1 | proxy",
            "/api/v1/nodes/node-1/proxy/stats/summary               | ''   | -    | nodes      | node-1 | proxy",
            "/api/v1/namespaces/shop/services/web/proxy/a/b/c/d     | ''   | shop | services   | web    | proxy",
            "/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods/web  | metrics.k8s.io | shop | pods | web | -",
            "/api/v1/namespaces/shop                                | ''   | -    | namespaces | shop   | -"})
    void addressesWhatKubeApiserverAddresses(String path, String group, String namespace, String resource, String name,
                                             String subresource) {
        RequestInfo info = RequestInfo.parse(path);
        assertThat(info.group()).isEqualTo(group);
        assertThat(info.namespace()).isEqualTo(namespace);
        assertThat(info.resource()).isEqualTo(resource);
        assertThat(info.name()).isEqualTo(name);
        assertThat(info.subresource()).isEqualTo(subresource);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/nodes/node-1/status/extra", "/api/v1/namespaces/shop/pods/web/exec/more", "/version"})
    void pathsThatAddressNothingAre404s(String path) {
        assertThatThrownBy(() -> RequestInfo.parse(path)).isInstanceOfSatisfying(ApiException.class,
                e -> assertThat(e.code()).isEqualTo(404));
    }
}
