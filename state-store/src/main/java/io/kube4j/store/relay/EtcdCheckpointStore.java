package io.kube4j.store.relay;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.PutOption;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The last etcd revision the relay has fully relayed (every record up to it acknowledged by
 * Kafka), kept in etcd itself under a key outside {@code /registry/}. Writes are fenced by the
 * writer's {@link Leadership}, so a deposed leader cannot move the checkpoint.
 *
 * <p>Thread-safe; every call is one blocking etcd request bounded by a timeout.
 */
public final class EtcdCheckpointStore {

    private final Client etcd;
    private final ByteSequence key;
    private final Duration timeout;

    public EtcdCheckpointStore(Client etcd, RelayProperties properties) {
        this.etcd = etcd;
        this.key = EtcdLeaderElection.bytes(properties.checkpointKey());
        this.timeout = Duration.ofSeconds(5);
    }

    /** The checkpoint, or 0 when the relay has never run: it then starts from etcd's first revision. */
    public long read() throws Exception {
        var response = etcd.getKVClient().get(key).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (response.getKvs().isEmpty()) return 0;
        return Long.parseLong(response.getKvs().getFirst().getValue().toString(StandardCharsets.UTF_8).trim());
    }

    /** Writes the checkpoint if {@code leadership} still holds; false when it does not. */
    public boolean write(Leadership leadership, long revision) throws Exception {
        return etcd.getKVClient().txn()
                .If(leadership.fence())
                .Then(Op.put(key, EtcdLeaderElection.bytes(Long.toString(revision)), PutOption.DEFAULT))
                .commit().get(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .isSucceeded();
    }
}
