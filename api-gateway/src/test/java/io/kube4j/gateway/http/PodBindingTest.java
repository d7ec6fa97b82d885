package io.kube4j.gateway.http;

import io.kube4j.gateway.admission.KindStrategies;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.store.MemoryStore;
import io.kube4j.store.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class PodBindingTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
    private static final String KEY = BuiltInTypes.POD.key("default", "p");

    private MemoryStore store;
    private ResourceStorage storage;
    /** What the watch cache would answer: set per test to a current, stale or absent copy. */
    private final Map<String, Store.KeyValue> cached = new HashMap<>();
    private PodBinding binding;

    @BeforeEach
    void setUp() {
        store = new MemoryStore();
        storage = new ResourceStorage(store, new KindStrategies(List.of()), CLOCK);
        binding = new PodBinding(storage, key -> Optional.ofNullable(cached.get(key)), CLOCK);
    }

    private static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static String pod(String name, String uid, String nodeName, boolean deleting) {
        return "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "','namespace':'default','uid':'" + uid + "'"
                + (deleting ? ",'deletionTimestamp':'2026-01-01T00:00:00Z','finalizers':['x']" : "")
                + ",'annotations':{'keep':'me'}},'spec':{'containers':[{'name':'c','image':'i'}]"
                + (nodeName.isEmpty() ? "" : ",'nodeName':'" + nodeName + "'")
                + "},'status':{'phase':'Pending','conditions':[{'type':'PodScheduled','status':'False','reason':'Unschedulable'}]}}";
    }

    private Store.KeyValue seed(String podJson) {
        return store.create(KEY, Json.write(json(podJson)));
    }

    private ObjectNode stored() {
        return ResourceStorage.decode(BuiltInTypes.POD, store.get(KEY).orElseThrow());
    }

    /** Where the pod stands before the binding, and what the watch cache holds of it. */
    enum Start { UNBOUND, UNBOUND_CACHED, BOUND, BOUND_STALE_CACHE_UNBOUND, DELETING, MISSING, MISSING_CACHED }

    record Case(String name, Start start, String body, int code, String reason, String message) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> refusals() {
        String ok = "{'metadata':{'name':'p'},'target':{'kind':'Node','name':'n1'}}";
        return Stream.of(
                new Case("already bound", Start.BOUND, ok, 409, "Conflict",
                        "Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"n0\""),
                new Case("bound, cache still unbound", Start.BOUND_STALE_CACHE_UNBOUND, ok, 409, "Conflict",
                        "Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"n0\""),
                new Case("being deleted", Start.DELETING, ok, 409, "Conflict",
                        "Operation cannot be fulfilled on pods/binding \"p\": pod p is being deleted, cannot be assigned to a host"),
                new Case("missing pod", Start.MISSING, ok, 404, "NotFound", "pods \"p\" not found"),
                new Case("deleted since cached", Start.MISSING_CACHED, ok, 404, "NotFound", "pods \"p\" not found"),
                new Case("uid precondition", Start.UNBOUND_CACHED,
                        "{'metadata':{'name':'p','uid':'other'},'target':{'name':'n1'}}", 409, "Conflict",
                        "Operation cannot be fulfilled on pods \"p\": Precondition failed: UID in precondition: other, UID in object meta: u1"),
                new Case("no target name", Start.UNBOUND, "{'metadata':{'name':'p'},'target':{'kind':'Node'}}", 422, "Invalid",
                        "Binding \"p\" is invalid: target.name: Required value"),
                new Case("target not a node", Start.UNBOUND, "{'metadata':{'name':'p'},'target':{'kind':'Pod','name':'n1'}}",
                        422, "Invalid", "Binding \"p\" is invalid: target.kind: Unsupported value: \"Pod\": supported values: \"Node\", \"<empty>\""),
                new Case("name differs from URL", Start.UNBOUND, "{'metadata':{'name':'q'},'target':{'name':'n1'}}", 400, "BadRequest",
                        "the name of the object (q) does not match the name on the URL (p)"));
    }

    private void prepare(Start start) {
        switch (start) {
            case UNBOUND -> seed(pod("p", "u1", "", false));
            case UNBOUND_CACHED -> cached.put(KEY, seed(pod("p", "u1", "", false)));
            case BOUND -> cached.put(KEY, seed(pod("p", "u1", "n0", false)));
            case BOUND_STALE_CACHE_UNBOUND -> {
                Store.KeyValue unbound = seed(pod("p", "u1", "", false));
                cached.put(KEY, unbound);
                store.update(KEY, Json.write(json(pod("p", "u1", "n0", false))), unbound.modRevision());
            }
            case DELETING -> seed(pod("p", "u1", "", true));
            case MISSING -> { }
            case MISSING_CACHED -> {
                Store.KeyValue gone = seed(pod("p", "u1", "", false));
                cached.put(KEY, gone);
                store.delete(KEY, gone.modRevision());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void refusesAsKubeApiserverDoesAndChangesNothing(Case c) {
        prepare(c.start());
        long revision = store.currentRevision();

        ApiException refused = catchThrowableOfType(ApiException.class,
                () -> binding.bind("default", "p", json(c.body()), false));

        assertThat(refused).as("refused").isNotNull();
        assertThat(refused.code()).isEqualTo(c.code());
        assertThat(refused.reason()).isEqualTo(c.reason());
        assertThat(refused.getMessage()).isEqualTo(c.message());
        assertThat(store.currentRevision()).as("nothing written").isEqualTo(revision);
    }

    /** Where the binding finds its pod: only in etcd, current in the cache, or stale in the cache. */
    enum Source { STORE, CACHE, STALE_CACHE, STALE_CACHE_OF_EARLIER_POD }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void bindsWhereverThePodIsRead(Source source) {
        Store.KeyValue seeded = seed(pod("p", "u1", "", false));
        switch (source) {
            case STORE -> { }
            case CACHE -> cached.put(KEY, seeded);
            case STALE_CACHE -> {
                cached.put(KEY, seeded);
                ObjectNode labelled = json(pod("p", "u1", "", false));
                KubeObject.metadata(labelled).putObject("labels").put("app", "web");
                store.update(KEY, Json.write(labelled), seeded.modRevision());
            }
            case STALE_CACHE_OF_EARLIER_POD -> {
                // A pod of the same name that was bound, deleted and created again unbound.
                store.delete(KEY, seeded.modRevision());
                cached.put(KEY, store.create(KEY, Json.write(json(pod("p", "u0", "n0", false)))));
                store.delete(KEY, store.get(KEY).orElseThrow().modRevision());
                seed(pod("p", "u1", "", false));
            }
        }

        ObjectNode returned = binding.bind("default", "p",
                json("{'metadata':{'name':'p','annotations':{'scheduler':'s1'}},'target':{'kind':'Node','name':'n1'}}"), false);

        ObjectNode pod = stored();
        assertThat(pod.path("spec").path("nodeName").asString()).isEqualTo("n1");
        assertThat(KubeObject.uid(pod)).isEqualTo("u1");
        assertThat(pod.path("metadata").path("annotations").path("keep").asString()).isEqualTo("me");
        assertThat(pod.path("metadata").path("annotations").path("scheduler").asString()).isEqualTo("s1");
        JsonNode conditions = pod.path("status").path("conditions");
        assertThat(conditions).hasSize(1);
        assertThat(conditions.get(0).path("type").asString()).isEqualTo("PodScheduled");
        assertThat(conditions.get(0).path("status").asString()).isEqualTo("True");
        assertThat(conditions.get(0).path("lastTransitionTime").asString()).isEqualTo("2026-01-02T03:04:05Z");
        if (source == Source.STALE_CACHE) {
            assertThat(pod.path("metadata").path("labels").path("app").asString()).as("update kept").isEqualTo("web");
        }
        assertThat(KubeObject.resourceVersion(returned)).isEqualTo(Long.toString(store.currentRevision()));
    }

    static Stream<Source> bindsWhereverThePodIsRead() {
        return Stream.of(Source.values());
    }

    /** kube-apiserver binds through its storage, past field management: the binding is no one's in managedFields. */
    @Test
    void theBindingRecordsNoManager() {
        String managed = "[{'manager':'kubectl-run','operation':'Update','apiVersion':'v1','time':'2026-01-01T00:00:00Z',"
                + "'fieldsType':'FieldsV1','fieldsV1':{'f:spec':{'f:containers':{}}}}]";
        ObjectNode pod = json(pod("p", "u1", "", false));
        ((ObjectNode) pod.get("metadata")).set("managedFields", json("{'m':" + managed + "}").get("m"));
        seed(pod.toString().replace('"', '\''));

        binding.bind("default", "p", json("{'target':{'name':'n1'}}"), false);

        assertThat(stored().path("spec").path("nodeName").asString()).isEqualTo("n1");
        assertThat(stored().path("metadata").get("managedFields")).isEqualTo(json("{'m':" + managed + "}").get("m"));
    }

    @Test
    void dryRunWritesNothing() {
        cached.put(KEY, seed(pod("p", "u1", "", false)));
        long revision = store.currentRevision();

        ObjectNode returned = binding.bind("default", "p", json("{'target':{'name':'n1'}}"), true);

        assertThat(returned.path("spec").path("nodeName").asString()).isEqualTo("n1");
        assertThat(store.currentRevision()).isEqualTo(revision);
        assertThat(stored().path("spec").has("nodeName")).isFalse();
    }

    @Test
    void bindingsRacingPodUpdatesNeitherLoseAnUpdateNorBindTwice() throws Exception {
        int pods = 40;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            String key = BuiltInTypes.POD.key("default", "p" + i);
            // Every binding starts from the copy taken before the updates: always stale once they land.
            cached.put(key, store.create(key, Json.write(json(pod("p" + i, "u" + i, "", false)))));
            keys.add(key);
        }
        Map<String, Store.KeyValue> snapshot = Map.copyOf(cached);
        PodBinding racing = new PodBinding(storage, key -> Optional.ofNullable(snapshot.get(key)), CLOCK);
        AtomicInteger bound = new AtomicInteger();
        AtomicInteger alreadyAssigned = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(6)) {
            for (int i = 0; i < pods; i++) {
                String name = "p" + i;
                for (String node : List.of("a", "b")) {
                    work.add(threads.submit(() -> {
                        go.await();
                        try {
                            racing.bind("default", name, json("{'target':{'name':'" + node + "'}}"), false);
                            bound.incrementAndGet();
                        } catch (ApiException e) {
                            assertThat(e.getMessage()).contains("is already assigned to node");
                            alreadyAssigned.incrementAndGet();
                        }
                        return null;
                    }));
                }
                for (int round = 0; round < 3; round++) {
                    String label = "l" + round;
                    work.add(threads.submit(() -> {
                        go.await();
                        storage.mutate(BuiltInTypes.POD, "default", name, current -> {
                            KubeObject.metadata(current).withObjectProperty("labels").put(label, "set");
                            return current;
                        }, ResourceStorage.Part.MAIN, false);
                        return null;
                    }));
                }
            }
            go.countDown();
            for (Future<?> f : work) f.get();
        }

        assertThat(bound.get()).as("one binding per pod").isEqualTo(pods);
        assertThat(alreadyAssigned.get()).isEqualTo(pods);
        for (String key : keys) {
            ObjectNode pod = ResourceStorage.decode(BuiltInTypes.POD, store.get(key).orElseThrow());
            assertThat(pod.path("spec").path("nodeName").asString()).isIn("a", "b");
            assertThat(pod.path("metadata").path("labels").propertyNames()).containsExactlyInAnyOrder("l0", "l1", "l2");
            assertThat(pod.path("status").path("conditions").get(0).path("status").asString()).isEqualTo("True");
        }
    }
}
