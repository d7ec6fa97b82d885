package io.kube4j.gateway.storage;

import io.kube4j.gateway.admission.KindStrategies;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.patch.ManagedFields;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import io.kube4j.store.MemoryStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ResourceStorageTest {

    private static final ResourceType CM = BuiltInTypes.CONFIG_MAP;
    private static final ResourceType DEPLOY = BuiltInTypes.DEPLOYMENT;

    private MemoryStore store;
    private ResourceStorage storage;

    @BeforeEach
    void setUp() {
        store = new MemoryStore();
        storage = new ResourceStorage(store, new KindStrategies(List.of()),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC));
        storage.create(BuiltInTypes.NAMESPACE, null, object("{\"metadata\":{\"name\":\"default\"}}"), false);
    }

    private static ObjectNode object(String json) {
        return Json.parseObject(json.getBytes());
    }

    private static ObjectNode configMap(String name) {
        return object("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"a\":\"1\"}}");
    }

    private static ObjectNode deployment(int replicas) {
        return object("{\"metadata\":{\"name\":\"web\"},\"spec\":{\"replicas\":" + replicas
                + "},\"status\":{\"replicas\":7}}");
    }

    @Test
    void createSetsServerOwnedMetadataAndStoresWithoutResourceVersion() {
        ObjectNode created = storage.create(CM, "default", configMap("a"), false);
        ObjectNode meta = KubeObject.metadata(created);
        assertThat(meta.path("uid").asString()).hasSize(36);
        assertThat(meta.path("creationTimestamp").asString()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(meta.path("namespace").asString()).isEqualTo("default");
        assertThat(meta.path("resourceVersion").asString()).isEqualTo(Long.toString(store.currentRevision()));
        assertThat(meta.has("generation")).as("ConfigMaps have no generation").isFalse();
        byte[] stored = store.get(CM.key("default", "a")).orElseThrow().value();
        assertThat(Json.parseStored(stored).path("metadata").has("resourceVersion")).isFalse();
        assertThat(storage.get(CM, "default", "a")).isEqualTo(created);
    }

    @Test
    void createOfAnExistingNameIsAlreadyExistsAndChangesNothing() {
        storage.create(CM, "default", configMap("a"), false);
        long revision = store.currentRevision();
        assertThatThrownBy(() -> storage.create(CM, "default", configMap("a"), false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo("AlreadyExists");
                    assertThat(e.getMessage()).isEqualTo("configmaps \"a\" already exists");
                });
        assertThat(store.currentRevision()).isEqualTo(revision);
    }

    @Test
    void createInAMissingNamespaceIsNotFound() {
        assertThatThrownBy(() -> storage.create(CM, "nope", configMap("a"), false))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getMessage()).isEqualTo("namespaces \"nope\" not found"));
    }

    @Test
    void generateNameGivesAFreshName() {
        ObjectNode created = storage.create(CM, "default",
                object("{\"metadata\":{\"generateName\":\"web-\"},\"data\":{}}"), false);
        assertThat(KubeObject.name(created)).matches("web-[a-z0-9]{5}");
    }

    @Test
    void invalidNameIsUnprocessableWithTheFieldCause() {
        assertThatThrownBy(() -> storage.create(CM, "default", configMap("Not_Valid"), false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(422);
                    assertThat(e.causes()).extracting(c -> c.field()).containsExactly("metadata.name");
                    assertThat(e.getMessage()).startsWith("ConfigMap \"Not_Valid\" is invalid: metadata.name: Invalid value: \"Not_Valid\": a lowercase RFC 1123 subdomain");
                });
    }

    @Test
    void updateWithAStaleResourceVersionIsAConflict() {
        ObjectNode created = storage.create(CM, "default", configMap("a"), false);
        ObjectNode first = created.deepCopy();
        first.withObjectProperty("data").put("a", "2");
        storage.update(CM, "default", "a", first, ResourceStorage.Part.MAIN, false);
        ObjectNode stale = created.deepCopy();
        stale.withObjectProperty("data").put("a", "3");
        assertThatThrownBy(() -> storage.update(CM, "default", "a", stale, ResourceStorage.Part.MAIN, false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(409);
                    assertThat(e.reason()).isEqualTo("Conflict");
                });
        assertThat(storage.get(CM, "default", "a").path("data").path("a").asString()).isEqualTo("2");
    }

    @Test
    void generationMovesOnlyWhenTheSpecChanges() {
        storage.create(BuiltInTypes.NAMESPACE, null, object("{\"metadata\":{\"name\":\"apps\"}}"), false);
        ObjectNode created = storage.create(DEPLOY, "apps", deployment(1), false);
        assertThat(created.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(created.has("status")).as("status is not settable on create").isFalse();

        ObjectNode labelled = created.deepCopy();
        KubeObject.metadata(labelled).putObject("labels").put("tier", "web");
        ObjectNode afterLabel = storage.update(DEPLOY, "apps", "web", labelled, ResourceStorage.Part.MAIN, false);
        assertThat(afterLabel.path("metadata").path("generation").asLong()).isEqualTo(1);

        ObjectNode scaled = afterLabel.deepCopy();
        scaled.withObjectProperty("spec").put("replicas", 3);
        ObjectNode afterScale = storage.update(DEPLOY, "apps", "web", scaled, ResourceStorage.Part.MAIN, false);
        assertThat(afterScale.path("metadata").path("generation").asLong()).isEqualTo(2);
    }

    @Test
    void statusAndMainWritesDoNotTouchEachOther() {
        storage.create(BuiltInTypes.NAMESPACE, null, object("{\"metadata\":{\"name\":\"apps\"}}"), false);
        storage.create(DEPLOY, "apps", deployment(1), false);
        ObjectNode statusWrite = deployment(9);
        statusWrite.withObjectProperty("status").put("replicas", 4);
        ObjectNode afterStatus = storage.update(DEPLOY, "apps", "web", statusWrite, ResourceStorage.Part.STATUS, false);
        assertThat(afterStatus.path("spec").path("replicas").asInt()).as("spec kept").isEqualTo(1);
        assertThat(afterStatus.path("status").path("replicas").asInt()).isEqualTo(4);

        ObjectNode mainWrite = deployment(2);
        ObjectNode afterMain = storage.update(DEPLOY, "apps", "web", mainWrite, ResourceStorage.Part.MAIN, false);
        assertThat(afterMain.path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(afterMain.path("status").path("replicas").asInt()).as("status kept").isEqualTo(4);
    }

    @Test
    void aNoOpUpdateWritesNothing() {
        ObjectNode created = storage.create(CM, "default", configMap("a"), false);
        long revision = store.currentRevision();
        ObjectNode same = storage.update(CM, "default", "a", created.deepCopy(), ResourceStorage.Part.MAIN, false);
        assertThat(store.currentRevision()).isEqualTo(revision);
        assertThat(KubeObject.resourceVersion(same)).isEqualTo(KubeObject.resourceVersion(created));
    }

    @Test
    void aNoOpPatchOfAKindWithAGenerationWritesNothing() {
        storage.create(BuiltInTypes.NAMESPACE, null, object("{\"metadata\":{\"name\":\"apps\"}}"), false);
        ObjectNode created = storage.create(DEPLOY, "apps", deployment(1), false);
        long revision = store.currentRevision();
        // A status change through the main resource is dropped, leaving nothing to write.
        ObjectNode same = storage.mutate(DEPLOY, "apps", "web", current -> {
            current.withObjectProperty("status").put("replicas", 9);
            return current;
        }, ResourceStorage.Part.MAIN, false);
        assertThat(store.currentRevision()).isEqualTo(revision);
        assertThat(KubeObject.resourceVersion(same)).isEqualTo(KubeObject.resourceVersion(created));
    }

    @Test
    void creatingInATerminatingNamespaceIsForbiddenNamingTheObject() {
        storage.create(BuiltInTypes.NAMESPACE, null,
                object("{\"metadata\":{\"name\":\"doomed\"},\"spec\":{\"finalizers\":[\"kubernetes\"]}}"), false);
        storage.delete(BuiltInTypes.NAMESPACE, null, "doomed", DeleteOptions.defaults());
        long revision = store.currentRevision();
        assertThatThrownBy(() -> storage.create(DEPLOY, "doomed", deployment(1), false))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(403);
                    assertThat(e.reason()).isEqualTo("Forbidden");
                    assertThat(e.getMessage()).isEqualTo("deployments.apps \"web\" is forbidden: unable to create new "
                            + "content in namespace doomed because it is being terminated");
                });
        ObjectNode generated = object("{\"metadata\":{\"generateName\":\"cm-\"}}");
        assertThatThrownBy(() -> storage.create(CM, "doomed", generated, false))
                .hasMessage("configmaps is forbidden: unable to create new content in namespace doomed because it is being terminated");
        assertThat(store.currentRevision()).isEqualTo(revision);
    }

    @Test
    void finalizersHoldDeletionUntilTheyAreRemoved() {
        ObjectNode cm = configMap("held");
        KubeObject.metadata(cm).putArray("finalizers").add("example.com/keep");
        storage.create(CM, "default", cm, false);

        DeleteResult result = storage.delete(CM, "default", "held", DeleteOptions.defaults());
        assertThat(result.deleted()).isFalse();
        assertThat(result.object().path("metadata").path("deletionTimestamp").asString()).isEqualTo("2026-01-02T03:04:05Z");
        assertThat(storage.find(CM, "default", "held")).isPresent();

        ObjectNode adding = storage.get(CM, "default", "held");
        KubeObject.metadata(adding).withArrayProperty("finalizers").add("example.com/more");
        assertThatThrownBy(() -> storage.update(CM, "default", "held", adding, ResourceStorage.Part.MAIN, false))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(422));

        ObjectNode released = storage.get(CM, "default", "held");
        KubeObject.metadata(released).remove("finalizers");
        storage.update(CM, "default", "held", released, ResourceStorage.Part.MAIN, false);
        assertThat(storage.find(CM, "default", "held")).isEmpty();
    }

    @Test
    void finalizeRemovesTheNamespaceFinalizerThatAnUpdateKeeps() {
        ResourceStorage namespaces = new ResourceStorage(store,
                new KindStrategies(List.of(new io.kube4j.gateway.admission.NamespaceStrategy())),
                Clock.fixed(Instant.parse("2026-01-02T03:04:05.678Z"), ZoneOffset.UTC));
        namespaces.create(BuiltInTypes.NAMESPACE, null, object("{\"metadata\":{\"name\":\"doomed\"}}"), false);
        namespaces.delete(BuiltInTypes.NAMESPACE, null, "doomed", DeleteOptions.defaults());

        ObjectNode emptied = namespaces.get(BuiltInTypes.NAMESPACE, null, "doomed");
        emptied.withObjectProperty("spec").putArray("finalizers");
        namespaces.update(BuiltInTypes.NAMESPACE, null, "doomed", emptied.deepCopy(), ResourceStorage.Part.MAIN, false);
        assertThat(namespaces.get(BuiltInTypes.NAMESPACE, null, "doomed").path("spec").path("finalizers").get(0).asString())
                .as("an update keeps spec.finalizers").isEqualTo("kubernetes");

        namespaces.mutate(BuiltInTypes.NAMESPACE, null, "doomed", current -> {
            current.withObjectProperty("spec").putArray("finalizers");
            return current;
        }, ResourceStorage.Part.FINALIZE, false);
        assertThat(namespaces.find(BuiltInTypes.NAMESPACE, null, "doomed")).as("finalized and gone").isEmpty();
    }

    @Test
    void foregroundDeletionAddsItsFinalizer() {
        storage.create(CM, "default", configMap("owner"), false);
        DeleteResult result = storage.delete(CM, "default", "owner",
                new DeleteOptions(null, "Foreground", null, null, false));
        assertThat(result.deleted()).isFalse();
        assertThat(KubeObject.finalizers(result.object())).containsExactly("foregroundDeletion");
    }

    @Test
    void aBoundPodIsDeletedGracefullyAndGoesWithGraceZero() {
        storage.create(BuiltInTypes.POD, "default", object(
                "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\",\"terminationGracePeriodSeconds\":30,"
                        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"), false);
        DeleteResult graceful = storage.delete(BuiltInTypes.POD, "default", "p", DeleteOptions.defaults());
        assertThat(graceful.deleted()).isFalse();
        assertThat(graceful.object().path("metadata").path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);
        assertThat(graceful.object().path("metadata").path("deletionTimestamp").asString()).isEqualTo("2026-01-02T03:04:35Z");

        DeleteResult now = storage.delete(BuiltInTypes.POD, "default", "p", new DeleteOptions(0L, null, null, null, false));
        assertThat(now.deleted()).isTrue();
        assertThat(storage.find(BuiltInTypes.POD, "default", "p")).isEmpty();
    }

    @Test
    void deletePreconditionsAreChecked() {
        storage.create(CM, "default", configMap("a"), false);
        assertThatThrownBy(() -> storage.delete(CM, "default", "a", new DeleteOptions(null, null, "other-uid", null, false)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(409));
        assertThat(storage.find(CM, "default", "a")).isPresent();
    }

    @Test
    void dryRunPersistsNothing() {
        long revision = store.currentRevision();
        ObjectNode created = storage.create(CM, "default", configMap("dry"), true);
        assertThat(KubeObject.name(created)).isEqualTo("dry");
        assertThat(store.currentRevision()).isEqualTo(revision);
        assertThat(storage.find(CM, "default", "dry")).isEmpty();
    }

    @Test
    void paginatedListsAreConsistentAtTheFirstPagesRevision() {
        for (int i = 0; i < 7; i++) storage.create(CM, "default", configMap("cm-" + i), false);
        ListPage first = storage.list(CM, "default", new ListOptions(o -> true, false, 3, null, null));
        assertThat(first.items()).extracting(KubeObject::name).containsExactly("cm-0", "cm-1", "cm-2");
        assertThat(first.remaining()).isEqualTo(4);
        storage.create(CM, "default", configMap("cm-9"), false);

        List<String> rest = new ArrayList<>();
        String token = first.continueToken();
        while (token != null) {
            ListPage page = storage.list(CM, "default", new ListOptions(o -> true, false, 3, token, null));
            assertThat(page.resourceVersion()).isEqualTo(first.resourceVersion());
            page.items().forEach(o -> rest.add(KubeObject.name(o)));
            token = page.continueToken();
        }
        assertThat(rest).as("the object created after the first page is not in this list")
                .containsExactly("cm-3", "cm-4", "cm-5", "cm-6");
    }

    @Test
    void filteredListsFillTheirPages() {
        for (int i = 0; i < 10; i++) {
            ObjectNode cm = configMap("cm-" + i);
            KubeObject.metadata(cm).putObject("labels").put("parity", i % 2 == 0 ? "even" : "odd");
            storage.create(CM, "default", cm, false);
        }
        ListPage page = storage.list(CM, "default", new ListOptions(
                o -> "odd".equals(KubeObject.labels(o).get("parity")), true, 2, null, null));
        assertThat(page.items()).extracting(KubeObject::name).containsExactly("cm-1", "cm-3");
        assertThat(page.continueToken()).isNotNull();
        assertThat(page.remaining()).isNull();
    }

    @Test
    void aMalformedContinueTokenIsABadRequest() {
        assertThatThrownBy(() -> storage.list(CM, "default", new ListOptions(o -> true, false, 3, "garbage!", null)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(400));
    }

    @Test
    void aFinalizeIsItsWritersUpdateWithSubresourceFinalize() {
        ManagedFields.Manager creator = new ManagedFields.Manager("kubectl-create", "v1", "");
        ManagedFields.Manager finalizer = new ManagedFields.Manager("kube-controller-manager", "v1", "finalize");
        storage.create(BuiltInTypes.NAMESPACE, null, object("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                + "\"metadata\":{\"name\":\"dev\"},\"spec\":{\"finalizers\":[\"example.com/a\"]}}"), false, creator);

        ObjectNode added = storage.mutate(BuiltInTypes.NAMESPACE, null, "dev", current -> {
            ObjectNode next = current.deepCopy();
            next.withObjectProperty("spec").putArray("finalizers").add("example.com/a").add("example.com/b");
            return next;
        }, ResourceStorage.Part.FINALIZE, false, finalizer);
        // Same time, so ordered by manager: kube-controller-manager first. A namespace's finalizers are an atomic
        // list: the writer takes the whole of it.
        assertThat(added.at("/metadata/managedFields/0/subresource").asString()).isEqualTo("finalize");
        assertThat(added.at("/metadata/managedFields/0/fieldsV1")).isEqualTo(
                object("{\"f:spec\":{\"f:finalizers\":{}}}"));

        // Taking every finalizer away gives the finalizer nothing and takes them from their owners.
        ObjectNode emptied = storage.mutate(BuiltInTypes.NAMESPACE, null, "dev", current -> {
            ObjectNode next = current.deepCopy();
            next.withObjectProperty("spec").remove("finalizers");
            return next;
        }, ResourceStorage.Part.FINALIZE, false, finalizer);
        assertThat(emptied.at("/metadata/managedFields").isMissingNode()).as(emptied.toString()).isTrue();
    }
}
