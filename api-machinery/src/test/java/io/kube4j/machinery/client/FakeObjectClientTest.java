package io.kube4j.machinery.client;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeObjectClientTest {

    private final FakeObjectClient client = new FakeObjectClient();

    private static ConfigMap map(String name) {
        return new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName(name).endMetadata().addToData("k", "v").build();
    }

    @Test
    void guardsLikeTheGateway() {
        ConfigMap created = client.create(map("a"));
        assertThat(created.getMetadata().getUid()).isNotBlank();
        assertThat(created.getMetadata().getResourceVersion()).isNotBlank();
        assertThatThrownBy(() -> client.create(map("a"))).satisfies(e -> assertThat(ObjectClient.isConflict(e)).isTrue());

        created.getData().put("k", "w");
        ConfigMap updated = client.update(created);
        assertThat(updated.getMetadata().getResourceVersion()).isNotEqualTo(created.getMetadata().getResourceVersion());
        assertThatThrownBy(() -> client.update(created)).as("stale resourceVersion")
                .satisfies(e -> assertThat(ObjectClient.isConflict(e)).isTrue());

        assertThatThrownBy(() -> client.delete(ConfigMap.class, "default", "a", "other-uid", null))
                .satisfies(e -> assertThat(ObjectClient.isConflict(e)).isTrue());
        assertThat(client.delete(ConfigMap.class, "default", "a", created.getMetadata().getUid(), "Background")).isTrue();
        assertThat(client.get(ConfigMap.class, "default", "a")).isEmpty();
        assertThat(client.delete(ConfigMap.class, "default", "a", null, null)).as("already gone").isFalse();
        assertThatThrownBy(() -> client.update(updated)).satisfies(e -> assertThat(ObjectClient.isNotFound(e)).isTrue());
        assertThat(client.actions()).containsExactly("create ConfigMap default/a", "update ConfigMap default/a", "delete ConfigMap default/a");
    }

    @Test
    void generatesNamesAndHandsOutCopies() {
        ConfigMap template = new ConfigMapBuilder().withNewMetadata().withNamespace("default").withGenerateName("web-").endMetadata().build();
        ConfigMap first = client.create(template);
        ConfigMap second = client.create(template);
        assertThat(first.getMetadata().getName()).startsWith("web-").isNotEqualTo(second.getMetadata().getName());
        first.getMetadata().setName("changed");
        assertThat(client.list(ConfigMap.class)).extracting(c -> c.getMetadata().getName()).doesNotContain("changed").hasSize(2);
    }
}
