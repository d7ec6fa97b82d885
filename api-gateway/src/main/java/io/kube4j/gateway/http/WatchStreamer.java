package io.kube4j.gateway.http;

import io.kube4j.gateway.storage.ListOptions;
import io.kube4j.gateway.storage.ListPage;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.gateway.watch.CachedEvent;
import io.kube4j.gateway.watch.WatchCache;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.registry.ResourceType;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Serves {@code ?watch=true}: a stream of {@code {"type":…,"object":…}} lines, one per change, in
 * resourceVersion order, with kube-apiserver's semantics — initial ADDED events when no
 * resourceVersion (or "0") is given, resumption from a given resourceVersion, an ERROR event with
 * a 410 Status when it is too old, BOOKMARK events when asked, {@code timeoutSeconds}, and
 * selector transitions (an object that stops matching is sent as DELETED).
 *
 * <p>A plain watch runs on the request's own (virtual) thread until the watch ends or the client
 * goes away; a watch asked for with {@code Upgrade: websocket} sends the same events as WebSocket
 * messages ({@link WatchSocket}) on a thread of its own once the connection is switched.
 */
public final class WatchStreamer {

    private final ResourceStorage storage;
    private final WatchCache cache;
    private final TablePrinter tables;
    private final long bookmarkIntervalMillis;
    private final long defaultTimeoutSeconds;

    public WatchStreamer(ResourceStorage storage, WatchCache cache, TablePrinter tables, long bookmarkIntervalMillis,
                         long defaultTimeoutSeconds) {
        this.storage = storage;
        this.cache = cache;
        this.tables = tables;
        this.bookmarkIntervalMillis = bookmarkIntervalMillis;
        this.defaultTimeoutSeconds = defaultTimeoutSeconds;
    }

    public void stream(ResourceType served, String namespace, String name, HttpServletRequest request,
                       HttpServletResponse response, MediaTypes.Rendering rendering) throws IOException {
        ResourceType type = io.kube4j.gateway.conversion.VersionConversions.storageType(served);
        // Over WebSocket as kube-apiserver serves it: one message per event. A handshake that
        // cannot succeed is refused before anything is read.
        WatchSocket.Handshake handshake = WatchSocket.handshake(request);
        Selectors.Filter filter = Selectors.filter(type, request.getParameter("labelSelector"), request.getParameter("fieldSelector"));
        Predicate<ObjectNode> matches = name == null ? filter.predicate()
                : filter.predicate().and(o -> name.equals(KubeObject.name(o)));
        String rvParam = request.getParameter("resourceVersion");
        boolean bookmarks = ResourceController.isTrue(request.getParameter("allowWatchBookmarks"));
        String sendInitial = request.getParameter("sendInitialEvents");
        long timeoutSeconds = timeoutSeconds(request.getParameter("timeoutSeconds"));
        long deadline = System.currentTimeMillis() + timeoutSeconds * 1000;

        boolean initialEvents = rvParam == null || rvParam.isEmpty() || rvParam.equals("0")
                || ResourceController.isTrue(sendInitial);
        long from;
        List<ObjectNode> initial = List.of();
        if (initialEvents) {
            if (rvParam != null && !rvParam.isEmpty() && !rvParam.equals("0")) {
                // sendInitialEvents with a resourceVersion: the state at that revision.
                ResourceStorage.parseResourceVersion(rvParam);
            }
            ListPage page = storage.list(type, namespace, new ListOptions(matches, true, 0, null,
                    rvParam == null || rvParam.equals("0") ? null : rvParam));
            initial = page.items();
            from = page.resourceVersion();
        } else {
            from = ResourceStorage.parseResourceVersion(rvParam);
        }

        String prefix = type.keyPrefix(namespace) + (name != null && type.namespaced() == (namespace != null) ? name : "");
        EventSource source = open(prefix, from, name);

        Framing framing = new Framing(served, rendering, tables, request.getParameter("includeObject"));
        Run run = new Run(source, framing, initial, from, deadline, matches, bookmarks, ResourceController.isTrue(sendInitial));
        if (handshake != null) {
            try {
                WatchSocket.upgrade(request, response, handshake, run::pump);
            } catch (IOException | RuntimeException e) {
                source.close();
                throw e;
            }
            return;
        }
        response.setStatus(200);
        response.setContentType(MediaTypes.JSON);
        response.setHeader("Cache-Control", "no-cache, private");
        ServletOutputStream out = response.getOutputStream();
        run.pump(new EventSink() {
            @Override
            public void send(byte[] event) throws IOException {
                out.write(event);
                out.write('\n');
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }
        });
    }

    /**
     * Where a watch's events go: one JSON document per event, lines on a plain HTTP stream or
     * messages on a WebSocket. Written by one thread.
     */
    public interface EventSink {
        void send(byte[] event) throws IOException;

        void flush() throws IOException;
    }

    /** One watch from its first event to its end, over any sink. */
    private final class Run {
        private final EventSource source;
        private final Framing framing;
        private final List<ObjectNode> initial;
        private final long deadline;
        private final Predicate<ObjectNode> matches;
        private final boolean bookmarks;
        private final boolean initialEventsEnd;
        private long from;

        Run(EventSource source, Framing framing, List<ObjectNode> initial, long from, long deadline,
            Predicate<ObjectNode> matches, boolean bookmarks, boolean initialEventsEnd) {
            this.source = source;
            this.framing = framing;
            this.initial = initial;
            this.from = from;
            this.deadline = deadline;
            this.matches = matches;
            this.bookmarks = bookmarks;
            this.initialEventsEnd = initialEventsEnd;
        }

        /** Sends events until the watch times out, its source ends, the sink fails, or the thread is interrupted. */
        void pump(EventSink out) throws IOException {
            try (source) {
                for (ObjectNode object : initial) framing.write(out, "ADDED", object);
                if (initialEventsEnd && bookmarks) {
                    framing.bookmark(out, from, true);
                }
                out.flush();
                if (source.error != null) {
                    framing.error(out, source.error);
                    out.flush();
                    return;
                }
                long nextBookmark = System.currentTimeMillis() + bookmarkIntervalMillis;
                List<CachedEvent> batch = new ArrayList<>();
                while (true) {
                    long now = System.currentTimeMillis();
                    if (now >= deadline) return;
                    long wait = Math.min(deadline - now, bookmarks ? Math.max(1, nextBookmark - now) : 5_000);
                    CachedEvent event;
                    try {
                        event = source.poll(wait);
                    } catch (WatchCache.Ended ended) {
                        return;
                    } catch (StoreException.Compacted compacted) {
                        framing.error(out, ApiException.gone("too old resource version: " + from + " ("
                                + compacted.compactedRevision() + ")"));
                        out.flush();
                        return;
                    }
                    if (event == null) {
                        if (bookmarks && System.currentTimeMillis() >= nextBookmark) {
                            framing.bookmark(out, Math.max(from, cache.revision()), false);
                            out.flush();
                            nextBookmark = System.currentTimeMillis() + bookmarkIntervalMillis;
                        }
                        continue;
                    }
                    batch.clear();
                    batch.add(event);
                    source.drainTo(batch, 256);
                    for (CachedEvent e : batch) {
                        from = Math.max(from, e.revision());
                        writeEvent(out, framing, e, matches);
                    }
                    out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Sends the event as the client's selector sees it: a change that moves an object out of the selection is a DELETED. */
    private static void writeEvent(EventSink out, Framing framing, CachedEvent event,
                                   Predicate<ObjectNode> matches) throws IOException {
        if (event.isDelete()) {
            if (matches.test(event.object())) framing.write(out, "DELETED", event.object());
            return;
        }
        boolean now = matches.test(event.object());
        boolean before = event.previous() != null && matches.test(event.previous());
        if (now && before) framing.write(out, "MODIFIED", event.object());
        else if (now) framing.write(out, "ADDED", event.object());
        else if (before) framing.write(out, "DELETED", event.object());
    }

    private long timeoutSeconds(String param) {
        if (param == null || param.isEmpty()) {
            // Like kube-apiserver: spread long watches between one and two times the minimum.
            return defaultTimeoutSeconds + ThreadLocalRandom.current().nextLong(defaultTimeoutSeconds + 1);
        }
        try {
            long t = Long.parseLong(param);
            return t <= 0 ? defaultTimeoutSeconds : t;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("timeoutSeconds: Invalid value: \"" + param + "\": must be an integer");
        }
    }

    private EventSource open(String prefix, long from, String name) {
        WatchCache.Subscription subscription;
        try {
            subscription = cache.subscribe(prefix, from);
        } catch (StoreException.Compacted e) {
            return new EventSource(null, null, ApiException.gone("too old resource version: " + from + " ("
                    + e.compactedRevision() + ")"));
        }
        if (subscription != null) return new EventSource(subscription, null, null);
        // Older than the cache's window: watch the store directly; it says 410 if compacted.
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Store.Watch watch;
        try {
            watch = storage.store().watch(prefix, from, new Store.WatchListener() {
                @Override
                public void onEvent(Store.Event event) {
                    queue.add(event);
                }

                @Override
                public void onError(StoreException error) {
                    queue.add(error);
                }
            });
        } catch (StoreException.Compacted e) {
            return new EventSource(null, null, ApiException.gone("too old resource version: " + from + " ("
                    + e.compactedRevision() + ")"));
        }
        return new EventSource(null, new DirectWatch(watch, queue), null);
    }

    /** Events from the cache, or from a direct store watch for old revisions. */
    private static final class EventSource implements AutoCloseable {
        final WatchCache.Subscription subscription;
        final DirectWatch direct;
        final ApiException error;

        EventSource(WatchCache.Subscription subscription, DirectWatch direct, ApiException error) {
            this.subscription = subscription;
            this.direct = direct;
            this.error = error;
        }

        CachedEvent poll(long millis) throws InterruptedException, WatchCache.Ended {
            if (subscription != null) return subscription.poll(millis);
            if (direct == null) throw new WatchCache.Ended("no source");
            Object next = direct.queue.poll(millis, TimeUnit.MILLISECONDS);
            if (next instanceof StoreException.Compacted c) throw c;
            if (next instanceof StoreException e) throw new WatchCache.Ended(e.getMessage());
            return next == null ? null : CachedEvent.of((Store.Event) next);
        }

        void drainTo(List<CachedEvent> batch, int max) {
            if (subscription != null) subscription.drainTo(batch, max);
        }

        @Override
        public void close() {
            if (subscription != null) subscription.close();
            if (direct != null) direct.watch.close();
        }
    }

    private record DirectWatch(Store.Watch watch, LinkedBlockingQueue<Object> queue) {}

    /** Writes watch events in the client's rendering: the object itself, or a one-row Table. */
    private static final class Framing {
        private final ResourceType type;
        private final MediaTypes.Rendering rendering;
        private final TablePrinter tables;
        private final String includeObject;
        private boolean headersSent;

        Framing(ResourceType type, MediaTypes.Rendering rendering, TablePrinter tables, String includeObject) {
            this.type = type;
            this.rendering = rendering;
            this.tables = tables;
            this.includeObject = includeObject == null || includeObject.isEmpty() ? "Metadata" : includeObject;
        }

        void write(EventSink out, String eventType, ObjectNode object) throws IOException {
            ObjectNode event = Json.object();
            event.put("type", eventType);
            if (rendering == MediaTypes.Rendering.TABLE) {
                ObjectNode meta = Json.object();
                meta.put("resourceVersion", KubeObject.resourceVersion(object));
                event.set("object", tables.table(io.kube4j.gateway.conversion.VersionConversions.storageType(type),
                        List.of(object), meta, includeObject, !headersSent));
                headersSent = true;
            } else {
                event.set("object", io.kube4j.gateway.conversion.VersionConversions.fromStorage(type, object));
            }
            out.send(Json.write(event));
        }

        void bookmark(EventSink out, long revision, boolean initialEventsEnd) throws IOException {
            ObjectNode object = Json.object();
            object.put("kind", type.kind());
            object.put("apiVersion", type.apiVersion());
            ObjectNode meta = object.putObject("metadata");
            meta.put("resourceVersion", Long.toString(revision));
            if (initialEventsEnd) meta.putObject("annotations").put("k8s.io/initial-events-end", "true");
            ObjectNode event = Json.object();
            event.put("type", "BOOKMARK");
            event.set("object", object);
            out.send(Json.write(event));
        }

        void error(EventSink out, ApiException error) throws IOException {
            ObjectNode event = Json.object();
            event.put("type", "ERROR");
            event.set("object", Json.MAPPER.valueToTree(error.toStatus()));
            out.send(Json.write(event));
        }
    }
}
