package io.kube4j.proxy.nftables;

import io.kube4j.proxy.model.ProxyRules;
import io.kube4j.proxy.sync.ProxyBackend;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The nftables back end: one table ({@code ip kube4j} by default) that this back end owns whole.
 * The first sync, and the first after a failure, replaces the table in one transaction; later
 * syncs send only the difference from what the last successful sync applied.
 */
public final class NftablesBackend implements ProxyBackend {

    private static final Logger log = LoggerFactory.getLogger(NftablesBackend.class);

    private final String table;
    private final NftRunner nft;
    private NftRuleset applied;
    private long lastSize;

    public NftablesBackend(String table, NftRunner nft) {
        this.table = table;
        this.nft = nft;
    }

    @Override
    public String mode() {
        return "nftables";
    }

    @Override
    public void sync(ProxyRules rules) throws NftRunner.NftException {
        NftRuleset desired = NftablesRenderer.render(rules);
        boolean full = applied == null;
        String script = full ? NftScripts.full(table, desired) : NftScripts.incremental(table, applied, desired);
        if (script.isEmpty()) {
            lastSize = 0;
            return;
        }
        applied = null;
        try {
            nft.run(script);
        } catch (NftRunner.NftException e) {
            log.warn("nftables {} sync failed; the next sync replaces the table whole: {}", full ? "full" : "incremental", e.getMessage());
            throw e;
        }
        applied = desired;
        lastSize = script.chars().filter(c -> c == '\n').count();
    }

    @Override
    public void cleanup() throws NftRunner.NftException {
        applied = null;
        nft.run("add table ip " + table + "\ndelete table ip " + table + "\n");
    }

    @Override
    public long lastSyncSize() {
        return lastSize;
    }
}
