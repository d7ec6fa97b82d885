package io.kube4j.controller.namespace;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.informer.IndexedCache;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

class NamespaceDeleterTest {

    /** The gateway's content of namespaces, by resource ({@code plural.group}) and namespace; objects with finalizers stay when deleted. */
    static final class FakeContent implements NamespaceContent {
        final Map<String, List<Remaining>> objects = new LinkedHashMap<>();
        final List<String> finalized = new CopyOnWriteArrayList<>();
        String failing;

        void put(String resource, String namespace, String name, String... finalizers) {
            objects.computeIfAbsent(resource + "|" + namespace, k -> new ArrayList<>()).add(new Remaining(name, List.of(finalizers)));
        }

        @Override
        public void deleteAll(ResourceType type, String namespace) {
            String resource = type.plural() + "." + type.group();
            if (resource.equals(failing)) throw new IllegalStateException("the gateway refused");
            List<Remaining> items = objects.get(resource + "|" + namespace);
            if (items != null) items.removeIf(r -> r.finalizers().isEmpty());
        }

        @Override
        public List<Remaining> remaining(ResourceType type, String namespace) {
            return List.copyOf(objects.getOrDefault(type.plural() + "." + type.group() + "|" + namespace, List.of()));
        }

        @Override
        public void finalize(Namespace namespace) {
            finalized.add(namespace.getMetadata().getName() + " " + namespace.getSpec().getFinalizers());
        }
    }

    final IndexedCache<Namespace> namespaces = new IndexedCache<>();
    final IndexedCache<CustomResourceDefinition> definitions = new IndexedCache<>();
    final FakeObjectClient objects = new FakeObjectClient();
    final FakeContent content = new FakeContent();
    final NamespaceDeleter deleter = new NamespaceDeleter(namespaces, definitions, content, objects,
            Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));

    void namespace(String name, boolean deleting, String... finalizers) {
        Namespace ns = new NamespaceBuilder().withNewMetadata().withName(name)
                .withDeletionTimestamp(deleting ? "2026-01-01T00:00:00Z" : null).endMetadata()
                .withNewSpec().withFinalizers(finalizers).endSpec().withNewStatus().withPhase(deleting ? "Terminating" : "Active").endStatus().build();
        namespaces.put(objects.seed(ns));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "an empty terminating namespace is finalized at once | true  | kubernetes     | ''            | team [example.com/other]",
            "content without finalizers goes in the same pass    | true  | kubernetes     | configmaps.   | team [example.com/other]",
            "content held by its own finalizers keeps it         | true  | kubernetes     | configmaps.:f | ''",
            "an active namespace is left alone                   | false | kubernetes     | configmaps.   | ''",
            "a namespace already finalized is left alone         | true  | ''             | configmaps.:f | ''",
    })
    void finalizesOnlyOnceEmpty(String name, boolean deleting, String finalizer, String content, String finalized) {
        List<String> finalizers = new ArrayList<>(finalizer.isEmpty() ? List.of() : List.of(finalizer));
        finalizers.add("example.com/other");
        namespace("team", deleting, finalizers.toArray(String[]::new));
        if (!content.isEmpty()) {
            String[] parts = content.split(":");
            if (parts.length > 1) this.content.put(parts[0], "team", "held", "example.com/hold");
            else this.content.put(parts[0], "team", "plain");
        }
        deleter.reconcile("team");
        assertThat(String.join(";", this.content.finalized)).isEqualTo(finalized);
    }

    @Test
    void reportsWhatRemainsAsKubeWordsItAndLooksAgain() {
        namespace("team", true, "kubernetes");
        content.put("configmaps.", "team", "held", "example.com/hold");
        content.put("deployments.apps", "team", "d1", "foregroundDeletion");
        content.put("deployments.apps", "team", "d2", "example.com/hold");
        Result result = deleter.reconcile("team");

        assertThat(result.requeueAfter()).isNotNull();
        Namespace ns = objects.get(Namespace.class, null, "team").orElseThrow();
        Map<String, String> messages = new LinkedHashMap<>();
        for (NamespaceCondition c : ns.getStatus().getConditions()) messages.put(c.getType(), c.getStatus() + " " + c.getReason() + ": " + c.getMessage());
        assertThat(messages).containsEntry("NamespaceContentRemaining",
                "True SomeResourcesRemain: Some resources are remaining: configmaps. has 1 resource instances, deployments.apps has 2 resource instances");
        assertThat(messages).containsEntry("NamespaceFinalizersRemaining",
                "True SomeFinalizersRemain: Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances, foregroundDeletion in 1 resource instances");
        assertThat(messages).containsEntry("NamespaceDeletionContentFailure",
                "False ContentDeleted: All content successfully deleted, may be waiting on finalization");

        objects.clearActions();
        namespaces.put(ns);
        deleter.reconcile("team");
        assertThat(objects.actions()).as("unchanged conditions are not written again").isEmpty();
    }

    @Test
    void aFailingTypeIsReportedAndHoldsTheNamespace() {
        namespace("team", true, "kubernetes");
        content.failing = "secrets.";
        deleter.reconcile("team");
        assertThat(content.finalized).isEmpty();
        Namespace ns = objects.get(Namespace.class, null, "team").orElseThrow();
        assertThat(ns.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("NamespaceDeletionContentFailure");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getMessage()).contains("secrets.");
        });
    }

    @Test
    void customResourcesOfNamespacedDefinitionsAreDeletedToo() {
        definitions.put(new CustomResourceDefinitionBuilder().withNewMetadata().withName("widgets.example.com").endMetadata()
                .withNewSpec().withGroup("example.com").withScope("Namespaced")
                .withNewNames().withKind("Widget").withPlural("widgets").withSingular("widget").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).endVersion().endSpec().build());
        namespace("team", true, "kubernetes");
        content.put("widgets.example.com", "team", "w1");
        deleter.reconcile("team");
        assertThat(content.objects.get("widgets.example.com|team")).isEmpty();
        assertThat(content.finalized).containsExactly("team []");
        assertThat(NamespaceDeleter.namespacedTypes(definitions.list())).extracting(ResourceType::apiVersion).contains("example.com/v1", "apps/v1", "v1");
    }
}
