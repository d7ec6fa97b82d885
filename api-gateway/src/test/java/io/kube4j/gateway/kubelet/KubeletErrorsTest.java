package io.kube4j.gateway.kubelet;

import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ObjectNode;

import java.net.ConnectException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubeletErrorsTest {

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "400 | container \"app\" in pod \"web\" is waiting to start: ContainerCreating | 400 | BadRequest | container \"app\" in pod \"web\" is waiting to start: ContainerCreating",
            "404 | ''                                                                  | 404 | NotFound   | the server could not find the requested resource",
            "500 | runtime failed\\n                                                   | 500 | InternalError | runtime failed",
            "302 | elsewhere                                                           | 500 | InternalError | elsewhere",
            "503 | ''                                                                  | 503 | ServiceUnavailable | the server is currently unable to handle the request",
            "400 | {\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":\"no such container\",\"reason\":\"NotFound\",\"code\":404} | 404 | NotFound | no such container",
            "400 | {not json                                                           | 400 | BadRequest | {not json"})
    void anAgentsRefusalBecomesAStatusWithItsCodeAndText(int code, String body, int expectedCode, String reason,
                                                        String message) {
        ApiException e = KubeletErrors.fromResponse(code, body.replace("\\n", "\n"));
        assertThat(e.code()).isEqualTo(expectedCode);
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).isEqualTo(message);
    }

    @Test
    void anUnreachableAgentIsServiceUnavailable() {
        ApiException e = KubeletErrors.unreachable(new KubeletEndpoint("10.0.0.7", 10250), new ConnectException("Connection refused"));
        assertThat(e.code()).isEqualTo(503);
        assertThat(e.getMessage()).isEqualTo("error dialing backend: dial tcp 10.0.0.7:10250: Connection refused");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "internal ip and port | [{\"type\":\"Hostname\",\"address\":\"n1\"},{\"type\":\"InternalIP\",\"address\":\"10.0.0.2\"}] | {\"kubeletEndpoint\":{\"Port\":10255}} | 10.0.0.2:10255",
            "default port         | [{\"type\":\"InternalIP\",\"address\":\"10.0.0.2\"}]                                      | {}                                   | 10.0.0.2:10250",
            "hostname fallback    | [{\"type\":\"Hostname\",\"address\":\"n1\"}]                                              | {\"kubeletEndpoint\":{\"Port\":0}}   | n1:10250",
            "ipv6                 | [{\"type\":\"InternalIP\",\"address\":\"fd00::2\"}]                                       | {\"kubeletEndpoint\":{\"Port\":9}}   | [fd00::2]:9"})
    void theEndpointIsTheNodesAddressAndAdvertisedPort(String name, String addresses, String daemonEndpoints,
                                                       String authority) {
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree("{\"metadata\":{\"name\":\"n1\"},\"status\":{\"addresses\":"
                + addresses + ",\"daemonEndpoints\":" + daemonEndpoints + "}}");
        assertThat(KubeletEndpoint.of(node).authority()).isEqualTo(authority);
    }

    @Test
    void aNodeWithoutAddressesCannotBeReached() {
        ObjectNode node = (ObjectNode) Json.MAPPER.readTree("{\"metadata\":{\"name\":\"n1\"},\"status\":{\"addresses\":"
                + "[{\"type\":\"InternalDNS\",\"address\":\"n1.local\"}]}}");
        assertThatThrownBy(() -> KubeletEndpoint.of(node)).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.code()).isEqualTo(503);
            assertThat(e.getMessage()).isEqualTo("no preferred addresses found for node n1; known addresses: [{InternalDNS n1.local}]");
        });
    }
}
