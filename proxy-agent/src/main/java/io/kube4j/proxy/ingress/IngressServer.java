package io.kube4j.proxy.ingress;

import io.kube4j.proxy.model.Backend;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.AsyncMapping;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.tcp.SslProvider;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * The ingress controller's data plane: an HTTP server (Reactor Netty) that routes each request by
 * its Host header and path through the current {@link RouteTable} and forwards it, streamed both
 * ways, to a random endpoint of the chosen Service port. No route: 404; a route whose Service has
 * no ready endpoint: 503; an endpoint that fails before answering: 502. The backend sees the
 * client's Host header and X-Forwarded-For, -Host and -Proto.
 *
 * <p>Thread-safe: the route table is read once per request from {@code routes}, which the sync
 * thread replaces whole.
 */
public final class IngressServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(IngressServer.class);
    /** Headers of one hop (RFC 9110 §7.6.1), not forwarded. */
    private static final List<String> HOP_BY_HOP = List.of("connection", "keep-alive", "proxy-connection", "te", "trailer",
            "transfer-encoding", "upgrade", "proxy-authorization", "proxy-authenticate");

    private final Supplier<RouteTable> routes;
    private final ConnectionProvider connections;
    private final HttpClient client;
    private DisposableServer server;
    private DisposableServer tlsServer;
    private final Map<TlsHosts.KeyPair, SslProvider> providers = new ConcurrentHashMap<>();

    public IngressServer(Supplier<RouteTable> routes, Duration responseTimeout) {
        this.routes = routes;
        this.connections = ConnectionProvider.builder("ingress").maxConnections(1000).maxIdleTime(Duration.ofSeconds(30)).build();
        this.client = HttpClient.create(connections).responseTimeout(responseTimeout).followRedirect(false);
    }

    /** Listens on {@code address:port} (port 0: any free one); returns the bound port. */
    public synchronized int start(String address, int port) {
        server = HttpServer.create().host(address).port(port).handle(this::handle).bindNow(Duration.ofSeconds(10));
        return ((InetSocketAddress) server.address()).getPort();
    }

    /**
     * Listens for HTTPS on {@code address:port}; each handshake takes the certificate that
     * {@code tls} names for the client's server name (SNI) at that moment, so Secrets and
     * Ingresses changed later take effect without a restart. {@code tls} must name a fallback
     * now (the server needs one certificate to start). Returns the bound port.
     */
    public synchronized int startTls(String address, int port, Supplier<TlsHosts> tls) {
        SslProvider initial = provider(tls.get().fallback());
        AsyncMapping<String, SslProvider> sni = (serverName, promise) -> {
            try {
                TlsHosts.KeyPair pair = tls.get().forServerName(serverName);
                return promise.setSuccess(pair == null ? initial : provider(pair));
            } catch (RuntimeException e) {
                return promise.setFailure(e);
            }
        };
        tlsServer = HttpServer.create().host(address).port(port)
                .secure(spec -> spec.sslContext(initial.getSslContext()).setSniAsyncMappings(sni))
                .handle(this::handle).bindNow(Duration.ofSeconds(10));
        return ((InetSocketAddress) tlsServer.address()).getPort();
    }

    public synchronized boolean tlsStarted() {
        return tlsServer != null;
    }

    /** The parsed form of a key pair, kept while the Secret's resourceVersion stays; throws on a bad PEM. */
    private SslProvider provider(TlsHosts.KeyPair pair) {
        SslProvider cached = providers.get(pair);
        if (cached != null) return cached;
        try {
            SslContext context = SslContextBuilder.forServer(
                    new ByteArrayInputStream(pair.certificatePem().getBytes(StandardCharsets.US_ASCII)),
                    new ByteArrayInputStream(pair.keyPem().getBytes(StandardCharsets.US_ASCII))).build();
            SslProvider provider = SslProvider.builder().sslContext(context).build();
            providers.keySet().removeIf(k -> k.secret().equals(pair.secret()));
            providers.put(pair, provider);
            return provider;
        } catch (Exception e) {
            throw new IllegalArgumentException("the TLS Secret " + pair.secret() + " holds no usable key pair: " + e.getMessage(), e);
        }
    }

    private Publisher<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        String host = request.requestHeaders().get(HttpHeaderNames.HOST);
        Optional<IngressRoute> route = routes.get().route(host, request.uri());
        if (route.isEmpty()) return plain(response, HttpResponseStatus.NOT_FOUND, "404 page not found\n");
        List<Backend> endpoints = route.get().endpoints();
        if (endpoints.isEmpty()) {
            return plain(response, HttpResponseStatus.SERVICE_UNAVAILABLE, "503 no endpoint for " + route.get().service() + "\n");
        }
        Backend target = endpoints.get(ThreadLocalRandom.current().nextInt(endpoints.size()));
        InetSocketAddress remote = request.remoteAddress();
        String clientAddress = remote == null ? "" : remote.getAddress().getHostAddress();
        String forwardedFor = request.requestHeaders().get("X-Forwarded-For");
        return client
                .headers(h -> {
                    copy(request.requestHeaders(), h);
                    h.set("X-Forwarded-For", forwardedFor == null ? clientAddress : forwardedFor + ", " + clientAddress);
                    if (host != null) h.set("X-Forwarded-Host", host);
                    h.set("X-Forwarded-Proto", request.scheme());
                })
                .request(request.method())
                .uri("http://" + target.ip() + ":" + target.port() + request.uri())
                .send(request.receive().retain())
                .response((reply, body) -> {
                    response.status(reply.status());
                    copy(reply.responseHeaders(), response.responseHeaders());
                    return response.send(body.retain());
                })
                .then()
                .onErrorResume(e -> {
                    log.debug("ingress {} → {} failed: {}", route.get().ingress(), target, e.toString());
                    if (response.hasSentHeaders()) return Mono.error(e);
                    return Mono.from(plain(response, HttpResponseStatus.BAD_GATEWAY, "502 bad gateway\n"));
                });
    }

    private static void copy(HttpHeaders from, HttpHeaders to) {
        from.forEach(e -> {
            if (!HOP_BY_HOP.contains(e.getKey().toLowerCase(java.util.Locale.ROOT))) to.add(e.getKey(), e.getValue());
        });
    }

    private static Publisher<Void> plain(HttpServerResponse response, HttpResponseStatus status, String body) {
        return response.status(status).header(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .sendString(Mono.just(body)).then();
    }

    @Override
    public synchronized void close() {
        if (server != null) server.disposeNow(Duration.ofSeconds(5));
        if (tlsServer != null) tlsServer.disposeNow(Duration.ofSeconds(5));
        connections.disposeLater().block(Duration.ofSeconds(5));
    }
}
