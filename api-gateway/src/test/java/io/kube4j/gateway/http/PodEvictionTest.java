package io.kube4j.gateway.http;

import io.kube4j.gateway.admission.KindStrategies;
import io.kube4j.gateway.storage.DeleteOptions;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.store.MemoryStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What an eviction leaves in the managedFields of the budget it spends from, as kube-apiserver leaves it. */
class PodEvictionTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    private MemoryStore store;
    private ResourceStorage storage;
    private PodEviction eviction;

    @BeforeEach
    void setUp() {
        store = new MemoryStore();
        storage = new ResourceStorage(store, new KindStrategies(List.of()), CLOCK);
        eviction = new PodEviction(storage, CLOCK);
    }

    private static ObjectNode json(String text) {
        return Json.parseObject(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private void seed(String key, String object) {
        store.create(key, Json.write(json(object)));
    }

    @ParameterizedTest(name = "[{index}] {0}, dry run {1}")
    @CsvSource(delimiter = '|', value = {
            "the first eviction brings the disruptedPods map: kube-apiserver owns it with a '.' | false | "
                    + "'' | {'f:status':{'f:disruptedPods':{'.':{},'f:web-1':{}},'f:disruptionsAllowed':{}}}",
            "a later one adds its pod to the map | false | ,'disruptedPods':{'web-0':'2026-01-01T00:00:00Z'} | "
                    + "{'f:status':{'f:disruptedPods':{'f:web-1':{}},'f:disruptionsAllowed':{}}}",
            "a dry run records nothing | true | '' | -"})
    void theBudgetsStatusWriteIsKubeApiserversUpdate(String name, boolean dryRun, String disrupted, String fieldsV1) {
        seed(BuiltInTypes.POD.key("d", "web-1"), "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web-1',"
                + "'namespace':'d','uid':'p1','labels':{'app':'web'}},'spec':{'containers':[{'name':'c','image':'i'}]},"
                + "'status':{'phase':'Running','conditions':[{'type':'Ready','status':'True'}]}}");
        String budgetKey = BuiltInTypes.POD_DISRUPTION_BUDGET.key("d", "web");
        seed(budgetKey, "{'apiVersion':'policy/v1','kind':'PodDisruptionBudget','metadata':{'name':'web',"
                + "'namespace':'d','uid':'b1','generation':1},'spec':{'minAvailable':1,'selector':{'matchLabels':"
                + "{'app':'web'}}},'status':{'observedGeneration':1,'disruptionsAllowed':1,'currentHealthy':2,"
                + "'desiredHealthy':1,'expectedPods':2" + disrupted + "}}");

        eviction.evict("d", "web-1", new DeleteOptions(null, null, null, null, dryRun));

        JsonNode managed = ResourceStorage.decode(BuiltInTypes.POD_DISRUPTION_BUDGET, store.get(budgetKey).orElseThrow())
                .path("metadata").path("managedFields");
        if (fieldsV1.equals("-")) {
            assertThat(managed.isMissingNode()).as("managedFields of a dry run").isTrue();
            return;
        }
        assertThat(managed).hasSize(1);
        JsonNode entry = managed.get(0);
        assertThat(entry.get("manager").asString()).isEqualTo("kube-apiserver");
        assertThat(entry.get("operation").asString()).isEqualTo("Update");
        assertThat(entry.get("apiVersion").asString()).isEqualTo("policy/v1");
        assertThat(entry.get("subresource").asString()).isEqualTo("status");
        assertThat(entry.get("time").asString()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(entry.get("fieldsV1")).isEqualTo(json(fieldsV1));
    }
}
