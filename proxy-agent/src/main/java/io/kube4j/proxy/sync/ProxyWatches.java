package io.kube4j.proxy.sync;

import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.proxy.model.ClusterState;
import io.kube4j.proxy.model.Ipv4;
import io.kube4j.proxy.policy.PolicyState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * does, rather than each reading the whole change feed), and with network policy on, for
 * NetworkPolicies, Pods and Namespaces, and with the ingress controller on, for Ingresses,
 * IngressClasses and Secrets (TLS); every event handed to one {@link ChangeTracker}.
 * A failed list or watch is tried again for as long as the agent runs, first lists included (the
 * gateway may be starting, restarting or overloaded), as kube-proxy keeps trying; only a response
 * the client cannot read ends a watch.
 */
public final class ProxyWatches implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProxyWatches.class);

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<Endpoints> endpoints;
    private final SharedIndexInformer<Node> nodes;
    /** Null with network policy off. */
    private final SharedIndexInformer<NetworkPolicy> policies;
    private final SharedIndexInformer<Pod> pods;
    private final SharedIndexInformer<Namespace> namespaces;
    /** Null with the ingress controller off. */
    private final SharedIndexInformer<Ingress> ingresses;
    private final SharedIndexInformer<IngressClass> ingressClasses;
    private final SharedIndexInformer<Secret> secrets;
    private final String nodeName;
    private final List<String> extraAddresses;

    public ProxyWatches(KubernetesClient client, String nodeName, List<String> extraAddresses, boolean networkPolicy,
                        boolean ingress, Runnable requestSync) {
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
        if (networkPolicy) {
            this.policies = client.network().v1().networkPolicies().inAnyNamespace().runnableInformer(0);
            this.pods = client.pods().inAnyNamespace().runnableInformer(0);
            this.namespaces = client.namespaces().runnableInformer(0);
            policies.addEventHandler(new ChangeTracker<>(requestSync));
            pods.addEventHandler(new ChangeTracker<>(requestSync));
            namespaces.addEventHandler(new ChangeTracker<>(requestSync));
        } else {
            this.policies = null;
            this.pods = null;
            this.namespaces = null;
        }
        if (ingress) {
            this.ingresses = client.network().v1().ingresses().inAnyNamespace().runnableInformer(0);
            this.ingressClasses = client.network().v1().ingressClasses().runnableInformer(0);
            this.secrets = client.secrets().inAnyNamespace().runnableInformer(0);
            ingresses.addEventHandler(new ChangeTracker<>(requestSync));
            ingressClasses.addEventHandler(new ChangeTracker<>(requestSync));
            secrets.addEventHandler(new ChangeTracker<>(requestSync));
        } else {
            this.ingresses = null;
            this.ingressClasses = null;
            this.secrets = null;
        }
        for (SharedIndexInformer<?> informer : informers()) informer.exceptionHandler(ProxyWatches::retry);
    }

    /** Retries whatever failed but a response this client cannot read; see the class comment. */
    static boolean retry(boolean started, Throwable failure) {
        if (ExceptionHandler.isDeserializationException(failure)) {
            log.error("a watch cannot read the gateway's response and stops", failure);
            return false;
        }
        log.warn("{} failed, trying again: {}", started ? "a watch" : "a first list", failure.toString());
        return true;
    }

    private List<SharedIndexInformer<?>> informers() {
        List<SharedIndexInformer<?>> all = new ArrayList<>(List.of(services, slices, endpoints, nodes));
        if (policies != null) all.addAll(List.of(policies, pods, namespaces));
        if (ingresses != null) all.addAll(List.of(ingresses, ingressClasses, secrets));
        return all;
    }

    /**
     * Starts every informer and waits for each one's first list, however long that takes, saying
     * every {@code reportEvery} which lists are still missing.
     *
     * @throws IllegalStateException a watch ended for good (a response the client cannot read)
     * @throws InterruptedException  the agent is stopping
     */
    public void startAndAwaitSynced(Duration reportEvery) throws InterruptedException {
        List<CompletableFuture<Void>> started = new ArrayList<>();
        for (SharedIndexInformer<?> informer : informers()) {
            started.add(informer.start().toCompletableFuture());
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(started.toArray(CompletableFuture[]::new));
        while (true) {
            try {
                all.get(reportEvery.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (ExecutionException e) {
                throw new IllegalStateException("a watch failed to list", e.getCause());
            } catch (TimeoutException e) {
                log.warn("still waiting for the first list of {} (the gateway may be starting or unreachable)", unsynced());
            }
        }
    }

    private List<String> unsynced() {
        return informers().stream().filter(i -> !i.hasSynced()).map(i -> i.getApiTypeClass().getSimpleName()).toList();
    }

    public boolean synced() {
        return informers().stream().allMatch(SharedIndexInformer::hasSynced);
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

    public List<Node> nodes() {
        return nodes.getStore().list();
    }

    /** Every Ingress; empty with the ingress controller off. */
    public List<Ingress> ingresses() {
        return ingresses == null ? List.of() : ingresses.getStore().list();
    }

    public List<IngressClass> ingressClasses() {
        return ingressClasses == null ? List.of() : ingressClasses.getStore().list();
    }

    /** The TLS Secret {@code namespace/name}, or null. */
    public Secret tlsSecret(String namespace, String name) {
        return secrets == null ? null : secrets.getStore().getByKey(namespace + "/" + name);
    }

    /** A snapshot for the network-policy computation; null with network policy off. */
    public PolicyState policySnapshot() {
        if (policies == null) return null;
        return new PolicyState(policies.getStore().list(), pods.getStore().list(), namespaces.getStore().list(), nodeName);
    }

    @Override
    public void close() {
        for (SharedIndexInformer<?> informer : informers()) informer.close();
    }
}
