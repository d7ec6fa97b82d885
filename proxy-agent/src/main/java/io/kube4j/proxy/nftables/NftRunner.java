package io.kube4j.proxy.nftables;

/**
 * Feeds scripts to nftables. Contract: {@link #run} applies the whole script as one transaction
 * (all of it or none of it, as {@code nft -f} does) and throws {@link NftException} with nft's
 * message when the kernel refuses any of it. Not required to be thread-safe.
 */
public interface NftRunner {

    void run(String script) throws NftException;

    /** A failed {@code nft -f}: the script was not applied. */
    final class NftException extends Exception {
        public NftException(String message) {
            super(message);
        }
    }
}
