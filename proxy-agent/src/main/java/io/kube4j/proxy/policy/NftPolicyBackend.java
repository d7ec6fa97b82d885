package io.kube4j.proxy.policy;

import io.kube4j.proxy.nftables.NftRunner;

/**
 * NetworkPolicy filtering in its own nftables table ({@code ip <proxy table>-policy}): the proxy
 * back ends (nftables, iptables or IPVS) each own their tables whole and replace them at will,
 * and policy must hold in every proxy mode, so it keeps a table apart. A change of the rules
 * replaces that table in one {@code nft -f} transaction; connections already established stay
 * (conntrack keeps their state), as a NetworkPolicy change does not cut them in Kubernetes either.
 */
public final class NftPolicyBackend implements PolicyBackend {

    private final String table;
    private final NftRunner nft;
    private PolicyRules applied;

    public NftPolicyBackend(String table, NftRunner nft) {
        this.table = table;
        this.nft = nft;
    }

    @Override
    public void sync(PolicyRules rules) throws NftRunner.NftException {
        if (rules.equals(applied)) return;
        applied = null;
        nft.run(PolicyNftRenderer.script(table, rules));
        applied = rules;
    }

    @Override
    public void cleanup() throws NftRunner.NftException {
        applied = null;
        nft.run(PolicyNftRenderer.cleanup(table));
    }
}
