package io.kube4j.gateway.watch;

import io.kube4j.store.Store;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class LatestValuesTest {

    private static final String PODS = "/registry/pods/";

    /** A watch event: PUT or DELETE of a key at a revision. */
    record Change(boolean delete, String key, long revision) {
        CachedEvent event() {
            Store.KeyValue kv = new Store.KeyValue(key, delete ? new byte[0] : ("v" + revision).getBytes(), 1, revision);
            Store.KeyValue previous = new Store.KeyValue(key, "old".getBytes(), 1, revision - 1);
            return CachedEvent.of(new Store.Event(delete ? Store.Event.Type.DELETE : Store.Event.Type.PUT, kv, previous));
        }
    }

    static Change put(String key, long revision) {
        return new Change(false, key, revision);
    }

    static Change delete(String key, long revision) {
        return new Change(true, key, revision);
    }

    /** Events in, then per key the mod revision held (0: none). */
    record Case(String name, int capacity, List<Change> changes, String key, long held) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> holdsTheNewestValuePerKey() {
        String a = PODS + "default/a";
        String b = PODS + "default/b";
        String c = PODS + "default/c";
        return Stream.of(
                new Case("newest put", 10, List.of(put(a, 5), put(a, 7)), a, 7),
                new Case("older put ignored", 10, List.of(put(a, 7), put(a, 5)), a, 7),
                new Case("delete forgets", 10, List.of(put(a, 5), delete(a, 6)), a, 0),
                new Case("created again after delete", 10, List.of(put(a, 5), delete(a, 6), put(a, 8)), a, 8),
                new Case("other prefixes ignored", 10, List.of(put("/registry/nodes/a", 5)), "/registry/nodes/a", 0),
                new Case("least recently changed evicted", 2, List.of(put(a, 1), put(b, 2), put(c, 3)), a, 0),
                new Case("a changed key is kept over an older one", 2, List.of(put(a, 1), put(b, 2), put(a, 3), put(c, 4)), a, 3),
                new Case("the older one goes", 2, List.of(put(a, 1), put(b, 2), put(a, 3), put(c, 4)), b, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void holdsTheNewestValuePerKey(Case c) {
        LatestValues values = new LatestValues(PODS, c.capacity());
        c.changes().forEach(change -> values.accept(change.event()));

        assertThat(values.get(c.key()).map(Store.KeyValue::modRevision).orElse(0L)).isEqualTo(c.held());
    }
}
