package io.kube4j.gateway.e2e;

import io.kube4j.gateway.watch.WatchCache;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static io.kube4j.gateway.e2e.ApiHttp.name;
import static io.kube4j.gateway.e2e.ApiHttp.resourceVersion;
import static io.kube4j.gateway.e2e.ApiHttp.summary;
import static io.kube4j.gateway.e2e.ApiHttp.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The watch contract of DESIGN.md on a real etcd and a real gateway, read as raw line streams:
 * order and exactly-once delivery, initial events, resumption inside and beyond the watch cache's
 * window, 410 after compaction, bookmarks, timeouts, selector transitions, scopes, custom
 * resources, kubectl's Table watch and a thousand watchers.
 *
 * <p>The watch cache keeps only {@value #CACHE_CAPACITY} events here, so that resuming from beyond
 * its window (the direct etcd path) is cheap to reach.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WatchContractTest {

    private static final int CACHE_CAPACITY = 64;
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration QUIET = Duration.ofMillis(500);

    private GatewayCluster cluster;
    private ApiHttp api;

    @BeforeAll
    void start() {
        cluster = GatewayCluster.start(Map.of(
                "kube4j.gateway.watch-cache-capacity", String.valueOf(CACHE_CAPACITY),
                "kube4j.gateway.bookmark-interval", "1s",
                // the test compacts by itself, at revisions it chooses
                "kube4j.compaction.enabled", "false"));
        api = new ApiHttp(cluster.url(), cluster.caPem, cluster.token);
    }

    @AfterAll
    void stop() {
        if (cluster != null) cluster.close();
    }

    // ---------------------------------------------------------------- helpers

    private void namespace(String name) {
        ApiHttp.Response created = api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + name + "\"}}");
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    }

    private static String configMap(String name, String labels, String data) {
        return "{\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + labels + "}},\"data\":{" + data + "}}";
    }

    private static String configMaps(String namespace) {
        return "/api/v1/namespaces/" + namespace + "/configmaps";
    }

    /** Creates a config map and returns its resourceVersion. */
    private long create(String namespace, String name, String labels) {
        ApiHttp.Response created = api.post(configMaps(namespace), configMap(name, labels, ""));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        return Long.parseLong(created.resourceVersion());
    }

    private long patch(String namespace, String name, String mergePatch) {
        ApiHttp.Response patched = api.mergePatch(configMaps(namespace) + "/" + name, mergePatch);
        assertThat(patched.status()).as(patched.body().toString()).isEqualTo(200);
        return Long.parseLong(patched.resourceVersion());
    }

    private void delete(String namespace, String name) {
        ApiHttp.Response deleted = api.delete(configMaps(namespace) + "/" + name);
        assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
    }

    private long listRevision(String path) {
        ApiHttp.Response list = api.get(path);
        assertThat(list.status()).isEqualTo(200);
        return Long.parseLong(list.resourceVersion());
    }

    private static List<String> described(List<ObjectNode> events) {
        return events.stream().map(e -> type(e) + " " + name(e)).toList();
    }

    // ---------------------------------------------------------------- order and exactly once

    /** Writers race on many objects; one watcher sees each acknowledged write once, in revision order. */
    @Test
    void everyWriteArrivesExactlyOnceInResourceVersionOrder() throws Exception {
        namespace("order");
        long from = listRevision(configMaps("order"));
        try (ApiHttp.Watch watch = api.watch(configMaps("order") + "?watch=true&resourceVersion=" + from)) {
            assertThat(watch.status()).isEqualTo(200);
            Map<Long, String> acknowledged = new ConcurrentHashMap<>();
            Set<String> deleted = ConcurrentHashMap.newKeySet();
            int writers = 8;
            int objectsPerWriter = 8;
            try (ExecutorService pool = Executors.newFixedThreadPool(writers)) {
                List<Future<?>> done = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    int writer = w;
                    done.add(pool.submit(() -> {
                        for (int i = 0; i < objectsPerWriter; i++) {
                            String name = "w" + writer + "-" + i;
                            acknowledged.put(create("order", name, ""), "ADDED " + name);
                            acknowledged.put(patch("order", name, "{\"data\":{\"n\":\"1\"}}"), "MODIFIED " + name);
                            if (i % 2 == 0) {
                                delete("order", name);
                                deleted.add("DELETED " + name);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
            }
            List<ObjectNode> events = watch.take(acknowledged.size() + deleted.size(), WAIT);
            List<Long> revisions = events.stream().map(ApiHttp::resourceVersion).toList();
            assertThat(revisions).as("resourceVersions in order, each once").isSorted().doesNotHaveDuplicates();
            Set<String> expected = new TreeSet<>(acknowledged.values());
            expected.addAll(deleted);
            assertThat(described(events)).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
            // the creates and updates carry the revision their writer was told
            for (ObjectNode event : events) {
                if (!type(event).equals("DELETED")) {
                    assertThat(acknowledged.get(resourceVersion(event))).isEqualTo(type(event) + " " + name(event));
                }
            }
            assertThat(watch.more(QUIET)).isEmpty();
        }
    }

    // ---------------------------------------------------------------- initial events

    @ParameterizedTest(name = "resourceVersion \"{0}\"")
    @ValueSource(strings = {"unset", "0"})
    void withoutAResourceVersionAWatchStartsWithWhatExists(String resourceVersion) {
        String ns = "initial-" + (resourceVersion.equals("0") ? "zero" : "unset");
        namespace(ns);
        create(ns, "a", "");
        create(ns, "b", "");
        String query = resourceVersion.equals("unset") ? "" : "&resourceVersion=0";
        try (ApiHttp.Watch watch = api.watch(configMaps(ns) + "?watch=true" + query)) {
            assertThat(described(watch.take(2, WAIT))).containsExactlyInAnyOrder("ADDED a", "ADDED b");
            create(ns, "c", "");
            patch(ns, "a", "{\"data\":{\"x\":\"y\"}}");
            assertThat(described(watch.take(2, WAIT))).containsExactly("ADDED c", "MODIFIED a");
        }
    }

    @Test
    void sendInitialEventsEndsTheInitialEventsWithABookmark() {
        namespace("streaming-list");
        create("streaming-list", "one", "");
        long two = create("streaming-list", "two", "");
        try (ApiHttp.Watch watch = api.watch(configMaps("streaming-list")
                + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true")) {
            List<ObjectNode> initial = new ArrayList<>();
            ObjectNode bookmark = null;
            while (bookmark == null) {
                ObjectNode event = watch.next(WAIT);
                assertThat(event).as("events so far: " + summary(initial)).isNotNull().isNotSameAs(ApiHttp.Watch.END);
                if (type(event).equals("BOOKMARK")) bookmark = event;
                else initial.add(event);
            }
            assertThat(described(initial)).containsExactlyInAnyOrder("ADDED one", "ADDED two");
            assertThat(bookmark.path("object").path("metadata").path("annotations").path("k8s.io/initial-events-end").asString())
                    .isEqualTo("true");
            assertThat(resourceVersion(bookmark)).isGreaterThanOrEqualTo(two);
            create("streaming-list", "three", "");
            assertThat(described(watch.take(1, WAIT))).containsExactly("ADDED three");
        }
    }

    // ---------------------------------------------------------------- resumption

    /**
     * From every resourceVersion of a run of writes, a watch delivers exactly the writes after
     * it — from the watch cache's window, and from etcd once the window has moved past them.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"watch cache", "etcd beyond the cache window"})
    void resumingDeliversExactlyTheEventsAfterTheResourceVersion(String source) {
        String ns = source.startsWith("etcd") ? "resume-etcd" : "resume-cache";
        namespace(ns);
        List<Long> revisions = new ArrayList<>();
        List<String> writes = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            revisions.add(create(ns, "r" + i, ""));
            writes.add("ADDED r" + i);
            revisions.add(patch(ns, "r" + i, "{\"data\":{\"v\":\"" + i + "\"}}"));
            writes.add("MODIFIED r" + i);
        }
        WatchCache cache = cluster.gateway.getBean(WatchCache.class);
        if (source.startsWith("etcd")) {
            namespace("resume-filler");
            for (int i = 0; i < CACHE_CAPACITY + 10; i++) create("resume-filler", "f" + i, "");
            WatchCache.Subscription probe = cache.subscribe("/registry/", revisions.getFirst());
            if (probe != null) probe.close();
            assertThat(probe).as("the window has moved past the writes").isNull();
        }
        for (int i = 0; i < revisions.size(); i++) {
            try (ApiHttp.Watch watch = api.watch(configMaps(ns) + "?watch=true&resourceVersion=" + revisions.get(i))) {
                int expected = revisions.size() - 1 - i;
                List<ObjectNode> events = watch.take(expected, WAIT);
                assertThat(described(events)).isEqualTo(writes.subList(i + 1, writes.size()));
                assertThat(events).extracting(ApiHttp::resourceVersion).isEqualTo(revisions.subList(i + 1, revisions.size()));
                assertThat(watch.more(i == revisions.size() - 1 ? QUIET : Duration.ZERO)).isEmpty();
            }
        }
    }

    @Test
    void afterCompactionAResumeFromBeforeItIsGone() {
        namespace("compacted");
        long first = create("compacted", "c1", "");
        patch("compacted", "c1", "{\"data\":{\"a\":\"b\"}}");
        long last = create("compacted", "c2", "");
        cluster.store().compact(last);

        try (ApiHttp.Watch watch = api.watch(configMaps("compacted") + "?watch=true&resourceVersion=" + first)) {
            assertThat(watch.status()).isEqualTo(200);
            ObjectNode event = watch.next(WAIT);
            assertThat(event).isNotNull();
            assertThat(type(event)).as(event.toString()).isEqualTo("ERROR");
            ObjectNode status = (ObjectNode) event.path("object");
            assertThat(status.path("kind").asString()).isEqualTo("Status");
            assertThat(status.path("code").asInt()).isEqualTo(410);
            assertThat(status.path("reason").asString()).isEqualTo("Expired");
            assertThat(status.path("message").asString()).startsWith("too old resource version: " + first);
            assertThat(watch.next(WAIT)).isSameAs(ApiHttp.Watch.END);
        }

        ApiHttp.Response list = api.get(configMaps("compacted") + "?resourceVersion=" + first + "&resourceVersionMatch=Exact");
        assertThat(list.status()).isEqualTo(410);
        assertThat(list.body().path("kind").asString()).isEqualTo("Status");
        assertThat(list.body().path("message").asString()).startsWith("too old resource version: " + first);

        // the compacted revision itself stays readable and resumable
        try (ApiHttp.Watch watch = api.watch(configMaps("compacted") + "?watch=true&resourceVersion=" + last)) {
            create("compacted", "c3", "");
            assertThat(described(watch.take(1, WAIT))).containsExactly("ADDED c3");
        }
    }

    // ---------------------------------------------------------------- bookmarks and timeouts

    @Test
    void bookmarksCarryTheCurrentResourceVersion() {
        namespace("bookmarks");
        long from = listRevision(configMaps("bookmarks"));
        try (ApiHttp.Watch watch = api.watch(configMaps("bookmarks") + "?watch=true&allowWatchBookmarks=true&resourceVersion=" + from)) {
            namespace("bookmarks-elsewhere");
            long elsewhere = create("bookmarks-elsewhere", "moved", "");
            long deadline = System.nanoTime() + WAIT.toNanos();
            ObjectNode bookmark;
            do {
                bookmark = watch.next(Duration.ofSeconds(5));
                assertThat(bookmark).as("a bookmark within 5 s at a 1 s interval").isNotNull();
                assertThat(type(bookmark)).isEqualTo("BOOKMARK");
                assertThat(System.nanoTime()).isLessThan(deadline);
            } while (resourceVersion(bookmark) < elsewhere);
            assertThat(resourceVersion(bookmark)).isLessThanOrEqualTo(cluster.etcdRevision());
            assertThat(bookmark.path("object").path("kind").asString()).isEqualTo("ConfigMap");
            assertThat(bookmark.path("object").path("apiVersion").asString()).isEqualTo("v1");
        }
    }

    @Test
    void timeoutSecondsEndsTheStreamCleanly() {
        long started = System.nanoTime();
        try (ApiHttp.Watch watch = api.watch(configMaps("default") + "?watch=true&timeoutSeconds=2&resourceVersion="
                + listRevision(configMaps("default")))) {
            assertThat(watch.status()).isEqualTo(200);
            ObjectNode end = watch.next(WAIT);
            assertThat(end).isSameAs(ApiHttp.Watch.END);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofMillis(1500), Duration.ofSeconds(10));
        }
    }

    // ---------------------------------------------------------------- selectors

    @Test
    void aLabelSelectedWatchSeesObjectsEnterAndLeaveTheSelection() {
        namespace("labels");
        long from = listRevision(configMaps("labels"));
        try (ApiHttp.Watch watch = api.watch(configMaps("labels") + "?watch=true&labelSelector=tier%3Dfront&resourceVersion=" + from)) {
            create("labels", "a", "\"tier\":\"front\"");
            create("labels", "b", "\"tier\":\"back\"");
            patch("labels", "b", "{\"metadata\":{\"labels\":{\"tier\":\"front\"}}}");
            patch("labels", "a", "{\"metadata\":{\"labels\":{\"tier\":\"back\"}}}");
            patch("labels", "a", "{\"data\":{\"unseen\":\"1\"}}");
            patch("labels", "b", "{\"data\":{\"seen\":\"1\"}}");
            delete("labels", "a");
            delete("labels", "b");
            List<ObjectNode> events = watch.take(5, WAIT);
            assertThat(described(events)).containsExactly("ADDED a", "ADDED b", "DELETED a", "MODIFIED b", "DELETED b");
            assertThat(watch.more(QUIET)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/api/v1/namespaces/one-name/configmaps?watch=true&fieldSelector=metadata.name%3Dx",
            "/api/v1/watch/namespaces/one-name/configmaps/x?watch=true"})
    void aWatchOnOneNameSeesOnlyThatObject(String path) {
        ApiHttp.Response ns = api.get("/api/v1/namespaces/one-name");
        if (ns.status() == 404) namespace("one-name");
        long from = listRevision(configMaps("one-name"));
        try (ApiHttp.Watch watch = api.watch(path + "&resourceVersion=" + from)) {
            assertThat(watch.status()).isEqualTo(200);
            create("one-name", "x2", "");
            create("one-name", "y", "");
            create("one-name", "x", "");
            patch("one-name", "x2", "{\"data\":{\"a\":\"1\"}}");
            patch("one-name", "x", "{\"data\":{\"a\":\"1\"}}");
            delete("one-name", "x");
            delete("one-name", "x2");
            delete("one-name", "y");
            assertThat(described(watch.take(3, WAIT))).containsExactly("ADDED x", "MODIFIED x", "DELETED x");
            assertThat(watch.more(QUIET)).isEmpty();
        }
    }

    // ---------------------------------------------------------------- scopes and kinds

    @Test
    void namespacedWatchesSeeTheirNamespaceAndAllNamespaceWatchesSeeEvery() {
        namespace("scope");
        namespace("scope-b");
        long from = listRevision("/api/v1/configmaps");
        try (ApiHttp.Watch one = api.watch(configMaps("scope") + "?watch=true&resourceVersion=" + from);
             ApiHttp.Watch all = api.watch("/api/v1/configmaps?watch=true&resourceVersion=" + from)) {
            create("scope", "in-scope", "");
            create("scope-b", "in-b", "");
            create("scope", "in-scope-2", "");
            assertThat(described(one.take(2, WAIT))).containsExactly("ADDED in-scope", "ADDED in-scope-2");
            List<ObjectNode> every = all.take(3, WAIT);
            assertThat(described(every)).containsExactly("ADDED in-scope", "ADDED in-b", "ADDED in-scope-2");
            assertThat(every).extracting(e -> e.path("object").path("metadata").path("namespace").asString())
                    .containsExactly("scope", "scope-b", "scope");
            assertThat(one.more(QUIET)).isEmpty();
        }
    }

    @Test
    void clusterScopedKindsAreWatched() {
        long from = listRevision("/api/v1/namespaces");
        try (ApiHttp.Watch namespaces = api.watch("/api/v1/namespaces?watch=true&resourceVersion=" + from);
             ApiHttp.Watch roles = api.watch("/apis/rbac.authorization.k8s.io/v1/clusterroles?watch=true&resourceVersion=" + from)) {
            namespace("cluster-scoped");
            ApiHttp.Response role = api.post("/apis/rbac.authorization.k8s.io/v1/clusterroles",
                    "{\"metadata\":{\"name\":\"watcher\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"watch\"]}]}");
            assertThat(role.status()).as(role.body().toString()).isEqualTo(201);
            assertThat(described(namespaces.take(1, WAIT))).containsExactly("ADDED cluster-scoped");
            ObjectNode added = roles.take(1, WAIT).getFirst();
            assertThat(described(List.of(added))).containsExactly("ADDED watcher");
            assertThat(added.path("object").path("kind").asString()).isEqualTo("ClusterRole");
            assertThat(added.path("object").path("metadata").has("namespace")).isFalse();
        }
    }

    @Test
    void customResourcesAreWatchedOnceTheirDefinitionExists() {
        ApiHttp.Response crd = api.post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.example.com"},
                 "spec":{"group":"example.com","scope":"Namespaced",
                  "names":{"plural":"widgets","singular":"widget","kind":"Widget","listKind":"WidgetList"},
                  "versions":[{"name":"v1","served":true,"storage":true,
                   "schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object",
                    "properties":{"size":{"type":"integer"}}}}}}}]}}
                """);
        assertThat(crd.status()).as(crd.body().toString()).isEqualTo(201);
        namespace("widgets");
        String widgets = "/apis/example.com/v1/namespaces/widgets/widgets";
        await().atMost(WAIT).until(() -> api.get(widgets).status() == 200);
        long from = listRevision(widgets);
        try (ApiHttp.Watch watch = api.watch(widgets + "?watch=true&resourceVersion=" + from);
             ApiHttp.Watch everywhere = api.watch("/apis/example.com/v1/widgets?watch=true&resourceVersion=" + from)) {
            ApiHttp.Response created = api.post(widgets,
                    "{\"apiVersion\":\"example.com/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"w\"},\"spec\":{\"size\":3}}");
            assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
            ApiHttp.Response patched = api.mergePatch(widgets + "/w", "{\"spec\":{\"size\":4}}");
            assertThat(patched.status()).as(patched.body().toString()).isEqualTo(200);
            List<ObjectNode> events = watch.take(2, WAIT);
            assertThat(described(events)).containsExactly("ADDED w", "MODIFIED w");
            assertThat(events.getLast().path("object").path("kind").asString()).isEqualTo("Widget");
            assertThat(events.getLast().path("object").path("spec").path("size").asInt()).isEqualTo(4);
            assertThat(described(everywhere.take(2, WAIT))).containsExactly("ADDED w", "MODIFIED w");
        }
    }

    // ---------------------------------------------------------------- clients

    /** {@code kubectl get -w} asks for a Table watch and prints a row per change. */
    @Test
    void kubectlGetWatchPrintsRowsAsObjectsChange() throws Exception {
        namespace("kubectl-watch");
        create("kubectl-watch", "first", "");
        Process kubectl = new ProcessBuilder("/usr/bin/kubectl", "--kubeconfig=" + cluster.kubectl.kubeconfig(),
                "get", "configmaps", "-n", "kubectl-watch", "-w")
                .redirectErrorStream(true).start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(kubectl.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) lines.add(line);
            } catch (java.io.IOException ignored) {
                // the process was stopped
            }
        });
        try {
            await().atMost(WAIT).until(() -> lines.stream().anyMatch(l -> l.startsWith("first ")));
            create("kubectl-watch", "second", "");
            patch("kubectl-watch", "second", "{\"data\":{\"a\":\"1\",\"b\":\"2\"}}");
            await().atMost(WAIT).untilAsserted(() -> assertThat(lines)
                    .anyMatch(l -> l.matches("second\\s+0\\s+\\S+"))
                    .anyMatch(l -> l.matches("second\\s+2\\s+\\S+")));
            assertThat(lines.getFirst()).matches("NAME\\s+DATA\\s+AGE");
            assertThat(lines).filteredOn(l -> l.startsWith("NAME")).hasSize(1);
        } finally {
            kubectl.destroy();
            kubectl.waitFor(10, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(10));
        }
    }

    /** A functional check of fan-out: every one of a thousand open watches gets the write. */
    @Test
    void aThousandWatchersAllReceiveAWrite() throws Exception {
        namespace("fanout");
        long from = listRevision(configMaps("fanout"));
        int watchers = 1000;
        List<CompletableFuture<ApiHttp.Watch>> opening = IntStream.range(0, watchers)
                .mapToObj(i -> api.watchAsync(configMaps("fanout") + "?watch=true&resourceVersion=" + from)).toList();
        List<ApiHttp.Watch> watches = Collections.synchronizedList(new ArrayList<>());
        try {
            for (CompletableFuture<ApiHttp.Watch> f : opening) watches.add(f.get(60, TimeUnit.SECONDS));
            assertThat(watches).allMatch(w -> w.status() == 200);
            long written = create("fanout", "to-all", "");
            for (ApiHttp.Watch watch : watches) {
                ObjectNode event = watch.take(1, WAIT).getFirst();
                assertThat(type(event) + " " + name(event) + " " + resourceVersion(event)).isEqualTo("ADDED to-all " + written);
            }
        } finally {
            watches.forEach(ApiHttp.Watch::close);
            opening.forEach(f -> f.thenAccept(ApiHttp.Watch::close));
        }
    }
}
