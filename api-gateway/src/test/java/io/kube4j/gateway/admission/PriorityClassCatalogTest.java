package io.kube4j.gateway.admission;

import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.store.MemoryStore;
import io.kube4j.store.Store;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.kube4j.gateway.admission.Trees.yaml;
import static org.assertj.core.api.Assertions.assertThat;

/** When the catalog answers from memory, when it reads the store, and how events and reads merge. */
class PriorityClassCatalogTest {

    private final MemoryStore store = new MemoryStore();
    private final PriorityClassCatalog catalog = new PriorityClassCatalog(store);

    private Store.KeyValue put(String name, int value) {
        String key = BuiltInTypes.PRIORITY_CLASS.key(null, name);
        byte[] json = yaml("metadata: {name: " + name + "}\nvalue: " + value).toString().getBytes(StandardCharsets.UTF_8);
        return store.get(key).isPresent() ? store.update(key, json, store.get(key).get().modRevision()) : store.create(key, json);
    }

    private Store.KeyValue remove(String name) {
        String key = BuiltInTypes.PRIORITY_CLASS.key(null, name);
        return store.delete(key, store.get(key).orElseThrow().modRevision());
    }

    private List<String> names() {
        return catalog.all().stream().map(o -> o.at("/metadata/name").stringValue()).sorted().toList();
    }

    private static int value(ObjectNode pc) {
        return pc.get("value").intValue();
    }

    @Test
    void withoutAWatchEveryLookupReadsTheStore() {
        put("a", 1);
        assertThat(names()).containsExactly("a");
        put("b", 2);
        remove("a");
        assertThat(names()).containsExactly("b");
        assertThat(catalog.get("a")).isEmpty();
    }

    @Test
    void whileFollowingMemoryAnswersWhatTheListAndTheEventsSaid() {
        put("a", 1);
        catalog.following();
        assertThat(names()).containsExactly("a");
        // A write the watch has not delivered yet is not in memory; its event brings it.
        Store.KeyValue b = put("b", 2);
        assertThat(names()).containsExactly("a");
        catalog.observed(b);
        assertThat(names()).containsExactly("a", "b");
        Store.KeyValue gone = remove("a");
        catalog.deleted(gone.key(), store.currentRevision());
        assertThat(names()).containsExactly("b");
    }

    @Test
    void aNamedClassMemoryDoesNotHoldIsReadFromTheStoreSoANewOneIsFoundAndAnUnknownOneIsNot() {
        catalog.following();
        assertThat(names()).isEmpty();
        put("fresh", 7);
        assertThat(catalog.get("fresh")).hasValueSatisfying(pc -> assertThat(value(pc)).isEqualTo(7));
        assertThat(names()).containsExactly("fresh");
        assertThat(catalog.get("missing")).isEmpty();
    }

    @Test
    void anOlderValueNeverReplacesANewerOne() {
        Store.KeyValue first = put("a", 1);
        Store.KeyValue second = put("a", 2);
        catalog.following();
        catalog.observed(second);
        catalog.observed(first);
        assertThat(catalog.get("a")).hasValueSatisfying(pc -> assertThat(value(pc)).isEqualTo(2));
    }

    @Test
    void classesDeletedWhileTheWatchWasLostAreGoneOnceItFollowsAgain() {
        put("a", 1);
        put("b", 2);
        catalog.following();
        assertThat(names()).containsExactly("a", "b");
        catalog.lost();
        remove("a");
        // Lost: the store answers, so the deletion no event reported is seen at once.
        assertThat(names()).containsExactly("b");
        catalog.following();
        assertThat(names()).containsExactly("b");
    }

    @Test
    void otherKeysAreIgnored() {
        catalog.following();
        assertThat(names()).isEmpty();
        catalog.observed(new Store.KeyValue("/registry/storageclasses/x", "{\"metadata\":{\"name\":\"x\"}}"
                .getBytes(StandardCharsets.UTF_8), 5, 5));
        assertThat(names()).isEmpty();
    }
}
