package io.kube4j.proxy;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of the proxy agent, under {@code kube4j.proxy}.
 *
 * @param kubeconfig         the kubeconfig whose current context reaches the gateway (required)
 * @param nodeName           this node's name (its Node object, endpoints' nodeName); the host name when empty
 * @param nodeAddresses      addresses NodePorts listen on besides the Node's InternalIP and ExternalIP addresses
 * @param localhostNodePorts NodePorts on 127.0.0.1 too (sets route_localnet, as kube-proxy's iptables mode does)
 * @param mode               {@code auto} (IPVS where the kernel has it, else nftables, else iptables), {@code ipvs},
 *                           {@code nftables} or {@code iptables}
 * @param dryRun             compute and log (print, for IPVS) what would be programmed, program nothing
 * @param minSyncInterval    the least time between two syncs once the burst is spent
 * @param syncBurst          syncs allowed back to back before {@code minSyncInterval} applies
 * @param maxSyncInterval    a sync at least this often, even without a change (rules recomputed; a back end sends
 *                           only differences from what it applied, so rules changed by hand stay until a full sync)
 * @param syncTimeout        how often to say which first lists are still missing while the agent waits for them
 * @param table              the nftables table ({@code ip <table>}) and iptables chain prefix this agent owns
 * @param netns              run nft and iptables inside this network namespace (tests, benchmarks); empty for the host's
 * @param cleanupOnExit      remove the programmed rules when the agent stops
 * @param networkPolicy      enforce NetworkPolicies for this node's pods (nftables table {@code ip <table>-policy},
 *                           in every proxy mode); watches Pods and Namespaces too
 * @param podRoutes          route other nodes' podCIDRs through their InternalIPs (direct routing between nodes)
 * @param ingress            the ingress controller
 * @param dns                cluster DNS
 * @param apiEndpoint        {@code host:port} this node's pods reach the gateway at through the {@code kubernetes}
 *                           Service; empty: the kubeconfig's server; {@code none}: this node registers none
 */
@ConfigurationProperties("kube4j.proxy")
public record ProxyProperties(
        Path kubeconfig,
        String nodeName,
        List<String> nodeAddresses,
        Boolean localhostNodePorts,
        String mode,
        Boolean dryRun,
        Duration minSyncInterval,
        Integer syncBurst,
        Duration maxSyncInterval,
        Duration syncTimeout,
        String table,
        String netns,
        Boolean cleanupOnExit,
        Boolean networkPolicy,
        Boolean podRoutes,
        Ingress ingress,
        Dns dns,
        String apiEndpoint) {

    public ProxyProperties {
        if (kubeconfig == null) throw new IllegalArgumentException("kube4j.proxy.kubeconfig is required");
        if (nodeName == null || nodeName.isBlank()) nodeName = hostName();
        nodeAddresses = nodeAddresses == null ? List.of() : List.copyOf(nodeAddresses);
        localhostNodePorts = localhostNodePorts == null || localhostNodePorts;
        mode = mode == null || mode.isBlank() ? "auto" : mode;
        if (!List.of("auto", "ipvs", "nftables", "iptables").contains(mode)) {
            throw new IllegalArgumentException("kube4j.proxy.mode must be auto, ipvs, nftables or iptables, not " + mode);
        }
        dryRun = dryRun != null && dryRun;
        minSyncInterval = minSyncInterval == null ? Duration.ofSeconds(1) : minSyncInterval;
        syncBurst = syncBurst == null ? 2 : Math.max(1, syncBurst);
        maxSyncInterval = maxSyncInterval == null ? Duration.ofSeconds(30) : maxSyncInterval;
        syncTimeout = syncTimeout == null ? Duration.ofMinutes(2) : syncTimeout;
        table = table == null || table.isBlank() ? "kube4j" : table;
        netns = netns == null ? "" : netns;
        cleanupOnExit = cleanupOnExit != null && cleanupOnExit;
        networkPolicy = networkPolicy == null || networkPolicy;
        podRoutes = podRoutes == null || podRoutes;
        ingress = ingress == null ? new Ingress(null, null, null, null, null, null, null) : ingress;
        dns = dns == null ? new Dns(null, null, null, null, null, null, null, null, null) : dns;
        apiEndpoint = apiEndpoint == null ? "" : apiEndpoint.strip();
    }

    /**
     * Cluster DNS settings, under {@code kube4j.proxy.dns}.
     *
     * @param enabled         answer DNS at all
     * @param address         the address the server listens on (UDP and TCP)
     * @param port            its port
     * @param clusterDomain   the cluster's domain
     * @param serviceIP       the cluster IP of the {@code kube-system/kube-dns} Service this agent creates when missing
     * @param endpointAddress the address the kube-dns EndpointSlice names for this node; the first non-loopback node
     *                        address when empty
     * @param upstreams       resolvers for names outside the cluster; those of /etc/resolv.conf when empty
     * @param upstreamTimeout how long a forwarded query may take
     * @param manageService   create the kube-dns Service and this node's EndpointSlice for it
     */
    public record Dns(
            Boolean enabled,
            String address,
            Integer port,
            String clusterDomain,
            String serviceIP,
            String endpointAddress,
            List<String> upstreams,
            Duration upstreamTimeout,
            Boolean manageService) {

        public Dns {
            enabled = enabled == null || enabled;
            address = address == null || address.isBlank() ? "0.0.0.0" : address;
            port = port == null ? 53 : port;
            clusterDomain = clusterDomain == null || clusterDomain.isBlank() ? "cluster.local" : clusterDomain;
            serviceIP = serviceIP == null || serviceIP.isBlank() ? "10.96.0.10" : serviceIP;
            endpointAddress = endpointAddress == null ? "" : endpointAddress;
            upstreams = upstreams == null ? List.of() : List.copyOf(upstreams);
            upstreamTimeout = upstreamTimeout == null ? Duration.ofSeconds(2) : upstreamTimeout;
            manageService = manageService == null || manageService;
        }
    }

    /**
     * The ingress controller, under {@code kube4j.proxy.ingress}.
     *
     * @param enabled         serve Ingresses at all
     * @param address         the address it listens on
     * @param httpPort        the HTTP port (kube-proxy-style controllers use the node's 80)
     * @param httpsPort       the HTTPS port, served once some Ingress names a TLS Secret; 0 for none
     * @param className       the IngressClass this controller serves
     * @param manageClass     create that IngressClass, marked default, when missing
     * @param responseTimeout how long a backend may take to start its response
     */
    public record Ingress(
            Boolean enabled,
            String address,
            Integer httpPort,
            Integer httpsPort,
            String className,
            Boolean manageClass,
            Duration responseTimeout) {

        public Ingress {
            enabled = enabled == null || enabled;
            address = address == null || address.isBlank() ? "0.0.0.0" : address;
            httpPort = httpPort == null ? 80 : httpPort;
            httpsPort = httpsPort == null ? 443 : httpsPort;
            className = className == null || className.isBlank() ? "kube4j" : className;
            manageClass = manageClass == null || manageClass;
            responseTimeout = responseTimeout == null ? Duration.ofSeconds(60) : responseTimeout;
        }
    }

    private static String hostName() {
        String env = System.getenv("HOSTNAME");
        if (env != null && !env.isBlank()) return env;
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
