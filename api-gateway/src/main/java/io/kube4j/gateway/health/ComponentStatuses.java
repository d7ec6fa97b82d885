package io.kube4j.gateway.health;

import io.kube4j.machinery.object.Json;
import io.kube4j.store.Store;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import tools.jackson.databind.node.ObjectNode;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The ComponentStatuses kube-apiserver reports ({@code kubectl get componentstatuses}): {@code scheduler} and
 * {@code controller-manager} from their health endpoints, {@code etcd-0} from a revision read of the store, each
 * {@code Healthy} with message {@code ok} or not with the error of the probe. Probes run when asked, in parallel,
 * each within {@link #TIMEOUT}.
 */
public final class ComponentStatuses {

    /** Where the gateway probes the other parts, under {@code kube4j.gateway.components}. */
    @ConfigurationProperties("kube4j.gateway.components")
    public record Endpoints(
            @DefaultValue("http://127.0.0.1:10259/actuator/health") String scheduler,
            @DefaultValue("http://127.0.0.1:10257/actuator/health") String controllerManager) {
    }

    static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Store store;
    private final Map<String, String> urls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    public ComponentStatuses(Store store, Endpoints endpoints) {
        this.store = store;
        this.urls = new LinkedHashMap<>();
        urls.put("controller-manager", endpoints.controllerManager());
        urls.put("scheduler", endpoints.scheduler());
    }

    /** The names, in kube-apiserver's order. */
    public List<String> names() {
        List<String> names = new ArrayList<>(urls.keySet());
        names.add("etcd-0");
        return names;
    }

    /** Every component's status, probed now. */
    public List<ObjectNode> all() {
        List<CompletableFuture<ObjectNode>> probes = new ArrayList<>();
        for (String name : names()) probes.add(CompletableFuture.supplyAsync(() -> probe(name), Thread::startVirtualThread));
        return probes.stream().map(CompletableFuture::join).toList();
    }

    /** One component's status, or empty when there is no component of that name. */
    public Optional<ObjectNode> one(String name) {
        return names().contains(name) ? Optional.of(probe(name)) : Optional.empty();
    }

    private ObjectNode probe(String name) {
        String error = name.equals("etcd-0") ? probeStore() : probeHttp(urls.get(name));
        return status(name, error);
    }

    /** A ComponentStatus: Healthy with message ok when {@code error} is null, else not, with the error. */
    static ObjectNode status(String name, String error) {
        ObjectNode status = Json.object();
        status.put("kind", "ComponentStatus");
        status.put("apiVersion", "v1");
        status.putObject("metadata").put("name", name);
        ObjectNode condition = status.putArray("conditions").addObject();
        condition.put("type", "Healthy");
        condition.put("status", error == null ? "True" : "False");
        if (error == null) condition.put("message", "ok");
        else condition.put("error", error);
        return status;
    }

    private String probeStore() {
        CompletableFuture<Long> revision = CompletableFuture.supplyAsync(store::currentRevision, Thread::startVirtualThread);
        try {
            revision.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            return null;
        } catch (java.util.concurrent.TimeoutException e) {
            return "etcd did not answer within " + TIMEOUT.toSeconds() + "s";
        } catch (Exception e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return cause.getMessage() == null ? cause.toString() : cause.getMessage();
        }
    }

    private String probeHttp(String url) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 200) return null;
            return "unhealthy check \"" + url + "\": status " + response.statusCode() + ", body " + response.body().strip();
        } catch (ConnectException e) {
            return "Get \"" + url + "\": dial tcp " + URI.create(url).getHost() + ":" + URI.create(url).getPort()
                    + ": connect: connection refused";
        } catch (HttpTimeoutException e) {
            return "Get \"" + url + "\": context deadline exceeded";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Get \"" + url + "\": interrupted";
        } catch (Exception e) {
            return "Get \"" + url + "\": " + e;
        }
    }
}
