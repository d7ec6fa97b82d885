package io.kube4j.proxy.ingress;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kube4j.proxy.model.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTPS on the ingress server: certificates from TLS Secrets chosen by the client's server name,
 * Secrets made by openssl as users make them, requests over a real TLS socket.
 */
class IngressTlsTest {

    static HttpServer backend;
    static IngressServer ingress;
    static int port;
    static final Map<String, Secret> SECRETS = new java.util.concurrent.ConcurrentHashMap<>();
    static final AtomicReference<TlsHosts> TLS = new AtomicReference<>(TlsHosts.empty());

    static Secret tlsSecret(String name, String commonName) throws Exception {
        Path dir = Files.createTempDirectory("tls");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-keyout", dir.resolve("k.pem").toString(), "-out", dir.resolve("c.pem").toString(), "-subj", "/CN=" + commonName)
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        Base64.Encoder e = Base64.getEncoder();
        return new SecretBuilder().withNewMetadata().withNamespace("shop").withName(name).withResourceVersion("1").endMetadata()
                .withType("kubernetes.io/tls")
                .withData(Map.of("tls.crt", e.encodeToString(Files.readAllBytes(dir.resolve("c.pem"))),
                        "tls.key", e.encodeToString(Files.readAllBytes(dir.resolve("k.pem"))))).build();
    }

    static List<Ingress> ingresses() {
        return List.of(new KubernetesSerialization().unmarshal("""
                apiVersion: networking.k8s.io/v1
                kind: Ingress
                metadata: {name: shop, namespace: shop}
                spec:
                  tls:
                  - {hosts: [shop.example.com], secretName: shop-tls}
                  - {hosts: ["*.api.example.com"], secretName: api-tls}
                  - {hosts: [gone.example.com], secretName: missing}
                """, Ingress.class));
    }

    @BeforeAll
    static void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", exchange -> {
            byte[] out = ("ok " + exchange.getRequestHeaders().getFirst("X-Forwarded-Proto")).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        backend.start();
        SECRETS.put("shop-tls", tlsSecret("shop-tls", "shop.example.com"));
        SECRETS.put("api-tls", tlsSecret("api-tls", "api.example.com"));
        TLS.set(TlsHosts.compute(ingresses(), (ns, name) -> SECRETS.get(name)));
        RouteTable routes = new RouteTable(List.of(new IngressRoute("", "/", "Prefix", "shop/shop", "shop/web:80",
                List.of(new Backend("127.0.0.1", backend.getAddress().getPort())))), null);
        ingress = new IngressServer(() -> routes, java.time.Duration.ofSeconds(5));
        port = ingress.startTls("127.0.0.1", 0, TLS::get);
    }

    @AfterAll
    static void stop() {
        if (ingress != null) ingress.close();
        if (backend != null) backend.stop(0);
    }

    record Exchange(String certificateSubject, String reply) {
    }

    static Exchange get(String serverName) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[]{new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            SSLParameters parameters = s.getSSLParameters();
            if (serverName != null) parameters.setServerNames(List.of(new SNIHostName(serverName)));
            s.setSSLParameters(parameters);
            s.startHandshake();
            String subject = ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + serverName + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new Exchange(subject, all.substring(all.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void eachServerNameGetsItsSecretsCertificate() throws Exception {
        assertThat(get("shop.example.com")).isEqualTo(new Exchange("CN=shop.example.com", "ok https"));
        assertThat(get("v1.api.example.com").certificateSubject()).isEqualTo("CN=api.example.com");
        assertThat(get("other.example.org").certificateSubject()).as("unnamed host: the first certificate").isEqualTo("CN=shop.example.com");
    }

    @Test
    void aReplacedSecretServesTheNextHandshake() throws Exception {
        TlsHosts before = TLS.get();
        try {
            Secret renewed = tlsSecret("shop-tls", "renewed.example.com");
            renewed.getMetadata().setResourceVersion("2");
            TLS.set(TlsHosts.compute(ingresses(), (ns, name) -> name.equals("shop-tls") ? renewed : SECRETS.get(name)));
            assertThat(get("shop.example.com").certificateSubject()).isEqualTo("CN=renewed.example.com");
        } finally {
            TLS.set(before);
        }
    }

    @Test
    void hostsComeFromTheFirstIngressNamingThemAndMissingSecretsAreSkipped() {
        TlsHosts hosts = TLS.get();
        assertThat(hosts.byHost().keySet()).containsExactlyInAnyOrder("shop.example.com", "*.api.example.com");
        assertThat(hosts.forServerName("a.b.api.example.com").secret()).as("a wildcard covers one label").isEqualTo("shop/shop-tls");
        assertThat(hosts.fallback().secret()).isEqualTo("shop/shop-tls");
    }
}
