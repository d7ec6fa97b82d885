package io.kube4j.machinery.informer;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IndexedCacheTest {

    private static Pod pod(String ns, String name, String node) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata()
                .withNewSpec().withNodeName(node).endSpec().build();
    }

    @Test
    void indexesFollowPutsReplacementsAndRemovals() {
        IndexedCache<Pod> cache = new IndexedCache<Pod>()
                .addIndex("node", p -> p.getSpec().getNodeName() == null ? List.of() : List.of(p.getSpec().getNodeName()));
        cache.put(pod("a", "one", "n1"));
        cache.put(pod("a", "two", "n1"));
        cache.put(pod("b", "three", "n2"));
        assertThat(cache.byIndex("node", "n1")).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("one", "two");
        assertThat(cache.list("b")).extracting(p -> p.getMetadata().getName()).containsExactly("three");

        cache.put(pod("a", "two", "n2"));
        assertThat(cache.byIndex("node", "n1")).extracting(p -> p.getMetadata().getName()).containsExactly("one");
        assertThat(cache.byIndex("node", "n2")).hasSize(2);

        assertThat(cache.remove("a/one")).isNotNull();
        assertThat(cache.byIndex("node", "n1")).isEmpty();
        assertThat(cache.get("a", "one")).isEmpty();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void anIndexAddedLaterCoversWhatIsCached() {
        IndexedCache<Pod> cache = new IndexedCache<>();
        cache.put(pod("a", "one", "n1"));
        cache.addIndex("node", p -> List.of(p.getSpec().getNodeName()));
        assertThat(cache.byIndex("node", "n1")).hasSize(1);
        assertThatThrownBy(() -> cache.byIndex("missing", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}
