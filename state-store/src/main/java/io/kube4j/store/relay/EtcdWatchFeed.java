package io.kube4j.store.relay;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The changes under one etcd prefix from a given revision on, with previous values, as a queue the
 * relay thread drains. jetcd resumes the watch by itself after a lost connection (from the
 * revision after the last one it delivered); a compacted start revision or any other terminal
 * error arrives as an {@link Item}, and the relay decides where to reopen.
 *
 * <p>Each {@link #open} starts a new generation; items of an older generation still queued are
 * dropped, so the relay never sees two watches interleaved. {@link #open}, {@link #poll} and
 * {@link #close} belong to the relay thread; jetcd's threads only enqueue.
 */
public final class EtcdWatchFeed implements AutoCloseable {

    /** What the watch delivered. */
    public sealed interface Item {
        /** The changes of one watch response, in revision order. */
        record Changes(List<Change> changes) implements Item {
        }

        /** The start revision is compacted; the oldest revision etcd still has is {@code compactRevision}. */
        record Compacted(long compactRevision) implements Item {
        }

        /** The watch ended for another reason; the relay reopens it. */
        record Failed(Throwable cause) implements Item {
        }
    }

    private record Tagged(long generation, Item item) {
    }

    private final Client etcd;
    private final ByteSequence prefix;
    private final LinkedBlockingQueue<Tagged> queue = new LinkedBlockingQueue<>();
    private volatile long generation;
    private Watch.Watcher watcher;

    public EtcdWatchFeed(Client etcd, String prefix) {
        this.etcd = etcd;
        this.prefix = EtcdLeaderElection.bytes(prefix);
    }

    /** (Re)starts the watch at {@code fromRevision}, discarding whatever the previous watch left queued. */
    public void open(long fromRevision) {
        close();
        long mine = ++generation;
        WatchOption option = WatchOption.builder()
                .isPrefix(true)
                .withPrevKV(true)
                .withRevision(Math.max(1, fromRevision))
                .build();
        watcher = etcd.getWatchClient().watch(prefix, option, new Watch.Listener() {
            @Override
            public void onNext(WatchResponse response) {
                if (response.getEvents().isEmpty()) return;
                List<Change> changes = new ArrayList<>(response.getEvents().size());
                for (WatchEvent event : response.getEvents()) {
                    changes.add(toChange(event));
                }
                queue.add(new Tagged(mine, new Item.Changes(changes)));
            }

            @Override
            public void onError(Throwable error) {
                queue.add(new Tagged(mine, error instanceof CompactedException compacted
                        ? new Item.Compacted(compacted.getCompactedRevision())
                        : new Item.Failed(error)));
            }

            @Override
            public void onCompleted() {
                queue.add(new Tagged(mine, new Item.Failed(new IllegalStateException("etcd ended the watch"))));
            }
        });
    }

    /** The next item of the current watch, or {@code null} after {@code timeout}. */
    public Item poll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Tagged tagged = queue.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (tagged == null) return null;
            if (tagged.generation() == generation && watcher != null) return tagged.item();
        }
    }

    /** Responses received and not yet polled. */
    public int queued() {
        return queue.size();
    }

    public boolean isOpen() {
        return watcher != null;
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
            watcher = null;
        }
        generation++;
        queue.clear();
    }

    static Change toChange(WatchEvent event) {
        KeyValue kv = event.getKeyValue();
        KeyValue previous = event.getPrevKV();
        boolean deleted = event.getEventType() == WatchEvent.EventType.DELETE;
        byte[] previousValue = previous == null || previous.getKey().isEmpty() ? null : previous.getValue().getBytes();
        return new Change(
                kv.getKey().toString(java.nio.charset.StandardCharsets.UTF_8),
                deleted ? new byte[0] : kv.getValue().getBytes(),
                previousValue,
                deleted,
                !deleted && kv.getVersion() == 1,
                kv.getModRevision());
    }
}
