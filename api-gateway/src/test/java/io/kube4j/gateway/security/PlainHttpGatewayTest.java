package io.kube4j.gateway.security;

import io.kube4j.gateway.health.HealthProbesController;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** With TLS off the gateway serves plain HTTP and leaves the PKI directory alone. */
@SpringBootTest(classes = PlainHttpGatewayTest.Gateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kube4j.gateway.tls.enabled=false", "kube4j.gateway.pki-dir=" + PlainHttpGatewayTest.PKI_DIR})
class PlainHttpGatewayTest {

    static final String PKI_DIR = "target/test-pki/plain-never-created";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({HealthProbesController.class, GatewaySecurityConfiguration.class})
    static class Gateway {}

    @Value("${local.server.port}")
    int port;

    @Test
    void servesPlainHttpAndWritesNoFiles() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            HttpResponse<String> response = client.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/livez")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("ok");
        }
        assertThat(Path.of(PKI_DIR)).doesNotExist();
    }
}
