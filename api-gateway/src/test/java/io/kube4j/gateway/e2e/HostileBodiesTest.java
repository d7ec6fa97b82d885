package io.kube4j.gateway.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Malformed, oversized and hostile bodies get a 4xx Status and leave the store as it was: the
 * store's revision does not move.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileBodiesTest {

    private GatewayCluster cluster;
    private HttpClient http;

    @BeforeAll
    void start() throws Exception {
        cluster = GatewayCluster.start();
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("ca", CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cluster.caPem)));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        http = HttpClient.newBuilder().sslContext(ssl).build();
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    record Case(String name, String method, String path, String contentType, byte[] body, int expectedStatus) {
        @Override
        public String toString() {
            return name;
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Case> cases() {
        String cms = "/api/v1/namespaces/default/configmaps";
        String deep = "{\"metadata\":{\"name\":\"deep\"},\"data\":" + "{\"a\":".repeat(5000) + "1" + "}".repeat(5000) + "}";
        String huge = "{\"metadata\":{\"name\":\"huge\"},\"data\":{\"a\":\"" + "x".repeat(4 * 1024 * 1024) + "\"}}";
        byte[] badUtf8 = new byte[]{'{', '"', 'm', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
        return Stream.of(
                new Case("not JSON", "POST", cms, "application/json", utf8("{not json"), 400),
                new Case("a JSON array", "POST", cms, "application/json", utf8("[1,2]"), 400),
                new Case("empty body", "POST", cms, "application/json", new byte[0], 400),
                new Case("nesting 5000 deep", "POST", cms, "application/json", utf8(deep), 400),
                new Case("a 4 MiB string", "POST", cms, "application/json", utf8(huge), 413),
                new Case("bad UTF-8", "POST", cms, "application/json", badUtf8, 400),
                new Case("name of the wrong type", "POST", cms, "application/json", utf8("{\"metadata\":{\"name\":5}}"), 400),
                new Case("metadata of the wrong type", "POST", cms, "application/json", utf8("{\"metadata\":\"x\"}"), 400),
                new Case("labels of the wrong type", "POST", cms, "application/json", utf8("{\"metadata\":{\"name\":\"l\",\"labels\":[1]}}"), 400),
                new Case("kind of another resource", "POST", cms, "application/json", utf8("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"k\"}}"), 400),
                new Case("namespace that differs from the path", "POST", cms, "application/json",
                        utf8("{\"metadata\":{\"name\":\"n\",\"namespace\":\"other\"}}"), 400),
                new Case("no name", "POST", cms, "application/json", utf8("{\"metadata\":{}}"), 422),
                new Case("invalid name", "POST", cms, "application/json", utf8("{\"metadata\":{\"name\":\"UPPER\"}}"), 422),
                new Case("unknown media type", "POST", cms, "text/plain", utf8("hello"), 415),
                new Case("protobuf garbage", "POST", cms, "application/vnd.kubernetes.protobuf", utf8("k8s\0garbage"), 400),
                // The YAML reader does not expand aliases into copies, so the bomb costs nothing; the body then lacks a name.
                new Case("YAML with a bomb of aliases", "POST", cms, "application/yaml", utf8(
                        "a: &a [\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\",\"x\"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                                + "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
                                + "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
                                + "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"), 422),
                new Case("a JSON patch that is not a list", "PATCH", cms + "/victim", "application/json-patch+json", utf8("{}"), 400),
                new Case("a merge patch that is not JSON", "PATCH", cms + "/victim", "application/merge-patch+json", utf8("{{"), 400),
                new Case("update with a name that differs from the path", "PUT", cms + "/victim", "application/json",
                        utf8("{\"metadata\":{\"name\":\"other\"}}"), 400),
                new Case("a stale resourceVersion", "PUT", cms + "/victim", "application/json",
                        utf8("{\"metadata\":{\"name\":\"victim\",\"resourceVersion\":\"1\"}}"), 409),
                new Case("a resourceVersion that is not a number", "PUT", cms + "/victim", "application/json",
                        utf8("{\"metadata\":{\"name\":\"victim\",\"resourceVersion\":\"abc\"}}"), 400),
                new Case("an unknown resource", "POST", "/api/v1/namespaces/default/nonsense", "application/json", utf8("{}"), 404),
                new Case("a bad label selector", "GET", cms + "?labelSelector=a%20in%20(", null, null, 400),
                new Case("a bad limit", "GET", cms + "?limit=abc", null, null, 400),
                new Case("a bad continue token", "GET", cms + "?limit=1&continue=zzz", null, null, 400));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void refusedWithAStatusAndNothingChanges(Case c) throws Exception {
        ensureVictim();
        long before = cluster.etcdRevision();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(cluster.url() + c.path()))
                .header("Authorization", "Bearer " + cluster.token);
        if (c.contentType() != null) request.header("Content-Type", c.contentType());
        request.method(c.method(), c.body() == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(c.body()));
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(c.expectedStatus());
        assertThat(response.body()).contains("\"kind\":\"Status\"", "\"status\":\"Failure\"", "\"code\":" + c.expectedStatus());
        assertThat(cluster.etcdRevision()).as("the store did not change").isEqualTo(before);
    }

    private void ensureVictim() throws Exception {
        HttpResponse<String> get = http.send(HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/default/configmaps/victim"))
                .header("Authorization", "Bearer " + cluster.token).build(), HttpResponse.BodyHandlers.ofString());
        if (get.statusCode() == 200) return;
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/namespaces/default/configmaps"))
                .header("Authorization", "Bearer " + cluster.token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"name\":\"victim\"},\"data\":{\"a\":\"1\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(201);
    }
}
