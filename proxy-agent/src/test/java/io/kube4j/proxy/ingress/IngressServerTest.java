package io.kube4j.proxy.ingress;

import com.sun.net.httpserver.HttpServer;
import io.kube4j.proxy.model.Backend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ingress server on loopback in front of two real HTTP backends (the JDK's server), with
 * requests written on a plain socket so that the Host header is the test's to choose.
 */
class IngressServerTest {

    static HttpServer shop;
    static HttpServer api;
    static IngressServer ingress;
    static int port;
    static final AtomicReference<RouteTable> ROUTES = new AtomicReference<>(RouteTable.empty());

    static HttpServer backend(String name) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String reply = name + " " + exchange.getRequestMethod() + " " + exchange.getRequestURI()
                    + " host=" + exchange.getRequestHeaders().getFirst("Host")
                    + " xff=" + exchange.getRequestHeaders().getFirst("X-Forwarded-For")
                    + " body=" + new String(body, StandardCharsets.UTF_8) + "\n";
            byte[] out = reply.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("X-Backend", name);
            exchange.sendResponseHeaders(name.equals("api") && exchange.getRequestURI().getPath().endsWith("/missing") ? 404 : 200, out.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(out);
            }
        });
        s.start();
        return s;
    }

    @BeforeAll
    static void start() throws IOException {
        shop = backend("shop");
        api = backend("api");
        ingress = new IngressServer(ROUTES::get, java.time.Duration.ofSeconds(5));
        port = ingress.start("127.0.0.1", 0);
        ROUTES.set(new RouteTable(List.of(
                new IngressRoute("shop.example.com", "/", "Prefix", "n/shop", "n/shop:80", List.of(new Backend("127.0.0.1", shop.getAddress().getPort()))),
                new IngressRoute("shop.example.com", "/api", "Prefix", "n/shop", "n/api:80", List.of(new Backend("127.0.0.1", api.getAddress().getPort()))),
                new IngressRoute("shop.example.com", "/empty", "Exact", "n/shop", "n/empty:80", List.of()),
                // Nothing listens on port 1 of loopback: refused.
                new IngressRoute("broken.example.com", "/", "Prefix", "n/broken", "n/broken:80", List.of(new Backend("127.0.0.1", 1)))), null));
    }

    @AfterAll
    static void stop() {
        if (ingress != null) ingress.close();
        if (shop != null) shop.stop(0);
        if (api != null) api.stop(0);
    }

    record Reply(int status, String head, String body) {
    }

    static Reply request(String method, String host, String path, String body) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            byte[] b = body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\nContent-Length: " + b.length + "\r\n\r\n";
            s.getOutputStream().write(head.getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().write(b);
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            String all = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int split = all.indexOf("\r\n\r\n");
            String h = all.substring(0, split);
            return new Reply(Integer.parseInt(h.split(" ")[1]), h, all.substring(split + 4));
        }
    }

    @Test
    void routesByHostAndPathToTheBackendWithTheClientsHostAndForwardedHeaders() throws IOException {
        Reply r = request("GET", "shop.example.com", "/cart?id=7", "");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("shop GET /cart?id=7 host=shop.example.com xff=127.0.0.1 body=\n");
        assertThat(r.head()).containsIgnoringCase("X-Backend: shop");

        Reply api = request("POST", "shop.example.com:80", "/api/orders", "{\"n\":1}");
        assertThat(api.body()).isEqualTo("api POST /api/orders host=shop.example.com:80 xff=127.0.0.1 body={\"n\":1}\n");
        assertThat(request("GET", "shop.example.com", "/api/missing", "").status()).as("the backend's own status passes").isEqualTo(404);
    }

    @Test
    void unknownHostIs404NoEndpointIs503AFailingEndpointIs502() throws IOException {
        Reply unknown = request("GET", "nobody.example.org", "/", "");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("404 page not found\n");
        assertThat(request("GET", "shop.example.com", "/empty", "").status()).isEqualTo(503);
        assertThat(request("GET", "broken.example.com", "/", "").status()).isEqualTo(502);
    }

    @Test
    void aNewRouteTableTakesEffectForTheNextRequest() throws IOException {
        RouteTable before = ROUTES.get();
        try {
            ROUTES.set(new RouteTable(List.of(new IngressRoute("new.example.com", "/", "Prefix", "n/new", "n/api:80",
                    List.of(new Backend("127.0.0.1", api.getAddress().getPort())))), null));
            assertThat(request("GET", "new.example.com", "/x", "").body()).startsWith("api GET /x");
            assertThat(request("GET", "shop.example.com", "/", "").status()).isEqualTo(404);
        } finally {
            ROUTES.set(before);
        }
    }
}
