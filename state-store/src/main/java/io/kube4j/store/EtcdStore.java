package io.kube4j.store;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.etcd.jetcd.api.CompactionRequest;
import io.etcd.jetcd.api.Compare;
import io.etcd.jetcd.api.DeleteRangeRequest;
import io.etcd.jetcd.api.DeleteRangeResponse;
import io.etcd.jetcd.api.KVGrpc;
import io.etcd.jetcd.api.PutRequest;
import io.etcd.jetcd.api.RangeRequest;
import io.etcd.jetcd.api.RangeResponse;
import io.etcd.jetcd.api.RequestOp;
import io.etcd.jetcd.api.TxnRequest;
import io.etcd.jetcd.api.TxnResponse;
import io.etcd.jetcd.api.WatchCreateRequest;
import io.etcd.jetcd.api.WatchGrpc;
import io.etcd.jetcd.api.WatchRequest;
import io.etcd.jetcd.api.WatchResponse;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.netty.channel.ChannelOption;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Store} over etcd v3, through jetcd's gRPC API on one channel shared by all callers.
 *
 * <p>Every method blocks the calling thread (the gateway calls it from virtual threads) and makes
 * exactly one request to etcd on its success path: create, update and conditional delete are
 * single transactions guarded by the key's create or mod revision; a failed guard reads the
 * current value in the same transaction. A call that etcd does not answer within
 * {@link EtcdStoreProperties#requestTimeout()} fails with {@link StoreException.Unavailable};
 * while etcd is unreachable a call waits for it up to that long, so a short restart is invisible.
 *
 * <p>jetcd's generated blocking stubs are used rather than its {@code KV} client: that client
 * hands every call to an executor, a retry policy and a future, which on a two-core machine
 * shared with etcd costs about twice the client CPU per request for the same throughput.
 *
 * <p>Values are passed to etcd without copying: the array given to {@link #create} or
 * {@link #update} must not be modified afterwards, and the returned {@link KeyValue} shares it.
 *
 * <p>Watches resume by themselves after a broken stream, from the revision after the last event
 * they received, and deliver each event once. (jetcd's own {@code Watch} also resumes, but reports
 * every transient error to the listener first and, once a watch is created, may resume from the
 * creation's header revision, skipping replayed events it had not received yet.)
 */
public final class EtcdStore implements Store {

    private static final Logger log = LoggerFactory.getLogger(EtcdStore.class);

    private static final String COMPACTED_TEXT = "required revision has been compacted";
    private static final String FUTURE_TEXT = "required revision is a future revision";
    /** Ranges over this missing key answer {@link #currentRevision} and the compaction probes. */
    private static final ByteString PROBE_KEY = ByteString.copyFrom(new byte[] {0});
    private static final long MAX_RECONNECT_DELAY_MILLIS = 2000;
    /** Makes etcd cancel a watch served by a member that lost its leader, instead of leaving it silent. */
    private static final Metadata REQUIRE_LEADER = new Metadata();

    static {
        REQUIRE_LEADER.put(Metadata.Key.of("hasleader", Metadata.ASCII_STRING_MARSHALLER), "true");
    }

    private final ManagedChannel channel;
    private final KVGrpc.KVBlockingStub kv;
    private final WatchGrpc.WatchStub watchStub;
    private final long timeoutMillis;
    private final ScheduledExecutorService reconnects;
    private final Set<EtcdWatch> watches = ConcurrentHashMap.newKeySet();
    /** A lower bound of etcd's compacted revision, from this store's own compactions and errors. */
    private final AtomicLong knownCompacted = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();

    public EtcdStore(EtcdStoreProperties properties) {
        this.timeoutMillis = properties.requestTimeout().toMillis();
        this.channel = NettyChannelBuilder.forTarget(target(properties.endpoints()))
                .usePlaintext()
                .defaultLoadBalancingPolicy("round_robin")
                .maxInboundMessageSize(properties.maxResponseBytes())
                .keepAliveTime(30, TimeUnit.SECONDS)
                .keepAliveTimeout(10, TimeUnit.SECONDS)
                .keepAliveWithoutCalls(true)
                .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
                .build();
        this.kv = KVGrpc.newBlockingStub(channel).withWaitForReady();
        this.watchStub = WatchGrpc.newStub(channel)
                .withWaitForReady()
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(REQUIRE_LEADER));
        this.reconnects = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("etcd-watch-reconnect").factory());
        // gRPC backs off reconnecting up to two minutes; after a long outage that would keep the
        // store unavailable long after etcd is back, so while no member answers, try each second
        reconnects.scheduleWithFixedDelay(() -> {
            if (channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) channel.resetConnectBackoff();
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** A target for jetcd's {@code ip} name resolver, which balances over all members. */
    static String target(List<String> endpoints) {
        return "ip:///" + endpoints.stream().map(endpoint -> {
            URI uri = URI.create(endpoint.contains("://") ? endpoint : "http://" + endpoint);
            if ("https".equals(uri.getScheme())) {
                throw new IllegalArgumentException("TLS to etcd is not supported yet: " + endpoint);
            }
            if (uri.getHost() == null) throw new IllegalArgumentException("no host in etcd endpoint " + endpoint);
            return uri.getHost() + ":" + (uri.getPort() < 0 ? 2379 : uri.getPort());
        }).distinct().collect(Collectors.joining(","));
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Optional<KeyValue> get(String key) {
        RangeResponse response = call("get " + key, () -> kv().range(RangeRequest.newBuilder().setKey(bytes(key)).build()));
        if (response.getKvsCount() == 0) return Optional.empty();
        return Optional.of(toKeyValue(key, response.getKvs(0)));
    }

    @Override
    public ListResult list(String prefix, long revision, long limit, String startKey) {
        String from = startKey == null || startKey.isEmpty() ? prefix : startKey;
        if (!from.startsWith(prefix)) {
            throw new IllegalArgumentException("start key " + startKey + " is not under the prefix " + prefix);
        }
        RangeRequest.Builder request = RangeRequest.newBuilder()
                .setKey(from.isEmpty() ? PROBE_KEY : bytes(from))
                .setRangeEnd(UnsafeByteOperations.unsafeWrap(prefixEnd(prefix.getBytes(StandardCharsets.UTF_8))));
        if (limit > 0) request.setLimit(limit);
        if (revision > 0) request.setRevision(revision);
        RangeResponse response;
        try {
            response = call("list " + prefix, () -> kv().range(request.build()));
        } catch (RevisionError e) {
            throw revisionError(e, revision);
        }
        List<KeyValue> items = new ArrayList<>(response.getKvsCount());
        for (io.etcd.jetcd.api.KeyValue item : response.getKvsList()) {
            items.add(toKeyValue(item.getKey().toStringUtf8(), item));
        }
        // etcd's count is the number of keys in the whole requested range, not in the page
        long remaining = Math.max(0, response.getCount() - items.size());
        long readAt = revision > 0 ? revision : response.getHeader().getRevision();
        return new ListResult(Collections.unmodifiableList(items), readAt, response.getMore(), remaining);
    }

    @Override
    public long currentRevision() {
        RangeRequest request = RangeRequest.newBuilder().setKey(PROBE_KEY).setCountOnly(true).build();
        return call("current revision", () -> kv().range(request)).getHeader().getRevision();
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
        RangeRequest request = RangeRequest.newBuilder().setKey(PROBE_KEY).setCountOnly(true).setRevision(revision).build();
        try {
            call("probe revision " + revision, () -> kv().range(request));
            return true;
        } catch (RevisionError e) {
            if (e.compacted) return false;
            throw new StoreException.FutureRevision(revision, currentRevision());
        }
    }

    // ---------------------------------------------------------------- writes

    @Override
    public KeyValue create(String key, byte[] value) {
        ByteString k = bytes(key);
        TxnRequest request = TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(k)
                        .setTarget(Compare.CompareTarget.CREATE).setResult(Compare.CompareResult.EQUAL).setCreateRevision(0))
                .addSuccess(put(k, value))
                .build();
        TxnResponse response = call("create " + key, () -> kv().txn(request));
        if (!response.getSucceeded()) throw new StoreException.KeyExists(key);
        long revision = response.getHeader().getRevision();
        return new KeyValue(key, value, revision, revision);
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision) {
        ByteString k = bytes(key);
        TxnRequest request = TxnRequest.newBuilder()
                .addCompare(guard(k, expectedModRevision))
                .addSuccess(put(k, value))
                // the keys-only read after the put answers the create revision without the value
                .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(k).setKeysOnly(true)))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(k)))
                .build();
        TxnResponse response = call("update " + key, () -> kv().txn(request));
        if (!response.getSucceeded()) throw mismatch(key, response);
        long created = response.getResponses(1).getResponseRange().getKvs(0).getCreateRevision();
        return new KeyValue(key, value, created, response.getHeader().getRevision());
    }

    @Override
    public KeyValue delete(String key, long expectedModRevision) {
        ByteString k = bytes(key);
        DeleteRangeRequest deletion = DeleteRangeRequest.newBuilder().setKey(k).setPrevKv(true).build();
        if (expectedModRevision == 0) {
            DeleteRangeResponse response = call("delete " + key, () -> kv().deleteRange(deletion));
            if (response.getDeleted() == 0) throw new StoreException.NotFound(key);
            return deleted(key, response.getPrevKvs(0), response.getHeader().getRevision());
        }
        TxnRequest request = TxnRequest.newBuilder()
                .addCompare(guard(k, expectedModRevision))
                .addSuccess(RequestOp.newBuilder().setRequestDeleteRange(deletion))
                .addFailure(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder().setKey(k)))
                .build();
        TxnResponse response = call("delete " + key, () -> kv().txn(request));
        if (!response.getSucceeded()) throw mismatch(key, response);
        DeleteRangeResponse deleted = response.getResponses(0).getResponseDeleteRange();
        return deleted(key, deleted.getPrevKvs(0), response.getHeader().getRevision());
    }

    private static RequestOp put(ByteString key, byte[] value) {
        return RequestOp.newBuilder()
                .setRequestPut(PutRequest.newBuilder().setKey(key).setValue(UnsafeByteOperations.unsafeWrap(value)))
                .build();
    }

    /** The key exists and was last written at the expected revision (a missing key has mod revision 0). */
    private static Compare guard(ByteString key, long expectedModRevision) {
        return expectedModRevision > 0
                ? Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.MOD)
                        .setResult(Compare.CompareResult.EQUAL).setModRevision(expectedModRevision).build()
                // no revision matches a missing key: fail into the read of the current value
                : Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.CREATE)
                        .setResult(Compare.CompareResult.LESS).setCreateRevision(0).build();
    }

    private static StoreException mismatch(String key, TxnResponse response) {
        RangeResponse current = response.getResponses(0).getResponseRange();
        if (current.getKvsCount() == 0) return new StoreException.NotFound(key);
        return new StoreException.Conflict(key, toKeyValue(key, current.getKvs(0)));
    }

    private static KeyValue deleted(String key, io.etcd.jetcd.api.KeyValue previous, long revision) {
        return new KeyValue(key, previous.getValue().toByteArray(), previous.getCreateRevision(), revision);
    }

    @Override
    public void compact(long revision) {
        CompactionRequest request = CompactionRequest.newBuilder().setRevision(revision).setPhysical(false).build();
        try {
            call("compact " + revision, () -> kv().compact(request));
            knownCompacted.accumulateAndGet(revision, Math::max);
        } catch (RevisionError e) {
            throw revisionError(e, revision);
        }
    }

    private KVGrpc.KVBlockingStub kv() {
        return kv.withDeadlineAfter(timeoutMillis, TimeUnit.MILLISECONDS);
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
        channel.shutdownNow();
    }

    /**
     * One store watch over a sequence of etcd watch streams: each broken stream is replaced by a
     * new one that starts after the last received revision. Events pass through a queue to a
     * virtual thread of their own, so a slow listener never blocks gRPC's threads (its events
     * wait in memory instead).
     */
    private final class EtcdWatch implements Watch {
        private final String prefix;
        private final ByteString key;
        private final ByteString end;
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
            this.key = p.length == 0 ? PROBE_KEY : ByteString.copyFrom(p);
            this.end = UnsafeByteOperations.unsafeWrap(prefixEnd(p));
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
            next.open(WatchCreateRequest.newBuilder()
                    .setKey(key)
                    .setRangeEnd(end)
                    .setStartRevision(nextRevision)
                    .setPrevKv(true)
                    .build());
            if (stopped.get()) next.stop();
        }

        /** Called on the stream's gRPC thread, in order. */
        void received(Stream from, WatchResponse response) {
            failures = 0;
            long resume = nextRevision;
            long last = resume - 1;
            for (io.etcd.jetcd.api.Event event : response.getEventsList()) {
                long revision = event.getKv().getModRevision();
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
        void broken(Stream from, Throwable error, long compactRevision) {
            if (stopped.get()) return;
            if (compactRevision > 0) {
                knownCompacted.accumulateAndGet(compactRevision, Math::max);
                end(from, new Terminal(nextRevision - 1, compactRevision));
                return;
            }
            int failed = ++failures;
            long delay = Math.min(MAX_RECONNECT_DELAY_MILLIS, 25L << Math.min(failed, 8));
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

        /** Blocks, so it runs on the delivery thread rather than on gRPC's. */
        private long lookUpCompacted(Terminal terminal) {
            try {
                return compactedRevision();
            } catch (RuntimeException unavailable) {
                return terminal.requested() + 1;
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
    }

    /** Compaction ended a watch; {@code compacted} is -1 when etcd did not say the compacted revision. */
    private record Terminal(long requested, long compacted) {}

    /** One etcd watch stream of an {@link EtcdWatch}; once broken or stopped it ignores its callbacks. */
    private final class Stream implements ClientResponseObserver<WatchRequest, WatchResponse> {
        private final EtcdWatch owner;
        private final AtomicBoolean done = new AtomicBoolean();
        private volatile ClientCallStreamObserver<WatchRequest> call;

        Stream(EtcdWatch owner) {
            this.owner = owner;
        }

        void open(WatchCreateRequest create) {
            watchStub.watch(this).onNext(WatchRequest.newBuilder().setCreateRequest(create).build());
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<WatchRequest> call) {
            this.call = call;
        }

        /** Ends this stream at our request. */
        void stop() {
            done.set(true);
            cancel();
        }

        private void cancel() {
            ClientCallStreamObserver<WatchRequest> c = call;
            if (c != null) c.cancel("watch closed", null);
        }

        private void fail(Throwable error, long compactRevision) {
            if (done.compareAndSet(false, true)) {
                cancel();
                owner.broken(this, error, compactRevision);
            }
        }

        @Override
        public void onNext(WatchResponse response) {
            if (done.get()) return;
            if (response.getCanceled()) {
                String reason = response.getCancelReason();
                fail(new IllegalStateException("etcd cancelled the watch: " + reason), response.getCompactRevision());
            } else if (response.getEventsCount() > 0) {
                owner.received(this, response);
            }
        }

        @Override
        public void onError(Throwable error) {
            fail(error, 0);
        }

        @Override
        public void onCompleted() {
            fail(null, 0);
        }
    }

    // ---------------------------------------------------------------- conversions

    /** The store event of a watch event, or null when its required previous value is missing. */
    private static Event toEvent(io.etcd.jetcd.api.Event event) {
        io.etcd.jetcd.api.KeyValue kv = event.getKv();
        String key = kv.getKey().toStringUtf8();
        KeyValue previous = event.hasPrevKv() ? toKeyValue(key, event.getPrevKv()) : null;
        if (event.getType() == io.etcd.jetcd.api.Event.EventType.DELETE) {
            if (previous == null) return null;
            return new Event(Event.Type.DELETE, new KeyValue(key, new byte[0], 0, kv.getModRevision()), previous);
        }
        boolean created = kv.getVersion() == 1;
        if (!created && previous == null) return null;
        return new Event(Event.Type.PUT, toKeyValue(key, kv), created ? null : previous);
    }

    private static KeyValue toKeyValue(String key, io.etcd.jetcd.api.KeyValue kv) {
        return new KeyValue(key, kv.getValue().toByteArray(), kv.getCreateRevision(), kv.getModRevision());
    }

    private static ByteString bytes(String key) {
        return ByteString.copyFromUtf8(key);
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

    private interface Request<T> {
        T send();
    }

    private <T> T call(String what, Request<T> request) {
        if (closed.get()) throw new IllegalStateException("store is closed");
        try {
            return request.send();
        } catch (StatusRuntimeException e) {
            throw translate(e, what);
        }
    }

    private RuntimeException translate(StatusRuntimeException error, String what) {
        Status status = error.getStatus();
        String description = status.getDescription() == null ? "" : status.getDescription();
        if (description.contains(COMPACTED_TEXT)) return new RevisionError(true, error);
        if (description.contains(FUTURE_TEXT)) return new RevisionError(false, error);
        return switch (status.getCode()) {
            case DEADLINE_EXCEEDED -> new StoreException.Unavailable(
                    what + ": etcd did not answer within " + timeoutMillis + " ms", error);
            // etcd's own transient failures (no leader, request timed out, too many requests) and
            // interrupted calls: the caller may retry
            case UNAVAILABLE, RESOURCE_EXHAUSTED, ABORTED, CANCELLED, UNKNOWN, INTERNAL ->
                    new StoreException.Unavailable(what + ": " + status.getCode() + " " + description, error);
            default -> new IllegalStateException(what + ": etcd refused the request: " + status, error);
        };
    }
}
