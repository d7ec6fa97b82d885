package io.kube4j.gateway.security;

import io.kube4j.gateway.health.HealthProbesController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The gateway serving HTTPS with the certificate it issued itself on start, reached by a client
 * that trusts only {@code ca.crt} — what kubectl does with the kubeconfig's CA.
 */
@SpringBootTest(classes = HttpsGatewayTest.Gateway.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "kube4j.gateway.tls.enabled=true",
                "kube4j.gateway.pki-dir=" + HttpsGatewayTest.PKI_DIR,
                "kube4j.gateway.tls.extra-sans=gateway.example.test,10.96.0.1",
        })
class HttpsGatewayTest {

    /** Relative to the module: kept between runs, so a second run also exercises reuse. */
    static final String PKI_DIR = "target/test-pki/https";

    /** Only what serving needs: the gateway has no store in this test. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({HealthProbesController.class, GatewaySecurityConfiguration.class})
    static class Gateway {}

    @Value("${local.server.port}")
    int port;

    @Autowired
    TokenAuthenticator tokenAuthenticator;

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "[::1]"})
    void readyzAnswersOverHttpsToAClientThatTrustsTheClusterCa(String host) throws Exception {
        HttpResponse<String> response = get(trustingClusterCa(), "https://" + host + ":" + port + "/readyz");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("ok");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/plain"));
    }

    @Test
    void theServedCertificateIsTheIssuedOneWithTheConfiguredNames() throws Exception {
        HttpResponse<String> response = get(trustingClusterCa(), "https://localhost:" + port + "/healthz");
        X509Certificate served = (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
        PkiFiles files = new PkiFiles(Path.of(PKI_DIR).toAbsolutePath());

        assertThat(served).isEqualTo(Pem.readCertificate(files.servingCertificate()));
        served.verify(Pem.readCertificate(files.caCertificate()).getPublicKey());
        assertThat(ClusterPki.subjectAltNames(served)).contains(
                SubjectAltName.of("gateway.example.test"), SubjectAltName.of("10.96.0.1"),
                SubjectAltName.of("kubernetes.default.svc"));
    }

    @Test
    void aClientThatDoesNotTrustTheClusterCaIsRefused() throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(SSLContext.getDefault())
                .connectTimeout(Duration.ofSeconds(10)).build();

        assertThatThrownBy(() -> get(client, "https://localhost:" + port + "/readyz"))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theAdminTokenWrittenOnStartAuthenticatesAsAMaster() throws Exception {
        var tokens = StaticTokenFile.read(Path.of(PKI_DIR, "tokens.csv"));
        String adminToken = tokens.entrySet().stream()
                .filter(entry -> entry.getValue().name().equals("admin"))
                .findFirst().orElseThrow().getKey();

        assertThat(tokenAuthenticator.authenticateToken(adminToken)).hasValueSatisfying(user ->
                assertThat(user.groups()).contains("system:masters"));
    }

    private static HttpClient trustingClusterCa() throws Exception {
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        trustStore.setCertificateEntry("kube4j-ca", Pem.readCertificate(Path.of(PKI_DIR, "ca.crt")));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
    }

    private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
        try (client) {
            return client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }
}
