package io.kube4j.gateway.storage;

import io.kube4j.gateway.admission.AdmissionContext;
import io.kube4j.gateway.admission.KindStrategies;
import io.kube4j.gateway.admission.KindStrategy;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.patch.KubernetesPatchMeta;
import io.kube4j.machinery.patch.ManagedFields;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * Objects of every kind in the store, with Kubernetes' generic semantics: the equivalent of
 * kube-apiserver's generic registry. It owns what is common to every kind — metadata rules
 * (uid, creationTimestamp, generation, generateName, resourceVersion preconditions), namespace
 * existence, the split between an object and its status subresource, finalizers and graceful
 * deletion — and calls each kind's {@link KindStrategy} for the rest.
 *
 * <p>Every method is thread-safe and blocking. Failures a client caused are
 * {@link ApiException}s with Kubernetes' codes and messages; a refused request changes nothing.
 * Objects returned are fresh trees the caller may change.
 */
public final class ResourceStorage {

    /** How often a read-modify-write is retried when another writer got there first. */
    private static final int MAX_CONFLICT_RETRIES = 16;

    /** Kinds whose objects carry metadata.generation (those kube-apiserver gives one); custom resources do too. */
    private static final Set<String> GENERATION_KINDS = Set.of("apps/Deployment", "apps/ReplicaSet",
            "apps/StatefulSet", "apps/DaemonSet", "batch/Job", "batch/CronJob", "/ReplicationController",
            "networking.k8s.io/NetworkPolicy", "networking.k8s.io/Ingress", "policy/PodDisruptionBudget",
            "apiextensions.k8s.io/CustomResourceDefinition", "autoscaling/HorizontalPodAutoscaler");

    /** Kinds whose status, unlike others with a status subresource, may be set on create. */
    private static final Set<String> STATUS_KEPT_ON_CREATE = Set.of("/Node");

    /** Kinds a PUT may create when absent (kube-apiserver's AllowCreateOnUpdate). */
    private static final Set<String> CREATE_ON_UPDATE = Set.of("/Endpoints", "/Event",
            "coordination.k8s.io/Lease", "discovery.k8s.io/EndpointSlice", "apps/ControllerRevision");

    private static final String NAME_CHARS = "bcdfghjklmnpqrstvwxz2456789";

    private final Store store;
    private final KindStrategies strategies;
    private final Clock clock;
    /**
     * Names and uids: a DRBG, seeded from the system, draws without a system call per value (the
     * platform default reads /dev/urandom under a lock for each one).
     */
    private final SecureRandom random = drbg();
    private final NamespaceLifecycle namespaces;

    public ResourceStorage(Store store, KindStrategies strategies, Clock clock) {
        this.store = store;
        this.strategies = strategies;
        this.clock = clock;
        this.namespaces = new NamespaceLifecycle(name -> find(BuiltInTypes.NAMESPACE, null, name));
    }

    /** What this storage knows of namespaces; the watch cache keeps it current. */
    public NamespaceLifecycle namespaces() {
        return namespaces;
    }

    public Store store() {
        return store;
    }

    // ---------------------------------------------------------------- reads

    /** The stored object as a client sees it: its JSON with resourceVersion set to its mod revision. */
    public static ObjectNode decode(ResourceType type, Store.KeyValue kv) {
        ObjectNode object = Json.parseStored(kv.value());
        KubeObject.setResourceVersion(object, kv.modRevision());
        if (!type.apiVersion().equals(KubeObject.text(object, "apiVersion"))) {
            // One stored form serves every version of a custom resource (no conversion webhook).
            object.put("apiVersion", type.apiVersion());
        }
        return object;
    }

    public Optional<ObjectNode> find(ResourceType type, String namespace, String name) {
        return storeCall(() -> store.get(type.key(namespace, name))).map(kv -> decode(type, kv));
    }

    public ObjectNode get(ResourceType type, String namespace, String name) {
        return find(type, namespace, name).orElseThrow(() -> ApiException.notFound(type.group(), type.plural(), name));
    }

    public ListPage list(ResourceType type, String namespace, ListOptions options) {
        String prefix = type.keyPrefix(namespace);
        long revision = 0;
        String start = prefix;
        if (options.continueToken() != null && !options.continueToken().isEmpty()) {
            ContinueToken token = ContinueToken.decode(options.continueToken(), prefix);
            revision = token.revision();
            start = token.startKey();
        } else if (options.resourceVersion() != null && !options.resourceVersion().isEmpty()
                && !options.resourceVersion().equals("0")) {
            revision = parseResourceVersion(options.resourceVersion());
        }
        long limit = options.limit();
        long pageSize = limit <= 0 ? 0 : Math.max(limit, options.filtered() ? 500 : limit);
        List<ObjectNode> items = new ArrayList<>();
        long readAt = revision;
        while (true) {
            Store.ListResult page = readList(prefix, readAt, pageSize, start, options);
            readAt = page.revision();
            List<Store.KeyValue> kvs = page.items();
            for (int i = 0; i < kvs.size(); i++) {
                Store.KeyValue kv = kvs.get(i);
                ObjectNode object = decode(type, kv);
                if (!options.filter().test(object)) continue;
                items.add(object);
                if (limit > 0 && items.size() >= limit) {
                    boolean more = i < kvs.size() - 1 || page.more();
                    if (!more) return new ListPage(items, readAt, null, null);
                    String next = kv.key() + "\0";
                    Long remaining = options.filtered() ? null : page.remaining() + (kvs.size() - 1 - i);
                    return new ListPage(items, readAt, new ContinueToken(readAt, next).encode(), remaining);
                }
            }
            if (!page.more() || kvs.isEmpty()) return new ListPage(items, readAt, null, null);
            start = kvs.getLast().key() + "\0";
        }
    }

    private Store.ListResult readList(String prefix, long revision, long limit, String start, ListOptions options) {
        try {
            return store.list(prefix, revision, limit, start);
        } catch (StoreException.Compacted e) {
            if (options.continueToken() != null) {
                throw new ApiException(410, "Expired", "The provided continue parameter is too old to display a "
                        + "consistent list result. You can start a new list without the continue parameter.",
                        null, null, null, List.of());
            }
            throw ApiException.gone("too old resource version: " + revision + " (" + e.compactedRevision() + ")");
        } catch (StoreException.FutureRevision e) {
            throw ApiException.timeout("Too large resource version: " + revision + ", current: " + store.currentRevision());
        } catch (StoreException.Unavailable e) {
            throw ApiException.serviceUnavailable("storage is unavailable: " + e.getMessage());
        }
    }

    public static long parseResourceVersion(String resourceVersion) {
        try {
            long rv = Long.parseLong(resourceVersion);
            if (rv < 0) throw new NumberFormatException();
            return rv;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("resourceVersion: Invalid value: \"" + resourceVersion
                    + "\": must be a non-negative integer");
        }
    }

    // ---------------------------------------------------------------- create

    public ObjectNode create(ResourceType type, String namespace, ObjectNode object, boolean dryRun) {
        return create(type, namespace, object, dryRun, null);
    }

    /**
     * Creates an object. With a {@code manager}, the create is recorded in {@code metadata.managedFields} as that
     * manager's Update of every field the object sets once defaulted; without one (server-side apply, which
     * records its own entry, and the server's own writes) managedFields are stored as given.
     */
    public ObjectNode create(ResourceType type, String namespace, ObjectNode object, boolean dryRun,
                             ManagedFields.Manager manager) {
        return createWritten(type, namespace, object, dryRun, manager).object();
    }

    /**
     * An object as a write left it, and the JSON it was stored as (without resourceVersion), so
     * that a reply needs no second serialization; {@code stored} is null when nothing was written
     * (dry run).
     */
    public record Written(ObjectNode object, byte[] stored, long revision) {

        /** The object's JSON with its resourceVersion, as {@link Json#write} would give it; null when unknown. */
        public byte[] json() {
            return stored == null ? null : Json.withResourceVersion(stored, revision);
        }
    }

    /** {@link #create}, also answering the JSON it stored. */
    public Written createWritten(ResourceType type, String namespace, ObjectNode object, boolean dryRun,
                                 ManagedFields.Manager manager) {
        checkTypeMeta(type, object);
        ObjectNode metadata = KubeObject.metadata(object);
        prepareNamespace(type, namespace, metadata);
        if (type.namespaced()) requireLiveNamespace(type, namespace, KubeObject.text(metadata, "name"));
        String name = KubeObject.text(metadata, "name");
        String generateName = KubeObject.text(metadata, "generateName");
        if ((name == null || name.isEmpty()) && generateName != null && !generateName.isEmpty()) {
            name = generateName + randomSuffix();
            metadata.put("name", name);
        }
        if (name == null || name.isEmpty()) {
            throw ApiException.invalid(type.group(), type.kind(), "", List.of(
                    new StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name")));
        }
        metadata.remove(List.of("resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"));
        metadata.put("uid", randomUuid().toString());
        metadata.put("creationTimestamp", KubeObject.timestamp(now()));
        if (hasGeneration(type)) metadata.put("generation", 1);
        else metadata.remove("generation");
        if (type.hasSubresource("status") && !STATUS_KEPT_ON_CREATE.contains(type.group() + "/" + type.kind())) {
            object.remove("status");
        }
        KindStrategy strategy = strategies.forKind(type.group(), type.kind());
        AdmissionContext context = new AdmissionContext(store, dryRun);
        strategy.defaults(object);
        // As kube-apiserver: what the creator sent, defaults included, and before the strategy's own changes.
        if (manager != null) recordUpdate(type, null, object, manager);
        List<StatusCause> causes = new ArrayList<>(ObjectMetaValidation.validate(type, object, null));
        strategy.prepareForCreate(object, context);
        causes.addAll(strategy.validate(object, null));
        if (!causes.isEmpty()) {
            strategy.abortWrite(object, null, context);
            throw ApiException.invalid(type.group(), type.kind(), name, causes);
        }
        ObjectNode canonical = KubeObject.canonicalOrder(object);
        if (dryRun) {
            return new Written(canonical, null, 0);
        }
        try {
            byte[] json = Json.write(canonical);
            checkSize(json);
            Store.KeyValue kv = storeCall(() -> store.create(type.key(namespace, KubeObject.name(canonical)), json));
            KubeObject.setResourceVersion(canonical, kv.modRevision());
            return new Written(canonical, json, kv.modRevision());
        } catch (StoreException.KeyExists e) {
            strategy.abortWrite(canonical, null, context);
            throw ApiException.alreadyExists(type.group(), type.plural(), name);
        } catch (RuntimeException e) {
            strategy.abortWrite(canonical, null, context);
            throw e;
        }
    }

    private static SecureRandom drbg() {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (java.security.NoSuchAlgorithmException e) {
            return new SecureRandom();
        }
    }

    /** A random (version 4) UUID, as {@link UUID#randomUUID} makes one. */
    private UUID randomUuid() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
        bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
        long high = 0;
        long low = 0;
        for (int i = 0; i < 8; i++) high = (high << 8) | (bytes[i] & 0xff);
        for (int i = 8; i < 16; i++) low = (low << 8) | (bytes[i] & 0xff);
        return new UUID(high, low);
    }

    private String randomSuffix() {
        StringBuilder suffix = new StringBuilder(5);
        for (int i = 0; i < 5; i++) suffix.append(NAME_CHARS.charAt(random.nextInt(NAME_CHARS.length())));
        return suffix.toString();
    }

    /** kube-apiserver's NamespaceLifecycle check; {@code name} is the one in the body (empty with generateName). */
    private void requireLiveNamespace(ResourceType type, String namespace, String name) {
        Optional<NamespaceLifecycle.State> state = namespaces.state(namespace);
        if (state.isEmpty()) throw ApiException.notFound("", "namespaces", namespace);
        if (state.get() == NamespaceLifecycle.State.TERMINATING) {
            String resource = type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
            String subject = name == null || name.isEmpty() ? resource : resource + " \"" + name + "\"";
            throw new ApiException(403, "Forbidden", subject + " is forbidden: unable to create new content in namespace "
                    + namespace + " because it is being terminated", type.group(), type.plural(), name, List.of());
        }
    }

    // ---------------------------------------------------------------- update

    /**
     * What an update may change: {@code MAIN} keeps the stored status, {@code STATUS} keeps
     * everything but status, {@code ALL} (the server's own subresources, e.g. a pod's binding)
     * changes both in one write, {@code FINALIZE} (a namespace's {@code finalize}) writes the
     * {@code spec.finalizers} that an ordinary update of a namespace keeps, {@code EPHEMERAL_CONTAINERS}
     * (a pod's {@code ephemeralcontainers}) writes only {@code spec.ephemeralContainers}, which an ordinary
     * update of a pod keeps.
     */
    public enum Part { MAIN, STATUS, ALL, FINALIZE, EPHEMERAL_CONTAINERS }

    /** Whether a PUT of an absent object of this type creates it (kube-apiserver's AllowCreateOnUpdate). */
    public static boolean createsOnUpdate(ResourceType type) {
        return CREATE_ON_UPDATE.contains(type.group() + "/" + type.kind());
    }

    /**
     * Replaces an object (PUT). A resourceVersion in the body is a precondition; without one the
     * update is unconditional. Kinds that allow it are created when absent.
     */
    public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode object, Part part,
                             boolean dryRun) {
        return update(type, namespace, name, object, part, dryRun, null);
    }

    /** {@link #update}, recording the change as {@code manager}'s in managedFields (see {@link #create}). */
    public ObjectNode update(ResourceType type, String namespace, String name, ObjectNode object, Part part,
                             boolean dryRun, ManagedFields.Manager manager) {
        return updateWritten(type, namespace, name, object, part, dryRun, manager).object();
    }

    /** {@link #update}, also answering the JSON it stored. */
    public Written updateWritten(ResourceType type, String namespace, String name, ObjectNode object, Part part,
                                 boolean dryRun, ManagedFields.Manager manager) {
        checkTypeMeta(type, object);
        ObjectNode metadata = KubeObject.metadata(object);
        prepareNamespace(type, namespace, metadata);
        String bodyName = KubeObject.text(metadata, "name");
        if (bodyName == null || bodyName.isEmpty()) {
            metadata.put("name", name);
        } else if (!bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName
                    + ") does not match the name on the URL (" + name + ")");
        }
        Optional<Store.KeyValue> current = storeCall(() -> store.get(type.key(namespace, name)));
        if (current.isEmpty()) {
            if (part == Part.MAIN && CREATE_ON_UPDATE.contains(type.group() + "/" + type.kind())) {
                return createWritten(type, namespace, object, dryRun, manager);
            }
            throw ApiException.notFound(type.group(), type.plural(), name);
        }
        String precondition = KubeObject.resourceVersion(object);
        if (precondition != null && !precondition.isEmpty()
                && parseResourceVersion(precondition) != current.get().modRevision()) {
            throw ApiException.staleResourceVersion(type.group(), type.plural(), name);
        }
        try {
            return applyUpdate(type, namespace, name, current.get(), null, object, part, dryRun, manager);
        } catch (RetryableConflict e) {
            // Another writer got in between the read and the compare-and-swap: the object has been modified.
            throw ApiException.staleResourceVersion(type.group(), type.plural(), name);
        }
    }

    /**
     * A read-modify-write of one object (patches and subresources): {@code change} gets a copy of
     * the current object and returns the new one; it is called again if another writer got in
     * between. If the change puts a resourceVersion in the result that is not the current one,
     * that is a precondition that fails with 409 instead of a retry.
     */
    public ObjectNode mutate(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change,
                             Part part, boolean dryRun) {
        return mutate(type, namespace, name, change, part, dryRun, null);
    }

    /** {@link #mutate}, recording the change as {@code manager}'s in managedFields (see {@link #create}). */
    public ObjectNode mutate(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change,
                             Part part, boolean dryRun, ManagedFields.Manager manager) {
        return mutateWritten(type, namespace, name, change, part, dryRun, manager).object();
    }

    /** {@link #mutate}, also answering the JSON it stored. */
    public Written mutateWritten(ResourceType type, String namespace, String name, UnaryOperator<ObjectNode> change,
                                 Part part, boolean dryRun, ManagedFields.Manager manager) {
        for (int attempt = 0; ; attempt++) {
            Store.KeyValue current = storeCall(() -> store.get(type.key(namespace, name)))
                    .orElseThrow(() -> ApiException.notFound(type.group(), type.plural(), name));
            // Decoded once: the change gets a copy, and the untouched tree is the update's old object.
            ObjectNode stored = decode(type, current);
            ObjectNode changed = change.apply(stored.deepCopy());
            String precondition = KubeObject.resourceVersion(changed);
            if (precondition != null && !precondition.isEmpty()
                    && parseResourceVersion(precondition) != current.modRevision()) {
                throw ApiException.staleResourceVersion(type.group(), type.plural(), name);
            }
            checkTypeMeta(type, changed);
            ObjectNode metadata = KubeObject.metadata(changed);
            prepareNamespace(type, namespace, metadata);
            if (!name.equals(KubeObject.text(metadata, "name"))) {
                throw ApiException.badRequest("the name of the object (" + KubeObject.text(metadata, "name")
                        + ") does not match the name on the URL (" + name + ")");
            }
            try {
                return applyUpdate(type, namespace, name, current, stored, changed, part, dryRun, manager);
            } catch (RetryableConflict e) {
                if (attempt >= MAX_CONFLICT_RETRIES) throw ApiException.staleResourceVersion(type.group(), type.plural(), name);
            }
        }
    }

    /**
     * A change to fields the server itself owns (a pod's binding): unlike {@link #mutate}, the
     * object is neither defaulted nor validated again, since {@code change} touches only fields it
     * checks itself. It starts from {@code cached} when given, a copy that may be stale (a watch
     * cache's); the compare-and-swap on its mod revision catches that, and every later attempt
     * reads the store. A refusal ({@link ApiException}) computed from the cached copy is confirmed
     * against the store before it reaches the client, so a stale copy never decides an error.
     *
     * <p>{@code change} gets a fresh copy and returns the new object or throws; it may run more
     * than once. Gives up with 409 after {@value #MAX_CONFLICT_RETRIES} lost races.
     */
    public ObjectNode updateOwnedFields(ResourceType type, String namespace, String name, Store.KeyValue cached,
                                        UnaryOperator<ObjectNode> change, boolean dryRun) {
        String key = type.key(namespace, name);
        Store.KeyValue current = cached != null && cached.key().equals(key) ? cached : null;
        for (int attempt = 0; ; attempt++) {
            boolean fromCache = current != null;
            if (current == null) {
                current = storeCall(() -> store.get(key))
                        .orElseThrow(() -> ApiException.notFound(type.group(), type.plural(), name));
            }
            try {
                return writeOwnedFields(type, name, current, change.apply(decode(type, current)), dryRun);
            } catch (ApiException refused) {
                if (!fromCache) throw refused;
            } catch (RetryableConflict | StoreException.NotFound lost) {
                if (attempt >= MAX_CONFLICT_RETRIES) throw ApiException.staleResourceVersion(type.group(), type.plural(), name);
            }
            current = null;
        }
    }

    private ObjectNode writeOwnedFields(ResourceType type, String name, Store.KeyValue current, ObjectNode next,
                                        boolean dryRun) {
        ObjectNode canonical = KubeObject.canonicalOrder(next);
        KubeObject.metadata(canonical).remove("resourceVersion");
        if (dryRun) {
            KubeObject.setResourceVersion(canonical, current.modRevision());
            return canonical;
        }
        byte[] bytes = Json.write(canonical);
        checkSize(bytes);
        try {
            Store.KeyValue kv = storeCall(() -> store.update(current.key(), bytes, current.modRevision()));
            KubeObject.setResourceVersion(canonical, kv.modRevision());
            return canonical;
        } catch (StoreException.Conflict e) {
            throw new RetryableConflict();
        }
    }

    /** Thrown inside {@link #applyUpdate} when the compare-and-swap lost a race; {@link #mutate} retries. */
    private static final class RetryableConflict extends RuntimeException {
        RetryableConflict() {
            super(null, null, false, false);
        }
    }

    /** {@code decoded} is {@code current} decoded, or null to decode it here; it is only read. */
    private Written applyUpdate(ResourceType type, String namespace, String name, Store.KeyValue current,
                                ObjectNode decoded, ObjectNode object, Part part, boolean dryRun,
                                ManagedFields.Manager manager) {
        ObjectNode old = decoded != null ? decoded : decode(type, current);
        ObjectNode next = switch (part) {
            case STATUS -> only(old, object, "status");
            case EPHEMERAL_CONTAINERS -> only(old, object, "spec", "ephemeralContainers");
            default -> object;
        };
        ObjectNode oldMeta = KubeObject.metadata(old);
        ObjectNode meta = KubeObject.metadata(next);
        // Fields the server owns.
        for (String field : List.of("uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds")) {
            if (oldMeta.has(field)) meta.set(field, oldMeta.get(field));
            else meta.remove(field);
        }
        meta.remove("selfLink");
        if (part == Part.MAIN && type.hasSubresource("status")) {
            if (old.has("status")) next.set("status", old.get("status"));
            else next.remove("status");
        }
        if (part == Part.MAIN && type.hasSubresource("ephemeralcontainers")) {
            JsonNode kept = old.path("spec").get("ephemeralContainers");
            if (kept != null) next.withObjectProperty("spec").set("ephemeralContainers", kept);
            else if (next.get("spec") instanceof ObjectNode spec) spec.remove("ephemeralContainers");
        }
        if (KubeObject.isDeleting(old)) {
            List<String> added = new ArrayList<>(KubeObject.finalizers(next));
            added.removeAll(KubeObject.finalizers(old));
            if (!added.isEmpty()) {
                throw ApiException.invalid(type.group(), type.kind(), name, List.of(StatusCause.forbidden(
                        "metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers " + added)));
            }
        }
        KindStrategy strategy = strategies.forKind(type.group(), type.kind());
        AdmissionContext context = new AdmissionContext(store, dryRun);
        if (part != Part.STATUS) strategy.defaults(next);
        if (hasGeneration(type)) {
            long generation = oldMeta.path("generation").asLong(1);
            meta.put("generation", specChanged(old, next) ? generation + 1 : generation);
        } else {
            meta.remove("generation");
        }
        if (manager != null) recordUpdate(type, old, next, manager);
        List<StatusCause> causes = new ArrayList<>(ObjectMetaValidation.validate(type, next, old));
        JsonNode requestedFinalizers = part == Part.FINALIZE ? next.path("spec").get("finalizers") : null;
        strategy.prepareForUpdate(next, old, context);
        if (part == Part.FINALIZE) {
            ObjectNode spec = next.withObjectProperty("spec");
            if (requestedFinalizers != null) spec.set("finalizers", requestedFinalizers);
            else spec.remove("finalizers");
        }
        causes.addAll(strategy.validate(next, old));
        if (!causes.isEmpty()) {
            strategy.abortWrite(next, old, context);
            throw ApiException.invalid(type.group(), type.kind(), name, causes);
        }
        try {
            return storeUpdate(type, name, current, next, old, strategy, context, dryRun);
        } catch (RuntimeException e) {
            strategy.abortWrite(next, old, context);
            throw e;
        }
    }

    private Written storeUpdate(ResourceType type, String name, Store.KeyValue current, ObjectNode next,
                                   ObjectNode old, KindStrategy strategy, AdmissionContext context, boolean dryRun) {
        ObjectNode canonical = KubeObject.canonicalOrder(next);
        KubeObject.metadata(canonical).remove("resourceVersion");
        ObjectNode oldStored = old.deepCopy();
        KubeObject.metadata(oldStored).remove("resourceVersion");
        byte[] bytes = Json.write(canonical);
        // Compared as stored: a tree built here may hold a long (generation) where the parsed one holds an int.
        // Equal bytes are the same stored object without parsing them.
        if (java.util.Arrays.equals(bytes, current.value()) || Json.parseStored(bytes).equals(oldStored)) {
            KubeObject.setResourceVersion(canonical, current.modRevision());
            return new Written(canonical, bytes, current.modRevision());
        }
        if (finalized(type, canonical)) {
            if (dryRun) return new Written(canonical, null, 0);
            try {
                Store.KeyValue deleted = storeCall(() -> store.delete(current.key(), current.modRevision()));
                strategy.afterDelete(canonical, context);
                KubeObject.setResourceVersion(canonical, deleted.modRevision());
                return new Written(canonical, null, 0);
            } catch (StoreException.Conflict e) {
                throw new RetryableConflict();
            }
        }
        if (dryRun) {
            KubeObject.setResourceVersion(canonical, current.modRevision());
            return new Written(canonical, bytes, current.modRevision());
        }
        try {
            checkSize(bytes);
            Store.KeyValue kv = storeCall(() -> store.update(current.key(), bytes, current.modRevision()));
            KubeObject.setResourceVersion(canonical, kv.modRevision());
            strategy.afterUpdate(canonical, old, context);
            return new Written(canonical, bytes, kv.modRevision());
        } catch (StoreException.Conflict e) {
            throw new RetryableConflict();
        } catch (StoreException.NotFound e) {
            throw ApiException.notFound(type.group(), type.plural(), name);
        }
    }

    /** etcd refuses requests over 1.5 MiB; an object that large is the client's mistake, a 413. */
    static final int MAX_OBJECT_BYTES = 1536 * 1024;

    private static void checkSize(byte[] json) {
        if (json.length > MAX_OBJECT_BYTES) {
            throw ApiException.tooLarge("Request entity too large: the object is " + json.length
                    + " bytes; the limit is " + MAX_OBJECT_BYTES);
        }
    }

    /** Whether an object marked for deletion has nothing left holding it back. */
    private static boolean finalized(ResourceType type, ObjectNode object) {
        if (!KubeObject.isDeleting(object) || !KubeObject.finalizers(object).isEmpty()) return false;
        if (type.equals(BuiltInTypes.NAMESPACE)) {
            JsonNode specFinalizers = object.path("spec").path("finalizers");
            return !(specFinalizers instanceof ArrayNode a) || a.isEmpty();
        }
        if (type.equals(BuiltInTypes.POD)) {
            // A pod in its grace period goes when its node says so (a delete with grace 0).
            return object.path("metadata").path("deletionGracePeriodSeconds").asLong(0) == 0;
        }
        return true;
    }

    /** {@code old} with the field at {@code path} (an object's field, e.g. {@code status}) as in {@code submitted}. */
    private static ObjectNode only(ObjectNode old, ObjectNode submitted, String... path) {
        ObjectNode next = old.deepCopy();
        ObjectNode into = next;
        JsonNode from = submitted;
        for (int i = 0; i < path.length - 1; i++) {
            into = into.withObjectProperty(path[i]);
            from = from.path(path[i]);
        }
        String field = path[path.length - 1];
        if (from.has(field)) into.set(field, from.get(field));
        else into.remove(field);
        // The precondition, if any, rides along.
        String rv = KubeObject.resourceVersion(submitted);
        if (rv != null) KubeObject.metadata(next).put("resourceVersion", rv);
        return next;
    }

    private static boolean specChanged(ObjectNode old, ObjectNode next) {
        ObjectNode a = old.deepCopy();
        ObjectNode b = next.deepCopy();
        for (ObjectNode o : List.of(a, b)) {
            o.remove(List.of("metadata", "status", "apiVersion", "kind"));
        }
        return !a.equals(b);
    }

    // ---------------------------------------------------------------- delete

    public DeleteResult delete(ResourceType type, String namespace, String name, DeleteOptions options) {
        for (int attempt = 0; ; attempt++) {
            Store.KeyValue current = storeCall(() -> store.get(type.key(namespace, name)))
                    .orElseThrow(() -> ApiException.notFound(type.group(), type.plural(), name));
            ObjectNode object = decode(type, current);
            checkPreconditions(type, name, object, options);
            try {
                return deleteOnce(type, name, current, object, options);
            } catch (RetryableConflict e) {
                if (attempt >= MAX_CONFLICT_RETRIES) throw ApiException.staleResourceVersion(type.group(), type.plural(), name);
            }
        }
    }

    private DeleteResult deleteOnce(ResourceType type, String name, Store.KeyValue current, ObjectNode object,
                                    DeleteOptions options) {
        ObjectNode marked = object.deepCopy();
        ObjectNode meta = KubeObject.metadata(marked);
        Instant now = now();
        boolean changed = false;

        long grace = gracePeriod(type, object, options);
        if (grace > 0) {
            long existing = meta.path("deletionGracePeriodSeconds").asLong(Long.MAX_VALUE);
            if (!meta.has("deletionTimestamp") || grace < existing) {
                meta.put("deletionTimestamp", KubeObject.timestamp(now.plusSeconds(grace)));
                meta.put("deletionGracePeriodSeconds", grace);
                changed = true;
            }
        }
        String policy = options.propagationPolicy();
        if (policy != null && !Set.of("Orphan", "Background", "Foreground").contains(policy)) {
            throw ApiException.invalid(type.group(), type.kind(), name, List.of(StatusCause.notSupported(
                    "propagationPolicy", policy, List.of("Foreground", "Background", "Orphan"))));
        }
        String finalizer = "Orphan".equals(policy) ? "orphan" : "Foreground".equals(policy) ? "foregroundDeletion" : null;
        if (finalizer != null && KubeObject.addFinalizer(marked, finalizer)) changed = true;
        if (type.equals(BuiltInTypes.NAMESPACE) && !marked.path("spec").path("finalizers").isEmpty()) {
            if (!"Terminating".equals(marked.path("status").path("phase").asString(""))) {
                ((ObjectNode) marked.withObjectProperty("status")).put("phase", "Terminating");
                changed = true;
            }
        }
        boolean holdBack = !KubeObject.finalizers(marked).isEmpty()
                || (type.equals(BuiltInTypes.NAMESPACE) && !marked.path("spec").path("finalizers").isEmpty())
                || grace > 0;
        if (holdBack) {
            if (!meta.has("deletionTimestamp")) {
                meta.put("deletionTimestamp", KubeObject.timestamp(now));
                meta.put("deletionGracePeriodSeconds", 0);
                changed = true;
            }
            if (!changed || options.dryRun()) return new DeleteResult(marked, false);
            meta.remove("resourceVersion");
            ObjectNode canonical = KubeObject.canonicalOrder(marked);
            try {
                Store.KeyValue kv = storeCall(() -> store.update(current.key(), Json.write(canonical), current.modRevision()));
                KubeObject.setResourceVersion(canonical, kv.modRevision());
                return new DeleteResult(canonical, false);
            } catch (StoreException.Conflict e) {
                throw new RetryableConflict();
            } catch (StoreException.NotFound e) {
                throw ApiException.notFound(type.group(), type.plural(), name);
            }
        }
        if (options.dryRun()) return new DeleteResult(object, true);
        try {
            Store.KeyValue deleted = storeCall(() -> store.delete(current.key(), current.modRevision()));
            strategies.forKind(type.group(), type.kind()).afterDelete(object, new AdmissionContext(store, false));
            KubeObject.setResourceVersion(object, deleted.modRevision());
            return new DeleteResult(object, true);
        } catch (StoreException.Conflict e) {
            throw new RetryableConflict();
        } catch (StoreException.NotFound e) {
            throw ApiException.notFound(type.group(), type.plural(), name);
        }
    }

    /** The grace period of a delete: only pods bound to a node have one (their node stops them first). */
    private static long gracePeriod(ResourceType type, ObjectNode object, DeleteOptions options) {
        if (!type.equals(BuiltInTypes.POD)) return 0;
        if (object.path("spec").path("nodeName").asString("").isEmpty()) return 0;
        String phase = object.path("status").path("phase").asString("");
        if (phase.equals("Succeeded") || phase.equals("Failed")) return 0;
        if (options.gracePeriodSeconds() != null) return Math.max(0, options.gracePeriodSeconds());
        return object.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }

    private static void checkPreconditions(ResourceType type, String name, ObjectNode object, DeleteOptions options) {
        if (options.preconditionUid() != null && !options.preconditionUid().equals(KubeObject.uid(object))) {
            throw ApiException.conflict(type.group(), type.plural(), name, "Precondition failed: UID in precondition: "
                    + options.preconditionUid() + ", UID in object meta: " + KubeObject.uid(object));
        }
        if (options.preconditionVersion() != null
                && !options.preconditionVersion().equals(KubeObject.resourceVersion(object))) {
            throw ApiException.conflict(type.group(), type.plural(), name,
                    "Precondition failed: ResourceVersion in precondition: " + options.preconditionVersion()
                            + ", ResourceVersion in object meta: " + KubeObject.resourceVersion(object));
        }
    }

    // ---------------------------------------------------------------- common

    private static void checkTypeMeta(ResourceType type, ObjectNode object) {
        for (String field : List.of("apiVersion", "kind")) {
            JsonNode value = object.get(field);
            if (value != null && !value.isNull() && !value.isString()) {
                throw cannotDecode(type, "cannot unmarshal " + value.getNodeType().name().toLowerCase()
                        + " into Go struct field TypeMeta." + field + " of type string");
            }
        }
        JsonNode metadata = object.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw cannotDecode(type, "cannot unmarshal " + metadata.getNodeType().name().toLowerCase()
                    + " into Go struct field " + type.kind() + ".metadata of type v1.ObjectMeta");
        }
        if (metadata != null) {
            for (String field : List.of("name", "generateName", "namespace", "uid", "resourceVersion",
                    "creationTimestamp", "deletionTimestamp")) {
                JsonNode value = metadata.get(field);
                if (value != null && !value.isNull() && !value.isString()) {
                    throw cannotDecode(type, "cannot unmarshal " + value.getNodeType().name().toLowerCase()
                            + " into Go struct field ObjectMeta.metadata." + field + " of type string");
                }
            }
            for (String field : List.of("labels", "annotations")) {
                JsonNode value = metadata.get(field);
                if (value != null && !value.isNull() && !value.isObject()) {
                    throw cannotDecode(type, "cannot unmarshal " + value.getNodeType().name().toLowerCase()
                            + " into Go struct field ObjectMeta.metadata." + field + " of type map[string]string");
                }
            }
            for (String field : List.of("finalizers", "ownerReferences")) {
                JsonNode value = metadata.get(field);
                if (value != null && !value.isNull() && !value.isArray()) {
                    throw cannotDecode(type, "cannot unmarshal " + value.getNodeType().name().toLowerCase()
                            + " into Go struct field ObjectMeta.metadata." + field + " of type []");
                }
            }
        }
        String apiVersion = KubeObject.text(object, "apiVersion");
        String kind = KubeObject.text(object, "kind");
        if (apiVersion != null && !apiVersion.isEmpty() && !apiVersion.equals(type.apiVersion())) {
            boolean sameGroup = type.group().isEmpty() ? !apiVersion.contains("/") : apiVersion.startsWith(type.group() + "/");
            if (!sameGroup) {
                throw ApiException.badRequest("the API version in the data (" + apiVersion
                        + ") does not match the expected API version (" + type.apiVersion() + ")");
            }
        }
        if (kind != null && !kind.isEmpty() && !kind.equals(type.kind())) {
            throw ApiException.badRequest("the kind in the data (" + kind + ") does not match the expected kind ("
                    + type.kind() + ")");
        }
        object.put("apiVersion", type.apiVersion());
        object.put("kind", type.kind());
    }

    /** kube-apiserver's 400 for a body that does not decode into the kind's type. */
    static ApiException cannotDecode(ResourceType type, String detail) {
        return ApiException.badRequest(type.kind() + " in version \"" + type.version() + "\" cannot be handled as a "
                + type.kind() + ": json: " + detail);
    }

    private static void prepareNamespace(ResourceType type, String namespace, ObjectNode metadata) {
        String bodyNamespace = KubeObject.text(metadata, "namespace");
        if (type.namespaced()) {
            if (bodyNamespace != null && !bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
                throw ApiException.badRequest("the namespace of the provided object does not match the namespace "
                        + "sent on the request");
            }
            metadata.put("namespace", namespace);
        } else {
            metadata.remove("namespace");
        }
    }

    private void recordUpdate(ResourceType type, ObjectNode old, ObjectNode next, ManagedFields.Manager manager) {
        // A write to the object itself owns nothing in a status that has a subresource of its own.
        boolean statusOwned = !manager.subresource().isEmpty() || !type.hasSubresource("status");
        ManagedFields.recordUpdate(old, next, KubernetesPatchMeta.forKind(type.group(), type.kind()), manager, now(),
                statusOwned);
    }

    private static boolean hasGeneration(ResourceType type) {
        return GENERATION_KINDS.contains(type.group() + "/" + type.kind()) || !BuiltInTypes.ALL.contains(type);
    }

    private Instant now() {
        return clock.instant();
    }

    private static <T> T storeCall(java.util.function.Supplier<T> call) {
        try {
            return call.get();
        } catch (StoreException.Unavailable e) {
            throw ApiException.serviceUnavailable("storage is unavailable: " + e.getMessage());
        }
    }
}
