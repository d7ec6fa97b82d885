package io.kube4j.gateway.admission.allocation;

import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ServiceAllocationRepair} on a fixed period, handing each pass the revision the
 * previous one read (so claims of requests in flight are never released). Failures are logged
 * and retried on the next round.
 */
public final class AllocationRepairLoop implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AllocationRepairLoop.class);

    private final ServiceAllocationRepair repair;
    private final Store store;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("allocation-repair").daemon().factory());
    private long settled;

    public AllocationRepairLoop(ServiceAllocators allocators, Store store) {
        this.repair = new ServiceAllocationRepair(allocators, BuiltInTypes.SERVICE.keyPrefix());
        this.store = store;
    }

    public void start(Duration period) {
        executor.scheduleWithFixedDelay(this::runOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void runOnce() {
        try {
            ServiceAllocationRepair.Result result = repair.repair(store, settled);
            if (result.released() > 0 || result.claimed() > 0) {
                log.info("allocation repair released {} and claimed {} service IPs/ports", result.released(), result.claimed());
            }
            settled = result.revision();
        } catch (StoreException | IllegalStateException e) {
            log.warn("allocation repair failed, retrying next round: {}", e.toString());
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
