package io.kube4j.proxy;

/**
 * Which back end runs: the configured mode, or for {@code auto} IPVS where the kernel has it,
 * else nftables where {@code nft} exists, else iptables. Pure.
 */
public final class ProxyModeSelection {

    /** The choice and why, for the start-up log. */
    public record Choice(String mode, String reason) {
    }

    private ProxyModeSelection() {
    }

    public static Choice choose(String configured, boolean ipvsAvailable, String ipvsReason, boolean nftAvailable) {
        if (!"auto".equals(configured)) return new Choice(configured, "configured (kube4j.proxy.mode=" + configured + ")");
        if (ipvsAvailable) return new Choice("ipvs", "auto: IPVS is available (" + ipvsReason + ")");
        if (nftAvailable) return new Choice("nftables", "auto: IPVS is not available (" + ipvsReason + "); nft is");
        return new Choice("iptables", "auto: IPVS is not available (" + ipvsReason + ") and there is no nft");
    }
}
