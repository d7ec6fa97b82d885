package io.kube4j.store;

import com.google.protobuf.UnsafeByteOperations;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.common.exception.CompactedException;
import io.etcd.jetcd.common.exception.EtcdException;
import io.etcd.jetcd.kv.DeleteResponse;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.CompactOption;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.etcd.jetcd.watch.WatchResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} over etcd v3, through one jetcd client shared by all callers.
 *
 * <p>Every method blocks the calling thread (the gateway calls it from virtual threads) and makes
 * exactly one request to etcd on its success path: create, update and conditional delete are
 * single transactions guarded by the key's create or mod revision; a failed guard reads the
 * current value in the same transaction. A call that etcd does not answer within
 * {@link EtcdStoreProperties#requestTimeout()} fails with {@link StoreException.Unavailable}; while
 * etcd is unreachable a call waits for it up to that long, so a short etcd restart is invisible.
 *
 * <p>Values are passed to etcd without copying: the array given to {@link #create} or
 * {@link #update} must not be modified afterwards, and the returned {@link KeyValue} shares it.
 *
 * <p>Watches resume by themselves after a broken stream, from the revision after the last event
 * they received, and deliver each event once. jetcd's own resumption is not used: it reports
 * every transient error to the listener and, once a watch is created, may resume from the
 * header revision of the creation, skipping replayed events it had not received yet.
 */
public final class EtcdStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(EtcdStore.class);

    private static final String COMPACTED_TEXT = "required revision has been compacted";
    private static final String FUTURE_TEXT = "required revision is a future revision";
    /** Ranges over a missing key answer {@link #currentRevision} and the compaction probes. */
    private static final ByteSequence PROBE_KEY = ByteSequence.from(new byte[] {0});
    private static final GetOption COUNT_ONLY = GetOption.builder().withCountOnly(true).build();
    private static final GetOption KEYS_ONLY = GetOption.builder().withKeysOnly(true).build();
    private static final DeleteOption DELETE_PREV = DeleteOption.builder().withPrevKV(true).build();
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(2);

    private final Client client;
    private final KV kv;
    private final io.etcd.jetcd.Watch watchClient;
    private final long timeoutMillis;
    private final ScheduledExecutorService reconnects;
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    /** A lower bound of etcd's compacted revision, from this store's own compactions and errors. */
    private final AtomicLong knownCompacted = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    public EtcdStore(EtcdStoreProperties properties) {
        this.timeoutMillis = properties.requestTimeout().toMillis();
        this.client = Client.builder()
                .endpoints(properties.endpoints().toArray(String[]::new))
                .connectTimeout(properties.connectTimeout())
                .maxInboundMessageSize(properties.maxResponseBytes())
                .retryMaxDuration(properties.requestTimeout())
                .interceptor(new UnaryDeadline(timeoutMillis))
                .build();
        this.kv = client.getKVClient();
        this.watchClient = client.getWatchClient();
        this.reconnects = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("etcd-watch-reconnect").factory());
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<KeyValue> get(String key) {
        GetResponse response = await(kv.get(bytes(key)), "get " + key);
        if (response.getKvs().isEmpty()) return Optional.empty();
        return Optional.of(toKeyValue(key, response.getKvs().getFirst()));
    }

    @Override
    public ListResult list(String prefix, long revision, long limit, String startKey) {
        String from = startKey == null || startKey.isEmpty() ? prefix : startKey;
        if (!from.startsWith(prefix)) {
            throw new IllegalArgumentException("start key " + startKey + " is not under the prefix " + prefix);
        }
        byte[] prefixBytes = prefix.getBytes(StandardCharsets.UTF_8);
        GetOption.Builder option = GetOption.builder().withRange(ByteSequence.from(prefixEnd(prefixBytes)));
        if (limit > 0) option.withLimit(limit);
        if (revision > 0) option.withRevision(revision);
        ByteSequence fromKey = from.isEmpty() ? PROBE_KEY : bytes(from);
        GetResponse response;
        try {
            response = await(kv.get(fromKey, option.build()), "list " + prefix);
        } catch (RevisionError e) {
            throw revisionError(e, revision);
        }
        List<io.etcd.jetcd.KeyValue> kvs = response.getKvs();
        List<KeyValue> items = new ArrayList<>(kvs.size());
        for (io.etcd.jetcd.KeyValue item : kvs) {
            items.add(toKeyValue(item.getKey().toString(StandardCharsets.UTF_8), item));
        }
        // etcd's count is the number of keys in the whole requested range, not in the page.
        long remaining = Math.max(0, response.getCount() - items.size());
        long readAt = revision > 0 ? revision : response.getHeader().getRevision();
        return new ListResult(List.copyOf(items), readAt, response.isMore(), remaining);
    }

    @Override
    public long currentRevision() {
        return await(kv.get(PROBE_KEY, COUNT_ONLY), "current revision").getHeader().getRevision();
    }

    /**
     * etcd 3.4 has no call that returns the compacted revision, so this searches for the oldest
     * readable revision with count-only ranges: about log2(current - known) cheap requests.
     */
    @Override
    public long compactedRevision() {
        long low = Math.max(1, knownCompacted.get());
        long high = currentRevision();
        while (low < high) {
            long mid = low + (high - low) / 2;
            if (readableAt(mid)) high = mid;
            else low = mid + 1;
        }
        long compacted = low <= 1 ? 0 : low;
        knownCompacted.accumulateAndGet(compacted, Math::max);
        return compacted;
    }

    private boolean readableAt(long revision) {
        try {
            await(kv.get(PROBE_KEY, GetOption.builder().withCountOnly(true).withRevision(revision).build()),
                    "probe revision " + revision);
            return true;
        } catch (RevisionError e) {
            if (e.compacted) return false;
            throw new StoreException.FutureRevision(revision, currentRevision());
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public KeyValue create(String key, byte[] value) {
        ByteSequence k = bytes(key);
        TxnResponse response = await(kv.txn()
                .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.createRevision(0)))
                .Then(Op.put(k, wrap(value), PutOption.DEFAULT))
                .commit(), "create " + key);
        if (!response.isSucceeded()) throw new StoreException.KeyExists(key);
        long revision = response.getHeader().getRevision();
        return new KeyValue(key, value, revision, revision);
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision) {
        ByteSequence k = bytes(key);
        TxnResponse response = await(kv.txn()
                .If(guard(k, expectedModRevision))
                // the keys-only read after the put answers the create revision without the value
                .Then(Op.put(k, wrap(value), PutOption.DEFAULT), Op.get(k, KEYS_ONLY))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), "update " + key);
        if (!response.isSucceeded()) throw mismatch(key, response);
        long revision = response.getHeader().getRevision();
        long created = response.getGetResponses().getFirst().getKvs().getFirst().getCreateRevision();
        return new KeyValue(key, value, created, revision);
    }

    @Override
    public KeyValue delete(String key, long expectedModRevision) {
        ByteSequence k = bytes(key);
        if (expectedModRevision == 0) {
            DeleteResponse response = await(kv.delete(k, DELETE_PREV), "delete " + key);
            if (response.getDeleted() == 0) throw new StoreException.NotFound(key);
            return deleted(key, response.getPrevKvs().getFirst(), response.getHeader().getRevision());
        }
        TxnResponse response = await(kv.txn()
                .If(guard(k, expectedModRevision))
                .Then(Op.delete(k, DELETE_PREV))
                .Else(Op.get(k, GetOption.DEFAULT))
                .commit(), "delete " + key);
        if (!response.isSucceeded()) throw mismatch(key, response);
        DeleteResponse deletion = response.getDeleteResponses().getFirst();
        return deleted(key, deletion.getPrevKvs().getFirst(), response.getHeader().getRevision());
    }

    /** The key exists and was last written at the expected revision (a missing key has mod revision 0). */
    private static Cmp guard(ByteSequence key, long expectedModRevision) {
        return expectedModRevision > 0
                ? new Cmp(key, Cmp.Op.EQUAL, CmpTarget.modRevision(expectedModRevision))
                // no revision matches a missing key; fails into the read of the current value
                : new Cmp(key, Cmp.Op.LESS, CmpTarget.createRevision(0));
    }

    private static StoreException mismatch(String key, TxnResponse response) {
        List<io.etcd.jetcd.KeyValue> current = response.getGetResponses().getFirst().getKvs();
        if (current.isEmpty()) return new StoreException.NotFound(key);
        return new StoreException.Conflict(key, toKeyValue(key, current.getFirst()));
    }

    private static KeyValue deleted(String key, io.etcd.jetcd.KeyValue previous, long revision) {
        return new KeyValue(key, previous.getValue().getBytes(), previous.getCreateRevision(), revision);
    }

    @Override
    public void compact(long revision) {
        try {
            await(kv.compact(revision, CompactOption.DEFAULT), "compact " + revision);
            knownCompacted.accumulateAndGet(revision, Math::max);
        } catch (RevisionError e) {
            throw revisionError(e, revision);
        }
    }

    // ---------------------------------------------------------------- watch

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        if (closed.get()) throw new IllegalStateException("store is closed");
        EtcdWatch watch = new EtcdWatch(prefix, fromRevision, listener);
        watches.add(watch);
        watch.start();
        return watch;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) return;
        for (EtcdWatch watch : watches) watch.close();
        reconnects.shutdownNow();
        client.close();
    }

    /**
     * One store watch over a sequence of jetcd watchers: each broken stream is replaced by a new
     * one that starts after the last received revision. Events pass through a queue to a virtual
     * thread of their own, so a slow listener never blocks gRPC's event loop.
     */
    private final class EtcdWatch implements Watch {
        private final String prefix;
        private final ByteSequence key;
        private final ByteSequence end;
        private final WatchListener listener;
        /** Events, or a {@link Terminal} that ends the watch. */
        private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        /** No stream is to be opened any more (compacted or closed). */
        private final AtomicBoolean stopped = new AtomicBoolean();
        /** Nothing is to be delivered any more. */
        private final AtomicBoolean closedByCaller = new AtomicBoolean();
        /** The first revision not received yet; written only by the current stream's callbacks. */
        private volatile long nextRevision;
        private volatile Stream stream;
        private volatile Thread deliverer;
        private volatile int failures;

        EtcdWatch(String prefix, long fromRevision, WatchListener listener) {
            byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
            this.prefix = prefix;
            this.key = p.length == 0 ? PROBE_KEY : ByteSequence.from(p);
            this.end = ByteSequence.from(prefixEnd(p));
            this.listener = listener;
            this.nextRevision = fromRevision + 1;
        }

        void start() {
            deliverer = Thread.ofVirtual().name("etcd-watch " + prefix).start(this::deliver);
            connect();
        }

        private void connect() {
            if (stopped.get()) return;
            Stream next = new Stream(this);
            stream = next;
            WatchOption option = WatchOption.builder()
                    .withRange(end)
                    .withRevision(nextRevision)
                    .withPrevKV(true)
                    .build();
            try {
                next.attach(watchClient.watch(key, option, next));
            } catch (RuntimeException e) {
                next.fail(e);
            }
        }

        /** Called on the stream's gRPC thread, in order. */
        void received(Stream from, WatchResponse response) {
            failures = 0;
            long resume = nextRevision;
            long last = resume - 1;
            for (WatchEvent event : response.getEvents()) {
                long revision = event.getKeyValue().getModRevision();
                // a revision's events arrive in one response; anything older was received already
                if (revision < resume) continue;
                Event converted = toEvent(event);
                if (converted == null) {
                    // etcd sends no previous value when the revision before the event is compacted
                    end(from, new Terminal(revision - 1, -1));
                    return;
                }
                queue.add(converted);
                last = Math.max(last, revision);
            }
            nextRevision = last + 1;
        }

        /** The stream ended without our asking: end on compaction, else resume after a pause. */
        void broken(Stream from, Throwable error) {
            if (stopped.get()) return;
            if (error instanceof CompactedException compacted) {
                knownCompacted.accumulateAndGet(compacted.getCompactedRevision(), Math::max);
                end(from, new Terminal(nextRevision - 1, compacted.getCompactedRevision()));
                return;
            }
            int failed = ++failures;
            long delay = Math.min(MAX_RECONNECT_DELAY.toMillis(), 25L << Math.min(failed, 8));
            log.info("watch of {} broke ({}); resuming from revision {} in {} ms",
                    prefix, error == null ? "stream ended" : error.getMessage(), nextRevision, delay);
            try {
                reconnects.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException storeClosed) {
                close();
            }
        }

        private void end(Stream from, Terminal terminal) {
            stopped.set(true);
            from.stop();
            queue.add(terminal);
        }

        private void deliver() {
            try {
                while (!closedByCaller.get()) {
                    Object item = queue.take();
                    if (closedByCaller.get()) break;
                    if (item instanceof Terminal terminal) {
                        long compacted = terminal.compacted() >= 0 ? terminal.compacted() : lookUpCompacted(terminal);
                        listener.onError(new StoreException.Compacted(terminal.requested(), compacted));
                        break;
                    }
                    Event event = (Event) item;
                    try {
                        listener.onEvent(event);
                    } catch (RuntimeException e) {
                        log.warn("watch listener of {} failed on revision {}", prefix, event.revision(), e);
                    }
                }
            } catch (InterruptedException e) {
                // closed
            } finally {
                close();
            }
        }

        @Override
        public void close() {
            stopped.set(true);
            Stream s = stream;
            if (s != null) s.stop();
            if (closedByCaller.compareAndSet(false, true)) {
                watches.remove(this);
                Thread t = deliverer;
                if (t != null && t != Thread.currentThread()) t.interrupt();
            }
        }

        /** Blocks, so it runs on the delivery thread rather than on gRPC's. */
        private long lookUpCompacted(Terminal terminal) {
            try {
                return compactedRevision();
            } catch (RuntimeException unavailable) {
                return terminal.requested() + 1;
            }
        }
    }

    /** Compaction ended a watch; {@code compacted} is -1 when etcd did not say the compacted revision. */
    private record Terminal(long requested, long compacted) {}

    /** One jetcd watcher of an {@link EtcdWatch}; once broken or stopped it ignores its callbacks. */
    private static final class Stream implements io.etcd.jetcd.Watch.Listener {
        private final EtcdWatch owner;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile io.etcd.jetcd.Watch.Watcher watcher;

        Stream(EtcdWatch owner) {
            this.owner = owner;
        }

        void attach(io.etcd.jetcd.Watch.Watcher w) {
            watcher = w;
            if (done.get()) w.close();
        }

        /** Ends this stream; jetcd will not resume it. */
        void stop() {
            done.set(true);
            io.etcd.jetcd.Watch.Watcher w = watcher;
            if (w != null) w.close();
        }

        void fail(Throwable error) {
            if (done.compareAndSet(false, true)) {
                io.etcd.jetcd.Watch.Watcher w = watcher;
                if (w != null) w.close();
                owner.broken(this, error);
            }
        }

        @Override
        public void onNext(WatchResponse response) {
            if (!done.get()) owner.received(this, response);
        }

        @Override
        public void onError(Throwable error) {
            // jetcd calls this with its lock held and would then resume by itself; closing the
            // watcher here (the lock is reentrant) stops that
            fail(error);
        }

        @Override
        public void onCompleted() {
            fail(null);
        }
    }

    // ---------------------------------------------------------------- conversions

    /** The store event of a watch event, or null when its required previous value is missing. */
    private static Event toEvent(WatchEvent event) {
        io.etcd.jetcd.KeyValue kv = event.getKeyValue();
        io.etcd.jetcd.KeyValue prev = event.getPrevKV();
        String key = kv.getKey().toString(StandardCharsets.UTF_8);
        // jetcd hands an empty key-value (mod revision 0) when etcd sent no previous value
        KeyValue previous = prev == null || prev.getModRevision() == 0 ? null : toKeyValue(key, prev);
        if (event.getEventType() == WatchEvent.EventType.DELETE) {
            if (previous == null) return null;
            return new Event(Event.Type.DELETE, new KeyValue(key, new byte[0], 0, kv.getModRevision()), previous);
        }
        boolean created = kv.getVersion() == 1;
        if (!created && previous == null) return null;
        return new Event(Event.Type.PUT, toKeyValue(key, kv), created ? null : previous);
    }

    private static KeyValue toKeyValue(String key, io.etcd.jetcd.KeyValue kv) {
        return new KeyValue(key, kv.getValue().getBytes(), kv.getCreateRevision(), kv.getModRevision());
    }

    private static ByteSequence bytes(String key) {
        return ByteSequence.from(key, StandardCharsets.UTF_8);
    }

    private static ByteSequence wrap(byte[] value) {
        return ByteSequence.from(UnsafeByteOperations.unsafeWrap(value));
    }

    /** The smallest key greater than every key starting with {@code prefix}; "\0" means no end. */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xff) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return new byte[] {0};
    }

    // ---------------------------------------------------------------- errors

    /** etcd refused a revision: compacted, or newer than its own. Translated with context by the caller. */
    private static final class RevisionError extends RuntimeException {
        final boolean compacted;

        RevisionError(boolean compacted, Throwable cause) {
            super(cause.getMessage(), cause, false, false);
            this.compacted = compacted;
        }
    }

    private StoreException revisionError(RevisionError e, long revision) {
        if (e.compacted) return new StoreException.Compacted(revision, compactedRevision());
        return new StoreException.FutureRevision(revision, currentRevision());
    }

    private <T> T await(CompletableFuture<T> future, String what) {
        try {
            // the gRPC deadline fires first; this bound only guards against a lost completion
            return future.get(timeoutMillis + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | CompletionException e) {
            throw translate(e.getCause() == null ? e : e.getCause(), what);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new StoreException.Unavailable(what + ": etcd did not answer within " + timeoutMillis + " ms", e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new StoreException.Unavailable(what + ": interrupted", e);
        }
    }

    private static RuntimeException translate(Throwable error, String what) {
        String text = messages(error);
        if (text.contains(COMPACTED_TEXT)) return new RevisionError(true, error);
        if (text.contains(FUTURE_TEXT)) return new RevisionError(false, error);
        if (error instanceof EtcdException etcd) {
            return switch (etcd.getErrorCode()) {
                case UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, ABORTED, CANCELLED, UNKNOWN ->
                        new StoreException.Unavailable(what + ": " + etcd.getMessage(), error);
                default -> new IllegalStateException(what + ": etcd refused the request: " + etcd.getMessage(), error);
            };
        }
        if (error instanceof io.grpc.StatusRuntimeException || error instanceof java.io.IOException) {
            return new StoreException.Unavailable(what + ": " + error.getMessage(), error);
        }
        return new IllegalStateException(what + ": " + error.getMessage(), error);
    }

    private static String messages(Throwable error) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = error; t != null && text.length() < 4096; t = t.getCause()) {
            if (t.getMessage() != null) text.append(t.getMessage()).append('\n');
            if (t.getCause() == t) break;
        }
        return text.toString();
    }

    /** Gives every unary call etcd's request timeout as its gRPC deadline; watch streams have none. */
    private record UnaryDeadline(long timeoutMillis) implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            if (method.getType() == MethodDescriptor.MethodType.UNARY && options.getDeadline() == null) {
                options = options.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
            }
            return next.newCall(method, options);
        }
    }
}
