package io.kube4j.proxy.sync;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.proxy.ProxyProperties;
import io.kube4j.proxy.apiserver.KubernetesEndpointRegistration;
import io.kube4j.proxy.dns.ClusterDnsServer;
import io.kube4j.proxy.dns.DnsEndpointAddress;
import io.kube4j.proxy.dns.DnsRecords;
import io.kube4j.proxy.dns.KubeDnsRegistration;
import io.kube4j.proxy.ingress.IngressRouting;
import io.kube4j.proxy.ingress.IngressServer;
import io.kube4j.proxy.ingress.IngressStatusWriter;
import io.kube4j.proxy.ingress.RouteTable;
import io.kube4j.proxy.ingress.TlsHosts;
import io.kube4j.proxy.model.IncrementalRuleComputation;
import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.model.RuleComputation;
import io.kube4j.proxy.policy.NetworkPolicyComputation;
import io.kube4j.proxy.policy.PolicyBackend;
import io.kube4j.proxy.policy.PolicyRules;
import io.kube4j.proxy.policy.PolicyState;
import io.kube4j.proxy.routes.PodRoute;
import io.kube4j.proxy.routes.PodRouteProgrammer;
import io.kube4j.proxy.routes.PodRoutes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The agent's life: start the watches, wait for every first list, register the cluster DNS
 * Service, then run the {@link SyncRunner}, whose every sync computes the rules from the caches
 * ({@link RuleComputation}, remembering unchanged Services' results), hands them to the {@link ProxyBackend}, computes
 * this node's pods' NetworkPolicy filtering ({@link NetworkPolicyComputation}) for the {@link PolicyBackend}, and
 * refreshes the DNS records.
 * Start-up waits on its own thread, so the HTTP server (health) is up meanwhile and says DOWN.
 */
public final class ProxyAgent implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProxyAgent.class);

    private final ProxyProperties properties;
    private final KubernetesClient client;
    private final ProxyBackend backend;
    private final PolicyBackend policyBackend;
    private final ProxyWatches watches;
    private final SyncRunner runner;
    private final AtomicReference<DnsRecords> dnsRecords;
    private final AtomicReference<ProxyRules> lastRules = new AtomicReference<>(ProxyRules.empty());
    private final AtomicReference<RouteTable> routes = new AtomicReference<>(RouteTable.empty());
    /** Null with the ingress controller off. */
    private final IngressServer ingressServer;
    private final IngressStatusWriter ingressStatus;
    private final AtomicReference<TlsHosts> tlsHosts = new AtomicReference<>(TlsHosts.empty());
    private boolean tlsTried;
    /** Null with pod routes off or in a dry run. */
    private final PodRouteProgrammer podRoutes;
    private List<PodRoute> appliedRoutes;
    /** The address this node's kube-dns EndpointSlice names; null until registered. Start-up thread, then the runner's. */
    private volatile String registeredDnsAddress;
    private final AtomicReference<PolicyRules> lastPolicy = new AtomicReference<>(PolicyRules.empty());
    private final IncrementalRuleComputation computation = new IncrementalRuleComputation();
    private volatile String startFailure;
    private volatile boolean running;
    private Thread starter;

    /** {@code policyBackend} null: NetworkPolicies are not enforced (and Pods, Namespaces not watched). */
    public ProxyAgent(ProxyProperties properties, KubernetesClient client, ProxyBackend backend, PolicyBackend policyBackend,
                      AtomicReference<DnsRecords> dnsRecords) {
        this.properties = properties;
        this.client = client;
        this.backend = backend;
        this.policyBackend = policyBackend;
        this.dnsRecords = dnsRecords;
        this.runner = new SyncRunner(this::syncOnce, properties.minSyncInterval(), properties.syncBurst(), properties.maxSyncInterval());
        this.watches = new ProxyWatches(client, properties.nodeName(), properties.nodeAddresses(), policyBackend != null,
                properties.ingress().enabled(), runner::request);
        this.ingressServer = properties.ingress().enabled() ? new IngressServer(routes::get, properties.ingress().responseTimeout()) : null;
        this.ingressStatus = new IngressStatusWriter(client);
        this.podRoutes = properties.podRoutes() && !properties.dryRun()
                ? new PodRouteProgrammer(CommandRunner.process(properties.netns())) : null;
    }

    /** One sync: compute from the caches, program, refresh DNS. Called on the runner's thread only. */
    void syncOnce() throws Exception {
        long start = System.nanoTime();
        List<String> addresses = new ArrayList<>(watches.nodeAddresses());
        if (properties.localhostNodePorts() && !addresses.contains("127.0.0.1")) addresses.add("127.0.0.1");
        ProxyRules rules = computation.compute(watches.snapshot(addresses));
        dnsRecords.set(DnsRecords.build(properties.dns().clusterDomain(), watches.services(), watches.endpointSlices()));
        backend.sync(rules);
        lastRules.set(rules);
        if (ingressServer != null) syncIngress(rules);
        if (podRoutes != null) syncRoutes();
        if (properties.dns().enabled() && properties.dns().manageService()) registerDns();
        registerApiEndpoint();
        PolicyState policyState = watches.policySnapshot();
        if (policyBackend != null && policyState != null) {
            PolicyRules policy = NetworkPolicyComputation.compute(policyState);
            policyBackend.sync(policy);
            lastPolicy.set(policy);
        }
        log.debug("synced {} service ports with {} in {} ms ({} statements)", rules.services().size(), backend.mode(),
                (System.nanoTime() - start) / 1_000_000, backend.lastSyncSize());
    }

    /** Routes to other nodes' pods; a failed route is logged and tried again at the next sync, the Service rules are not held up. */
    private void syncRoutes() {
        List<PodRoute> desired = PodRoutes.compute(watches.nodes(), properties.nodeName());
        if (desired.equals(appliedRoutes)) return;
        try {
            List<String> failures = podRoutes.sync(desired);
            if (failures.isEmpty()) {
                appliedRoutes = desired;
            } else {
                appliedRoutes = null;
                log.warn("routes to other nodes' pods not programmed: {}", failures);
            }
        } catch (java.io.IOException e) {
            appliedRoutes = null;
            log.warn("cannot program routes to other nodes' pods: {}", e.getMessage());
        }
    }

    private void syncIngress(ProxyRules rules) {
        String className = properties.ingress().className();
        var classes = watches.ingressClasses();
        routes.set(IngressRouting.compute(watches.ingresses(), classes, className, rules));
        var served = watches.ingresses().stream().filter(i -> i.getSpec() != null && IngressRouting.serves(i, className, classes)).toList();
        tlsHosts.set(TlsHosts.compute(served, watches::tlsSecret));
        // HTTPS starts with the first certificate an Ingress names (the server needs one to start).
        if (!tlsTried && properties.ingress().httpsPort() > 0 && tlsHosts.get().fallback() != null) {
            tlsTried = true;
            try {
                int port = ingressServer.startTls(properties.ingress().address(), properties.ingress().httpsPort(), tlsHosts::get);
                log.info("ingress controller serves HTTPS on {}:{}", properties.ingress().address(), port);
            } catch (RuntimeException e) {
                log.error("the ingress controller cannot serve HTTPS on {}:{}: {}", properties.ingress().address(),
                        properties.ingress().httpsPort(), e.getMessage());
            }
        }
        ingressStatus.write(served, IngressStatusWriter.addresses(watches.nodes()));
    }

    /** The ingress controller's routes (empty with it off). */
    public RouteTable routes() {
        return routes.get();
    }

    @Override
    public void start() {
        running = true;
        starter = Thread.ofPlatform().name("proxy-start").daemon().start(() -> {
            try {
                if (properties.localhostNodePorts() && !properties.dryRun() && properties.netns().isEmpty()) allowLocalhostNodePorts();
                if (policyBackend != null && !properties.dryRun() && properties.netns().isEmpty()) filterBridgedTraffic();
                watches.startAndAwaitSynced(properties.syncTimeout());
                log.info("watches listed: {} services, {} endpoint slices; node {} addresses {}", watches.services().size(),
                        watches.endpointSlices().size(), properties.nodeName(), watches.nodeAddresses());
                if (properties.dns().enabled() && properties.dns().manageService()) registerDns();
                registerApiEndpoint();
                if (ingressServer != null) startIngress();
                runner.start();
            } catch (InterruptedException e) {
                // stopping before the first lists came
            } catch (Exception e) {
                startFailure = e.toString();
                log.error("the proxy agent could not start", e);
            }
        });
    }

    private void startIngress() {
        ProxyProperties.Ingress ingress = properties.ingress();
        if (ingress.manageClass()) ingressStatus.ensureClass(ingress.className());
        try {
            int port = ingressServer.start(ingress.address(), ingress.httpPort());
            log.info("ingress controller (class {}) listens on {}:{}", ingress.className(), ingress.address(), port);
        } catch (RuntimeException e) {
            // Another controller may hold the port: Services must still be programmed.
            log.error("the ingress controller cannot listen on {}:{}: {}", ingress.address(), ingress.httpPort(), e.getMessage());
        }
    }

    /**
     * This node's EndpointSlice of the {@code kubernetes} Service (see {@link KubernetesEndpointRegistration}): written
     * at start and again whenever the watched slices do not show it as it should be (deleted, edited, or the gateway's
     * address changed); a failure is logged and tried again at the next sync.
     */
    private void registerApiEndpoint() {
        if ("none".equals(properties.apiEndpoint())) return;
        try {
            KubernetesEndpointRegistration.ensure(client, properties.nodeName(),
                    KubernetesEndpointRegistration.address(properties.apiEndpoint(), client.getMasterUrl().toString()),
                    watches.endpointSlices());
        } catch (RuntimeException e) {
            log.warn("could not register this node's EndpointSlice of the kubernetes Service: {}", e.getMessage());
        }
    }

    /**
     * The kube-dns Service and this node's EndpointSlice, at start and again whenever the address the slice
     * should name changes ({@link DnsEndpointAddress}); a failure is logged and tried again at the next sync.
     */
    private void registerDns() {
        ProxyProperties.Dns dns = properties.dns();
        Set<String> local = ClusterDnsServer.machineAddresses().stream().map(InetAddress::getHostAddress).collect(Collectors.toSet());
        String address = DnsEndpointAddress.choose(dns.endpointAddress(), watches.nodeAddresses(), local);
        if (address.equals(registeredDnsAddress)) return;
        try {
            KubeDnsRegistration.ensure(client, dns.serviceIP(), properties.nodeName(), address, dns.port());
            registeredDnsAddress = address;
        } catch (RuntimeException e) {
            // DNS by the Service's address is a convenience; the rules must not wait for it.
            log.warn("could not register the kube-dns Service and this node's EndpointSlice: {}", e.getMessage());
        }
    }

    /** NodePorts on 127.0.0.1: DNAT of a loopback-sourced packet to a pod needs route_localnet. */
    private static void allowLocalhostNodePorts() {
        Path p = Path.of("/proc/sys/net/ipv4/conf/all/route_localnet");
        try {
            if (!"1".equals(Files.readString(p).trim())) Files.writeString(p, "1");
        } catch (Exception e) {
            log.warn("cannot set {} (NodePorts on 127.0.0.1 will not answer): {}", p, e.getMessage());
        }
    }

    /**
     * Pods of one node talk over the CNI bridge: the policy table's forward hook sees that traffic
     * only while bridged IPv4 is passed to netfilter (br_netfilter). The module itself is the
     * host's to load; without it, policies hold between nodes and from outside only.
     */
    private static void filterBridgedTraffic() {
        Path p = Path.of("/proc/sys/net/bridge/bridge-nf-call-iptables");
        try {
            if (!Files.exists(p)) {
                log.warn("br_netfilter is not loaded: NetworkPolicies do not apply between pods of this node (modprobe br_netfilter)");
                return;
            }
            if (!"1".equals(Files.readString(p).trim())) Files.writeString(p, "1");
        } catch (Exception e) {
            log.warn("cannot set {} (NetworkPolicies may not apply between pods of this node): {}", p, e.getMessage());
        }
    }

    public boolean synced() {
        return runner.synced();
    }

    public String startFailure() {
        return startFailure;
    }

    public SyncRunner runner() {
        return runner;
    }

    public ProxyRules lastRules() {
        return lastRules.get();
    }

    /** The NetworkPolicy filtering the last sync programmed (empty with policy off). */
    public PolicyRules lastPolicy() {
        return lastPolicy.get();
    }

    @Override
    public void stop() {
        running = false;
        if (starter != null) starter.interrupt();
        runner.close();
        watches.close();
        if (ingressServer != null) ingressServer.close();
        if (properties.cleanupOnExit()) {
            try {
                backend.cleanup();
            } catch (Exception e) {
                log.warn("cleanup of the {} rules failed", backend.mode(), e);
            }
            if (policyBackend != null) {
                try {
                    policyBackend.cleanup();
                } catch (Exception e) {
                    log.warn("cleanup of the network-policy rules failed", e);
                }
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
