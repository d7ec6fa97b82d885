package io.kube4j.store.relay;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's meters (Prometheus names in brackets):
 * <ul>
 * <li>{@code kube4j.relay.leader} [kube4j_relay_leader]: 1 while this relay leads;</li>
 * <li>{@code kube4j.relay.revision.sent} [kube4j_relay_revision_sent]: the last revision handed to Kafka;</li>
 * <li>{@code kube4j.relay.revision.checkpoint} [kube4j_relay_revision_checkpoint]: the last checkpointed revision;</li>
 * <li>{@code kube4j.relay.events.published} [kube4j_relay_events_published_total]: records Kafka acknowledged;</li>
 * <li>{@code kube4j.relay.events.skipped} [kube4j_relay_events_skipped_total], tag {@code reason}: changes not relayed;</li>
 * <li>{@code kube4j.relay.compaction.gap} [kube4j_relay_compaction_gap_revisions_total]: revisions lost because etcd
 *     compacted them before the relay read them — anything above 0 means consumers missed events;</li>
 * <li>{@code kube4j.relay.sessions} [kube4j_relay_sessions_total]: leadership sessions started (restarts show here).</li>
 * </ul>
 * Thread-safe.
 */
public final class RelayMetrics {

    private final MeterRegistry registry;
    private final AtomicLong leader = new AtomicLong();
    private final AtomicLong sentRevision = new AtomicLong();
    private final AtomicLong checkpoint = new AtomicLong();
    private final Counter published;
    private final Counter compactionGap;
    private final Counter sessions;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("kube4j.relay.leader", leader, AtomicLong::get).description("1 while this relay leads").register(registry);
        Gauge.builder("kube4j.relay.revision.sent", sentRevision, AtomicLong::get).description("last etcd revision handed to Kafka").register(registry);
        Gauge.builder("kube4j.relay.revision.checkpoint", checkpoint, AtomicLong::get).description("last checkpointed etcd revision").register(registry);
        this.published = Counter.builder("kube4j.relay.events.published").description("records Kafka acknowledged").register(registry);
        this.compactionGap = Counter.builder("kube4j.relay.compaction.gap").baseUnit("revisions")
                .description("revisions compacted in etcd before the relay read them").register(registry);
        this.sessions = Counter.builder("kube4j.relay.sessions").description("leadership sessions started").register(registry);
    }

    void leading(boolean leading) {
        leader.set(leading ? 1 : 0);
    }

    void sent(long revision) {
        sentRevision.set(revision);
    }

    void checkpointed(long revision) {
        checkpoint.set(revision);
    }

    void published() {
        published.increment();
    }

    void skipped(String reason) {
        registry.counter("kube4j.relay.events.skipped", "reason", reason).increment();
    }

    void compactionGap(long revisions) {
        compactionGap.increment(revisions);
    }

    void sessionStarted() {
        sessions.increment();
    }

    public boolean isLeader() {
        return leader.get() == 1;
    }

    public long sentRevision() {
        return sentRevision.get();
    }

    public long checkpoint() {
        return checkpoint.get();
    }
}
