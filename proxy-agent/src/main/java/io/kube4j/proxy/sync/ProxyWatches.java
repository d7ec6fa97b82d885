package io.kube4j.proxy.sync;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.proxy.model.ClusterState;
import io.kube4j.proxy.model.Ipv4;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's view of the cluster: list-and-watch informers on the gateway for Services,
 * EndpointSlices, Endpoints and Nodes (per-node agents watch through the gateway, as kube-proxy
 * does, rather than each reading the whole change feed), every event handed to one
 * {@link ChangeTracker}.
 */
public final class ProxyWatches implements AutoCloseable {

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<Endpoints> endpoints;
    private final SharedIndexInformer<Node> nodes;
    private final String nodeName;
    private final List<String> extraAddresses;

    public ProxyWatches(KubernetesClient client, String nodeName, List<String> extraAddresses, Runnable requestSync) {
        this.nodeName = nodeName;
        this.extraAddresses = List.copyOf(extraAddresses);
        this.services = client.services().inAnyNamespace().runnableInformer(0);
        this.slices = client.discovery().v1().endpointSlices().inAnyNamespace().runnableInformer(0);
        this.endpoints = client.endpoints().inAnyNamespace().runnableInformer(0);
        this.nodes = client.nodes().runnableInformer(0);
        services.addEventHandler(new ChangeTracker<>(requestSync));
        slices.addEventHandler(new ChangeTracker<>(requestSync));
        endpoints.addEventHandler(new ChangeTracker<>(requestSync));
        nodes.addEventHandler(new ChangeTracker<>(requestSync));
    }

    /** Starts every informer and waits for each one's first list. */
    public void startAndAwaitSynced(Duration timeout) throws InterruptedException, TimeoutException {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (SharedIndexInformer<?> informer : List.of(services, slices, endpoints, nodes)) {
            started.add(informer.start().toCompletableFuture());
        }
        try {
            CompletableFuture.allOf(started.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a watch failed to list", e.getCause());
        }
    }

    public boolean synced() {
        return services.hasSynced() && slices.hasSynced() && endpoints.hasSynced() && nodes.hasSynced();
    }

    public List<Service> services() {
        return services.getStore().list();
    }

    public List<EndpointSlice> endpointSlices() {
        return slices.getStore().list();
    }

    /** This node's addresses for NodePorts: its Node's InternalIP and ExternalIP ones, then the configured ones. */
    public List<String> nodeAddresses() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        Node node = nodes.getStore().getByKey(nodeName);
        if (node != null && node.getStatus() != null && node.getStatus().getAddresses() != null) {
            for (NodeAddress a : node.getStatus().getAddresses()) {
                if (("InternalIP".equals(a.getType()) || "ExternalIP".equals(a.getType())) && Ipv4.isValid(a.getAddress())) {
                    out.add(a.getAddress());
                }
            }
        }
        extraAddresses.stream().filter(Ipv4::isValid).forEach(out::add);
        return List.copyOf(out);
    }

    /** A snapshot of the caches, with {@code nodePortAddresses} as the NodePorts' addresses. */
    public ClusterState snapshot(List<String> nodePortAddresses) {
        return new ClusterState(services.getStore().list(), slices.getStore().list(), endpoints.getStore().list(),
                nodeName, nodePortAddresses);
    }

    @Override
    public void close() {
        for (SharedIndexInformer<?> informer : List.of(services, slices, endpoints, nodes)) informer.close();
    }
}
