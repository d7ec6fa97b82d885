package io.kube4j.controller.gc;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kube4j.machinery.client.FakeObjectClient;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.IndexedCache;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CollectorTest {

    static final String DELETED_AT = "2026-01-01T00:00:00Z";

    /** A world of caches and a fake gateway holding the same objects, unless a case says otherwise. */
    static final class World {
        final IndexedCache<Pod> pods = new IndexedCache<Pod>().addIndex(Graph.OWNER_INDEX, Graph::ownerUids);
        final IndexedCache<ReplicaSet> replicaSets = new IndexedCache<ReplicaSet>().addIndex(Graph.OWNER_INDEX, Graph::ownerUids);
        final IndexedCache<Deployment> deployments = new IndexedCache<Deployment>().addIndex(Graph.OWNER_INDEX, Graph::ownerUids);
        final IndexedCache<GenericKubernetesResource> widgets = new IndexedCache<GenericKubernetesResource>()
                .addIndex(Graph.OWNER_INDEX, Graph::ownerUids);
        final FakeObjectClient objects = new FakeObjectClient();
        final FakeCustomObjects custom = new FakeCustomObjects();

        GenericKubernetesResource bothCustom(GenericKubernetesResource object) {
            GenericKubernetesResource stored = custom.seed(object);
            widgets.put(stored);
            return stored;
        }

        /** What the collector did through both clients: the typed one's actions, then the custom one's. */
        List<String> actions() {
            List<String> all = new ArrayList<>(objects.actions());
            all.addAll(custom.actions);
            return all;
        }

        void clearActions() {
            objects.clearActions();
            custom.actions.clear();
        }

        <T extends HasMetadata> T both(IndexedCache<T> cache, T object) {
            T stored = objects.seed(object);
            cache.put(stored);
            return stored;
        }

        Collector collector() {
            Map<ResourceType, Cache<? extends HasMetadata>> caches = new LinkedHashMap<>();
            caches.put(BuiltInTypes.POD, pods);
            caches.put(BuiltInTypes.REPLICA_SET, replicaSets);
            caches.put(BuiltInTypes.DEPLOYMENT, deployments);
            Map<ResourceType, Class<? extends HasMetadata>> classes = GarbageCollectorController.modelClasses(List.copyOf(caches.keySet()));
            caches.put(WIDGET, widgets);
            return new Collector(new Graph(caches), objects, classes::get, custom);
        }
    }

    /** A custom resource type, as a CustomResourceDefinition adds it. */
    static final ResourceType WIDGET = new ResourceType("example.com", "v1", "Widget", "widgets", "widget", true,
            List.of(), List.of(), java.util.Set.of());

    /** {@link CustomObjects} in memory, keyed by namespace and name (one custom type here). */
    static final class FakeCustomObjects implements CustomObjects {
        final Map<String, GenericKubernetesResource> stored = new LinkedHashMap<>();
        final List<String> actions = new ArrayList<>();

        GenericKubernetesResource seed(GenericKubernetesResource object) {
            stored.put(object.getMetadata().getNamespace() + "/" + object.getMetadata().getName(), object);
            return object;
        }

        @Override
        public java.util.Optional<GenericKubernetesResource> get(ResourceType type, String namespace, String name) {
            return java.util.Optional.ofNullable(stored.get(namespace + "/" + name));
        }

        @Override
        public GenericKubernetesResource update(ResourceType type, GenericKubernetesResource object) {
            actions.add("update " + type.kind() + " " + object.getMetadata().getNamespace() + "/" + object.getMetadata().getName());
            return seed(object);
        }

        @Override
        public void delete(ResourceType type, String namespace, String name, String preconditionUid, String propagation) {
            if (stored.remove(namespace + "/" + name) != null) actions.add("delete " + type.kind() + " " + namespace + "/" + name);
        }
    }

    static GenericKubernetesResource widget(String name, String uid, String deletedAt, List<OwnerReference> owners, String... finalizers) {
        GenericKubernetesResource w = new GenericKubernetesResource();
        w.setApiVersion("example.com/v1");
        w.setKind("Widget");
        w.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withNamespace("ns").withName(name).withUid(uid)
                .withResourceVersion("1").withDeletionTimestamp(deletedAt).withOwnerReferences(owners).withFinalizers(finalizers).build());
        return w;
    }

    static OwnerReference widgetOwner(String name, String uid, Boolean block) {
        return new OwnerReferenceBuilder().withApiVersion("example.com/v1").withKind("Widget").withName(name).withUid(uid)
                .withController(true).withBlockOwnerDeletion(block).build();
    }

    static ReplicaSet rs(String name, String uid, String deletedAt, String... finalizers) {
        return new ReplicaSetBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid(uid)
                .withDeletionTimestamp(deletedAt).withFinalizers(finalizers).endMetadata().build();
    }

    static OwnerReference owner(String kind, String name, String uid, Boolean block) {
        return new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind(kind).withName(name).withUid(uid)
                .withController(true).withBlockOwnerDeletion(block).build();
    }

    static Pod pod(String name, String deletedAt, OwnerReference... owners) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid("pod-" + name)
                .withDeletionTimestamp(deletedAt).withOwnerReferences(owners).endMetadata().build();
    }

    record Case(String name, Consumer<World> setup, String key, List<String> actions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("a pod whose owner exists is left", w -> {
            w.both(w.replicaSets, rs("web", "rs-1", null));
            w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", true)));
        }, "pods/ns/a", List.of()));
        cases.add(new Case("a pod whose owner is gone is deleted", w ->
                w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", true))),
                "pods/ns/a", List.of("delete Pod ns/a")));
        cases.add(new Case("an owner of the same name but another uid is not the owner", w -> {
            w.both(w.replicaSets, rs("web", "rs-2", null));
            w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", true)));
        }, "pods/ns/a", List.of("delete Pod ns/a")));
        cases.add(new Case("an owner the cache has not seen yet but the gateway has keeps its dependent", w -> {
            w.objects.seed(rs("web", "rs-1", null));
            w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", true)));
        }, "pods/ns/a", List.of()));
        cases.add(new Case("a pod with one live owner loses only the reference to the gone one", w -> {
            w.both(w.replicaSets, rs("web", "rs-1", null));
            w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", true), owner("ReplicaSet", "old", "rs-0", true)));
        }, "pods/ns/a", List.of("update Pod ns/a")));
        cases.add(new Case("an owner of a kind the collector does not watch counts as present", w ->
                w.both(w.pods, pod("a", null, new OwnerReferenceBuilder().withApiVersion("example.com/v1").withKind("Gadget")
                        .withName("g").withUid("g-1").build())),
                "pods/ns/a", List.of()));
        cases.add(new Case("a pod whose custom resource owner exists is left", w -> {
            w.bothCustom(widget("w", "w-1", null, List.of()));
            w.both(w.pods, pod("a", null, widgetOwner("w", "w-1", true)));
        }, "pods/ns/a", List.of()));
        cases.add(new Case("a pod whose custom resource owner is gone is deleted", w ->
                w.both(w.pods, pod("a", null, widgetOwner("w", "w-1", true))),
                "pods/ns/a", List.of("delete Pod ns/a")));
        cases.add(new Case("a custom resource owner the cache has not seen yet but the gateway has keeps its dependent", w -> {
            w.custom.seed(widget("w", "w-1", null, List.of()));
            w.both(w.pods, pod("a", null, widgetOwner("w", "w-1", true)));
        }, "pods/ns/a", List.of()));
        cases.add(new Case("a custom resource whose owner is gone is deleted", w ->
                w.bothCustom(widget("w", "w-1", null, List.of(owner("ReplicaSet", "web", "rs-1", true)))),
                "widgets.example.com/ns/w", List.of("delete Widget ns/w")));
        cases.add(new Case("a custom resource with one live owner loses only the reference to the gone one", w -> {
            w.both(w.replicaSets, rs("web", "rs-1", null));
            w.bothCustom(widget("w", "w-1", null, List.of(owner("ReplicaSet", "web", "rs-1", true), owner("ReplicaSet", "old", "rs-0", true))));
        }, "widgets.example.com/ns/w", List.of("update Widget ns/w")));
        cases.add(new Case("foreground on a custom resource owner: a blocking dependent is deleted and the owner waits", w -> {
            w.bothCustom(widget("w", "w-1", DELETED_AT, List.of(), "foregroundDeletion"));
            w.both(w.pods, pod("a", null, widgetOwner("w", "w-1", true)));
        }, "widgets.example.com/ns/w", List.of("delete Pod ns/a")));
        cases.add(new Case("foreground on a custom resource owner: without blocking dependents the finalizer goes", w -> {
            w.bothCustom(widget("w", "w-1", DELETED_AT, List.of(), "foregroundDeletion"));
            w.both(w.pods, pod("a", null, widgetOwner("w", "w-1", false)));
        }, "widgets.example.com/ns/w", List.of("delete Pod ns/a", "update Widget ns/w")));
        cases.add(new Case("orphan on a custom resource owner: dependents lose the reference, then the finalizer goes", w -> {
            w.bothCustom(widget("w", "w-1", DELETED_AT, List.of(), "orphan"));
            w.both(w.pods, pod("a", null, widgetOwner("w", "w-1", true)));
        }, "widgets.example.com/ns/w", List.of("update Pod ns/a", "update Widget ns/w")));
        cases.add(new Case("a dependent already being deleted is not deleted again", w ->
                w.both(w.pods, pod("a", DELETED_AT, owner("ReplicaSet", "web", "rs-1", true))),
                "pods/ns/a", List.of()));
        cases.add(new Case("orphan: dependents lose the reference, then the finalizer goes", w -> {
            w.both(w.replicaSets, rs("web", "rs-1", DELETED_AT, "orphan"));
            w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", true)));
        }, "replicasets.apps/ns/web", List.of("update Pod ns/a", "update ReplicaSet ns/web")));
        cases.add(new Case("foreground: a blocking dependent is deleted and the owner waits", w -> {
            w.both(w.replicaSets, rs("web", "rs-1", DELETED_AT, "foregroundDeletion"));
            w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", true)));
        }, "replicasets.apps/ns/web", List.of("delete Pod ns/a")));
        cases.add(new Case("foreground: a dependent still terminating keeps blocking", w -> {
            w.both(w.replicaSets, rs("web", "rs-1", DELETED_AT, "foregroundDeletion"));
            w.both(w.pods, pod("a", DELETED_AT, owner("ReplicaSet", "web", "rs-1", true)));
        }, "replicasets.apps/ns/web", List.of()));
        cases.add(new Case("foreground: non-blocking dependents are deleted and the finalizer goes at once", w -> {
            w.both(w.replicaSets, rs("web", "rs-1", DELETED_AT, "foregroundDeletion"));
            w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", false)));
        }, "replicasets.apps/ns/web", List.of("delete Pod ns/a", "update ReplicaSet ns/web")));
        cases.add(new Case("foreground: with no dependents left the finalizer goes", w ->
                w.both(w.replicaSets, rs("web", "rs-1", DELETED_AT, "foregroundDeletion")),
                "replicasets.apps/ns/web", List.of("update ReplicaSet ns/web")));
        cases.add(new Case("foreground: a dependent with another live owner only loses its reference", w -> {
            w.both(w.replicaSets, rs("web", "rs-1", DELETED_AT, "foregroundDeletion"));
            w.both(w.replicaSets, rs("other", "rs-2", null));
            w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", true), owner("ReplicaSet", "other", "rs-2", false)));
        }, "replicasets.apps/ns/web", List.of("update Pod ns/a")));
        cases.add(new Case("a deleted object's key is nothing to do", w -> { }, "pods/ns/gone", List.of()));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void collects(Case c) {
        World world = new World();
        c.setup().accept(world);
        world.clearActions();
        world.collector().reconcile(c.key());
        assertThat(world.actions()).isEqualTo(c.actions());
    }

    @Test
    void orphanedDependentsKeepTheirOtherOwnersAndTheOwnerLosesOnlyTheOrphanFinalizer() {
        World w = new World();
        w.both(w.replicaSets, rs("web", "rs-1", DELETED_AT, "orphan", "example.com/keep"));
        w.both(w.deployments, new DeploymentBuilder().withNewMetadata().withNamespace("ns").withName("d").withUid("d-1").endMetadata().build());
        w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", true), owner("Deployment", "d", "d-1", false)));
        w.collector().reconcile("replicasets.apps/ns/web");
        Pod a = w.objects.get(Pod.class, "ns", "a").orElseThrow();
        assertThat(a.getMetadata().getOwnerReferences()).extracting(OwnerReference::getUid).containsExactly("d-1");
        assertThat(w.objects.get(ReplicaSet.class, "ns", "web").orElseThrow().getMetadata().getFinalizers()).containsExactly("example.com/keep");
    }

    @Test
    void aChainIsCollectedLinkByLinkAsEachOwnerGoes() {
        World w = new World();
        w.both(w.replicaSets, rs("web", "rs-1", null)).getMetadata();
        w.replicaSets.remove("ns/web");
        ReplicaSet orphanedRs = new ReplicaSetBuilder(rs("web", "rs-1", null)).editMetadata()
                .withOwnerReferences(owner("Deployment", "d", "d-1", true)).endMetadata().build();
        w.objects.delete(ReplicaSet.class, "ns", "web", null, null);
        w.both(w.replicaSets, orphanedRs);
        w.both(w.pods, pod("a", null, owner("ReplicaSet", "web", "rs-1", true)));
        Collector collector = w.collector();

        collector.reconcile("pods/ns/a");
        assertThat(w.objects.list(Pod.class)).hasSize(1);
        collector.reconcile("replicasets.apps/ns/web");
        assertThat(w.objects.list(ReplicaSet.class)).isEmpty();
        w.replicaSets.remove("ns/web");
        collector.reconcile("pods/ns/a");
        assertThat(w.objects.list(Pod.class)).isEmpty();
    }
}
