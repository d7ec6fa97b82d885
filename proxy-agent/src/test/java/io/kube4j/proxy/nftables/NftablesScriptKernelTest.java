package io.kube4j.proxy.nftables;

/**
 * {@link NftablesKernelTest}'s cases with full syncs as one {@code nft -f} script: the back end
 * where no netfilter netlink socket can be made.
 */
class NftablesScriptKernelTest extends NftablesKernelTest {

    @Override
    NftablesBackend newBackend() {
        return new NftablesBackend("kube4j", new ProcessNftRunner(node));
    }
}
