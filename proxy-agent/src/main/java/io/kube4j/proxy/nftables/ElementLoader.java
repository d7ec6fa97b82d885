package io.kube4j.proxy.nftables;

import java.util.List;

/**
 * Loads set and map elements into nf_tables in their binary form, without {@code nft}: at 10,000
 * Services × 10 endpoints a full sync holds 200,000 elements, and {@code nft} spends more CPU
 * parsing and evaluating their text than the kernel spends adding them. Used for tables no base
 * chain uses yet, so the transactions it makes need not be the sync's only one.
 *
 * <p>Contract: {@link #add} applies all of its elements or none (one netlink batch) and throws
 * {@link NftRunner.NftException} with the kernel's error otherwise. Not required to be thread-safe.
 */
public interface ElementLoader {

    /** Adds {@code sets}' elements to the named sets of the {@code ip} table {@code table}, in one transaction. */
    void add(String table, List<SetElements> sets) throws NftRunner.NftException;

    /** Whether the {@code ip} table {@code table} holds a chain named {@code chain}. */
    boolean hasChain(String table, String chain) throws NftRunner.NftException;

    /**
     * Elements of one set or map, packed: {@code count} keys of {@code keyLength} bytes each in
     * {@code keys}, and as many values of {@code dataLength} bytes in {@code data} (0 for a plain
     * set), each exactly as the kernel stores it (concatenated fields padded to 4 bytes). For a
     * verdict map, {@code gotoChains} names each element's target chain ({@code goto CHAIN}; the
     * chain must exist when the elements are added) and {@code dataLength} is 0; null otherwise.
     */
    record SetElements(String set, int keyLength, int dataLength, int count, byte[] keys, byte[] data, List<String> gotoChains) {

        public SetElements {
            if (keys.length != count * keyLength || data.length != count * dataLength) {
                throw new IllegalArgumentException("packed elements of " + set + " do not match their count");
            }
            if (gotoChains != null && (gotoChains.size() != count || dataLength != 0)) {
                throw new IllegalArgumentException("verdicts of " + set + " do not match its elements");
            }
        }

        /** Elements of a plain set ({@code dataLength} 0) or of a map with values. */
        public SetElements(String set, int keyLength, int dataLength, int count, byte[] keys, byte[] data) {
            this(set, keyLength, dataLength, count, keys, data, null);
        }

        /** Elements of a verdict map: key i jumps ({@code goto}) to {@code chains.get(i)}. */
        public static SetElements gotos(String set, int keyLength, byte[] keys, List<String> chains) {
            return new SetElements(set, keyLength, 0, chains.size(), keys, new byte[0], List.copyOf(chains));
        }
    }
}
