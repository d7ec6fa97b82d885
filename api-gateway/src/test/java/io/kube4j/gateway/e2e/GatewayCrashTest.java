package io.kube4j.gateway.e2e;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.store.EtcdStore;
import io.kube4j.store.EtcdStoreProperties;
import io.kube4j.store.Store;
import io.kube4j.testsupport.Directories;
import io.kube4j.testsupport.EtcdProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import tools.jackson.databind.node.ObjectNode;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static io.kube4j.gateway.e2e.ApiHttp.name;
import static io.kube4j.gateway.e2e.ApiHttp.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Crash safety of the gateway on a real etcd: nothing acknowledged is ever lost.
 *
 * <ul>
 *   <li>The gateway, a JVM of its own, is killed with SIGKILL while writers create objects and a
 *       watch streams them; after a restart every create that was answered 201 is in etcd as it
 *       was acknowledged, nothing stored is corrupt, and the watch resumes where it broke.</li>
 *   <li>etcd is killed and restarted under a running gateway: meanwhile requests fail fast with
 *       503 or 504 Status objects, never a 500 or a hang; afterwards they succeed, and an
 *       informer that watched throughout converges to etcd's content.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GatewayCrashTest {

    /** The gateway gives up on etcd after this long; requests must be answered soon after. */
    private static final Duration ETCD_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private Path dir;
    private EtcdProcess etcd;
    private GatewayProcess gateway;
    private ApiHttp api;
    private Store etcdDirect;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("kube4j-crash");
        etcd = EtcdProcess.start(dir.resolve("etcd"));
        gateway = GatewayProcess.start(dir.resolve("gateway"), etcd, Map.of(
                "kube4j.etcd.request-timeout", ETCD_TIMEOUT.toSeconds() + "s",
                "kube4j.compaction.enabled", "false"));
        api = new ApiHttp(gateway.url(), gateway.caPem(), gateway.token());
        etcdDirect = new EtcdStore(EtcdStoreProperties.of(etcd.endpoint()));
    }

    @AfterAll
    void stop() {
        if (etcdDirect != null) etcdDirect.close();
        if (gateway != null) gateway.close();
        if (etcd != null) etcd.close();
        Directories.deleteRecursively(dir);
    }

    private void namespace(String name) {
        ApiHttp.Response created = api.post("/api/v1/namespaces", "{\"metadata\":{\"name\":\"" + name + "\"}}");
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
    }

    /** What a writer puts into each object, to tell a stored object from a corrupt one. */
    private static String payload(String name) {
        return (name + ":").repeat(1 + 1000 / (name.length() + 1));
    }

    /** The outcome of a create the gateway answered 201 to. */
    private record Acknowledged(String uid, long resourceVersion) {}

    @Test
    void everyAcknowledgedCreateSurvivesAKill9OfTheGateway() throws Exception {
        namespace("crash");
        String configMaps = "/api/v1/namespaces/crash/configmaps";
        long from = Long.parseLong(api.get(configMaps).resourceVersion());
        ApiHttp.Watch watch = api.watch(configMaps + "?watch=true&resourceVersion=" + from);

        Map<String, Acknowledged> acknowledged = new ConcurrentHashMap<>();
        Set<String> unknown = ConcurrentHashMap.newKeySet();
        Map<String, Integer> refused = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int writer = w;
            writers.add(Thread.ofVirtual().start(() -> {
                for (int i = 0; !stop.get(); i++) {
                    String name = "w" + writer + "-" + i;
                    try {
                        ApiHttp.Response response = api.post(configMaps, "{\"metadata\":{\"name\":\"" + name
                                + "\"},\"data\":{\"payload\":\"" + payload(name) + "\"}}");
                        if (response.status() == 201) {
                            acknowledged.put(name, new Acknowledged(response.body().path("metadata").path("uid").asString(),
                                    Long.parseLong(response.resourceVersion())));
                        } else {
                            refused.put(name, response.status());
                        }
                    } catch (UncheckedIOException | IllegalStateException lostWithTheGateway) {
                        unknown.add(name);
                    }
                }
            }));
        }
        await().atMost(WAIT).until(() -> acknowledged.size() >= 200);
        gateway.kill();
        stop.set(true);
        for (Thread writer : writers) writer.join(Duration.ofSeconds(60));

        // the stream broke with the gateway: keep what it delivered, then resume after the restart
        List<ObjectNode> delivered = new ArrayList<>();
        for (ObjectNode event; (event = watch.next(WAIT)) != ApiHttp.Watch.END; ) {
            assertThat(event).as("the watch ends when its gateway dies").isNotNull();
            delivered.add(event);
        }
        gateway.restart();

        Map<String, Store.KeyValue> stored = new TreeMap<>();
        String prefix = BuiltInTypes.CONFIG_MAP.keyPrefix("crash");
        for (Store.KeyValue kv : etcdDirect.list(prefix, 0, 0, null).items()) {
            stored.put(kv.key().substring(prefix.length()), kv);
        }
        assertThat(stored.keySet()).as("every acknowledged create is stored").containsAll(acknowledged.keySet());
        assertThat(refused).as("creates refused before the kill").isEmpty();
        for (Map.Entry<String, Store.KeyValue> entry : stored.entrySet()) {
            String name = entry.getKey();
            assertThat(acknowledged.containsKey(name) || unknown.contains(name))
                    .as("%s was created by a writer", name).isTrue();
            ObjectNode object = Json.parseStored(entry.getValue().value());
            assertThat(object.path("metadata").path("name").asString()).isEqualTo(name);
            assertThat(object.path("metadata").path("namespace").asString()).isEqualTo("crash");
            assertThat(object.path("data").path("payload").asString()).isEqualTo(payload(name));
            Acknowledged ack = acknowledged.get(name);
            if (ack != null) {
                assertThat(object.path("metadata").path("uid").asString()).isEqualTo(ack.uid());
                assertThat(entry.getValue().modRevision()).isEqualTo(ack.resourceVersion());
            }
        }
        for (Store.KeyValue kv : etcdDirect.list("/registry/", 0, 0, null).items()) {
            assertThat(Json.parseStored(kv.value()).path("metadata").path("name").asString())
                    .as("%s holds an object", kv.key()).isNotEmpty();
        }

        // the restarted gateway serves all of it, and a watch resumes where the broken one stopped
        ApiHttp.Response list = api.get(configMaps);
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.body().path("items").size()).isEqualTo(stored.size());
        long resumeFrom = delivered.isEmpty() ? from : ApiHttp.resourceVersion(delivered.getLast());
        try (ApiHttp.Watch resumed = api.watch(configMaps + "?watch=true&resourceVersion=" + resumeFrom)) {
            delivered.addAll(resumed.take(stored.size() - delivered.size(), WAIT));
            assertThat(resumed.more(Duration.ofMillis(300))).isEmpty();
        }
        assertThat(delivered).extracting(ApiHttp::resourceVersion).isSorted().doesNotHaveDuplicates();
        assertThat(delivered).allMatch(e -> type(e).equals("ADDED"));
        assertThat(delivered.stream().map(ApiHttp::name).collect(Collectors.toSet())).isEqualTo(stored.keySet());
    }

    private static final String[] AFTER_THE_OUTAGE = {"ADDED after-0", "ADDED after-1", "MODIFIED before-1", "DELETED before-2"};

    @Test
    void anEtcdOutageIsA503Or504AndHealsAfterwards() throws Exception {
        namespace("outage");
        String configMaps = "/api/v1/namespaces/outage/configmaps";
        for (int i = 0; i < 5; i++) {
            assertThat(api.post(configMaps, "{\"metadata\":{\"name\":\"before-" + i + "\"}}").status()).isEqualTo(201);
        }
        long from = Long.parseLong(api.get(configMaps).resourceVersion());
        ApiHttp.Watch resumedDuringOutage = null;
        Config config = new ConfigBuilder()
                .withMasterUrl(gateway.url())
                .withCaCertData(Base64.getEncoder().encodeToString(gateway.caPem()))
                .withOauthToken(gateway.token())
                // this test is about the outage; WatchContractTest and ClientLibrariesTest cover how watches are negotiated
                .withOnlyHttpWatches(true)
                .build();
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
             ApiHttp.Watch watch = api.watch(configMaps + "?watch=true&resourceVersion=" + from)) {
            SharedIndexInformer<ConfigMap> informer = client.configMaps().inNamespace("outage").runnableInformer(0);
            informer.start();
            await().atMost(WAIT).until(() -> informer.hasSynced() && informer.getStore().list().size() == 5);

            etcd.kill();
            Map<String, Supplier<ApiHttp.Response>> requests = new HashMap<>();
            requests.put("get", () -> api.get(configMaps + "/before-0"));
            requests.put("list", () -> api.get(configMaps));
            requests.put("create", () -> api.post(configMaps, "{\"metadata\":{\"name\":\"during\"}}"));
            requests.put("patch", () -> api.mergePatch(configMaps + "/before-1", "{\"data\":{\"a\":\"b\"}}"));
            requests.put("delete", () -> api.delete(configMaps + "/before-2"));
            requests.put("watch without resourceVersion", () -> api.get(configMaps + "?watch=true"));
            Map<String, CompletableFuture<String>> outcomes = new TreeMap<>();
            requests.forEach((what, request) -> outcomes.put(what, CompletableFuture.supplyAsync(() -> {
                long started = System.nanoTime();
                ApiHttp.Response response = request.get();
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                return response.status() + " " + response.body().path("kind").asString()
                        + (millis < ETCD_TIMEOUT.toMillis() + 8000 ? " in time" : " after " + millis + " ms");
            })));
            for (Map.Entry<String, CompletableFuture<String>> outcome : outcomes.entrySet()) {
                assertThat(outcome.getValue().get(60, TimeUnit.SECONDS)).as(outcome.getKey())
                        .isIn("503 Status in time", "504 Status in time");
            }
            // a watch resumed from the watch cache needs no etcd: it is served, and goes on once etcd is back
            resumedDuringOutage = api.watch(configMaps + "?watch=true&resourceVersion=" + from);
            assertThat(resumedDuringOutage.status()).isEqualTo(200);

            etcd.restart();
            await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                    .until(() -> api.post(configMaps, "{\"metadata\":{\"name\":\"after-0\"}}").status() == 201);
            assertThat(api.post(configMaps, "{\"metadata\":{\"name\":\"after-1\"}}").status()).isEqualTo(201);
            assertThat(api.mergePatch(configMaps + "/before-1", "{\"data\":{\"a\":\"b\"}}").status()).isEqualTo(200);
            assertThat(api.delete(configMaps + "/before-2").status()).isEqualTo(200);
            assertThat(api.get(configMaps + "/during").status()).as("a create refused during the outage left nothing").isEqualTo(404);

            // the watch opened before the outage either went on without a gap or ended for its client to re-list
            List<ObjectNode> after = new ArrayList<>();
            while (after.size() < 4) {
                ObjectNode event = watch.next(WAIT);
                assertThat(event).as("after " + ApiHttp.summary(after)).isNotNull();
                if (event == ApiHttp.Watch.END) break;
                if (!type(event).equals("BOOKMARK")) after.add(event);
            }
            if (!watch.ended()) {
                assertThat(after).extracting(e -> type(e) + " " + name(e)).containsExactly(AFTER_THE_OUTAGE);
            }
            assertThat(resumedDuringOutage.take(4, WAIT)).extracting(e -> type(e) + " " + name(e)).containsExactly(AFTER_THE_OUTAGE);

            Map<String, String> inEtcd = new TreeMap<>();
            String prefix = BuiltInTypes.CONFIG_MAP.keyPrefix("outage");
            for (Store.KeyValue kv : etcdDirect.list(prefix, 0, 0, null).items()) {
                inEtcd.put(kv.key().substring(prefix.length()), Long.toString(kv.modRevision()));
            }
            await().atMost(WAIT).untilAsserted(() -> {
                Map<String, String> cached = new TreeMap<>();
                informer.getStore().list().forEach(cm -> cached.put(cm.getMetadata().getName(), cm.getMetadata().getResourceVersion()));
                assertThat(cached).isEqualTo(inEtcd);
            });
            informer.close();
        } finally {
            if (resumedDuringOutage != null) resumedDuringOutage.close();
        }
    }
}
