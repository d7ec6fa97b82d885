package io.kube4j.proxy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.machinery.client.GatewayClients;
import io.kube4j.proxy.dns.ClusterDnsResolver;
import io.kube4j.proxy.dns.ClusterDnsServer;
import io.kube4j.proxy.dns.DnsRecords;
import io.kube4j.proxy.dns.ResolverUpstream;
import io.kube4j.proxy.iptables.IptablesBackend;
import io.kube4j.proxy.ipvs.IpvsBackend;
import io.kube4j.proxy.ipvs.IpvsDetector;
import io.kube4j.proxy.nftables.ElementLoader;
import io.kube4j.proxy.nftables.NetlinkElementLoader;
import io.kube4j.proxy.nftables.NftablesBackend;
import io.kube4j.proxy.nftables.ProcessNftRunner;
import io.kube4j.proxy.nftables.RecordingNftRunner;
import io.kube4j.proxy.policy.NftPolicyBackend;
import io.kube4j.proxy.policy.PolicyBackend;
import io.kube4j.proxy.sync.CommandRunner;
import io.kube4j.proxy.sync.ProxyAgent;
import io.kube4j.proxy.sync.ProxyBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

@Configuration(proxyBeanMethods = false)
class ProxyConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ProxyConfiguration.class);

    @Bean(destroyMethod = "close")
    KubernetesClient gatewayClient(ProxyProperties properties) {
        return GatewayClients.fromKubeconfig(properties.kubeconfig(), GatewayClients.userAgent("kube-proxy"));
    }

    @Bean
    ProxyBackend proxyBackend(ProxyProperties properties) {
        IpvsDetector.Detection ipvs = new IpvsDetector().detect();
        ProxyModeSelection.Choice choice = ProxyModeSelection.choose(properties.mode(), ipvs.available(), ipvs.reason(),
                ProcessNftRunner.available());
        log.info("proxy mode {}: {}{}", choice.mode(), choice.reason(), properties.dryRun() ? " (dry run: nothing is programmed)" : "");
        CommandRunner commands = CommandRunner.process(properties.netns());
        return switch (choice.mode()) {
            case "ipvs" -> new IpvsBackend(commands, properties.dryRun(), System.out);
            case "iptables" -> new IptablesBackend(properties.dryRun() ? (c, in) -> dryRun(c, in) : commands);
            default -> properties.dryRun() ? new NftablesBackend(properties.table(), new RecordingNftRunner())
                    : new NftablesBackend(properties.table(), new ProcessNftRunner(properties.netns()), elementLoader(properties.netns()));
        };
    }

    /** Null where no netfilter netlink socket can be made: full syncs are then one nft script. */
    private static ElementLoader elementLoader(String netns) {
        NetlinkElementLoader loader = new NetlinkElementLoader(netns);
        if (loader.available()) return loader;
        log.info("nftables full syncs go through nft alone: no netfilter netlink socket here");
        return null;
    }

    private static CommandRunner.Result dryRun(List<String> command, String stdin) {
        log.info("dry run: {}{}", String.join(" ", command), stdin == null ? "" : "\n" + stdin);
        return new CommandRunner.Result(0, "");
    }

    /** Null (policies not enforced) when switched off or where no nft runs. */
    @Bean
    PolicyBackendHolder policyBackend(ProxyProperties properties) {
        if (!properties.networkPolicy()) return new PolicyBackendHolder(null);
        if (properties.dryRun()) return new PolicyBackendHolder(new NftPolicyBackend(properties.table() + "-policy", new RecordingNftRunner()));
        if (!ProcessNftRunner.available()) {
            log.warn("no nft binary: NetworkPolicies are not enforced on this node");
            return new PolicyBackendHolder(null);
        }
        return new PolicyBackendHolder(new NftPolicyBackend(properties.table() + "-policy", new ProcessNftRunner(properties.netns())));
    }

    /** A bean may not be null: the optional policy back end travels in this. */
    record PolicyBackendHolder(PolicyBackend backend) {
    }

    @Bean
    AtomicReference<DnsRecords> dnsRecords(ProxyProperties properties) {
        return new AtomicReference<>(DnsRecords.empty(properties.dns().clusterDomain()));
    }

    @Bean
    ProxyAgent proxyAgent(ProxyProperties properties, KubernetesClient client, ProxyBackend backend,
                          PolicyBackendHolder policyBackend, AtomicReference<DnsRecords> dnsRecords) {
        return new ProxyAgent(properties, client, backend, policyBackend.backend(), dnsRecords);
    }

    @Bean(destroyMethod = "close")
    ClusterDnsServer clusterDnsServer(ProxyProperties properties, AtomicReference<DnsRecords> dnsRecords) throws IOException {
        ProxyProperties.Dns dns = properties.dns();
        if (!dns.enabled()) return null;
        ClusterDnsResolver resolver = new ClusterDnsResolver(dnsRecords::get, new ResolverUpstream(dns.upstreams(), dns.upstreamTimeout()));
        return new ClusterDnsServer(resolver, dns.address(), dns.port());
    }

    /** DOWN until the first sync programmed the rules: the launcher waits for that. */
    @Bean
    HealthIndicator proxyHealth(ProxyAgent agent, ProxyBackend backend) {
        return () -> {
            if (agent.synced()) {
                return Health.up().withDetail("mode", backend.mode()).withDetail("syncs", agent.runner().syncs())
                        .withDetail("servicePorts", agent.lastRules().services().size())
                        .withDetail("policyIsolatedPods", agent.lastPolicy().pods().size()).build();
            }
            Health.Builder down = Health.down().withDetail("mode", backend.mode()).withDetail("synced", false);
            if (agent.startFailure() != null) down.withDetail("error", agent.startFailure());
            return down.build();
        };
    }
}
