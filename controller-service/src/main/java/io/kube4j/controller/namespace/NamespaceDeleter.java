package io.kube4j.controller.namespace;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.NamespaceConditionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.kube4j.controller.runtime.CustomResourceTypes;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Empties a Terminating namespace, as kube-controller-manager's namespace controller does: deletes
 * the objects of every namespaced type (built-in, and custom ones from the CustomResourceDefinitions
 * in the cache), then, once nothing is left, removes the {@code kubernetes} finalizer through
 * {@code finalize} so the gateway removes the namespace. Until then it reports progress in the
 * namespace's five deletion conditions and looks again after {@link #RECHECK}.
 *
 * <p>Keys are namespace names. Idempotent: each pass deletes what is still there and recounts.
 */
public record NamespaceDeleter(Cache<Namespace> namespaces, Cache<CustomResourceDefinition> definitions,
                               NamespaceContent content, ObjectClient objects, Clock clock) implements Reconciler {

    private static final Logger log = LoggerFactory.getLogger(NamespaceDeleter.class);

    public static final String FINALIZER = "kubernetes";
    static final Duration RECHECK = Duration.ofSeconds(2);

    @Override
    public Result reconcile(String name) {
        Optional<Namespace> found = namespaces.get(name);
        if (found.isEmpty()) return Result.DONE;
        Namespace namespace = found.get();
        if (namespace.getMetadata().getDeletionTimestamp() == null) return Result.DONE;
        List<String> finalizers = namespace.getSpec() == null || namespace.getSpec().getFinalizers() == null
                ? List.of() : namespace.getSpec().getFinalizers();
        if (!finalizers.contains(FINALIZER)) return Result.DONE;

        List<ResourceType> types = namespacedTypes(definitions.list());
        List<String> failures = new ArrayList<>();
        Map<String, Integer> remainingByResource = new TreeMap<>();
        Map<String, Integer> remainingByFinalizer = new TreeMap<>();
        for (ResourceType type : types) {
            try {
                content.deleteAll(type, name);
                List<NamespaceContent.Remaining> left = content.remaining(type, name);
                if (!left.isEmpty()) remainingByResource.put(type.plural() + "." + type.group(), left.size());
                for (NamespaceContent.Remaining r : left) {
                    for (String f : r.finalizers()) remainingByFinalizer.merge(f, 1, Integer::sum);
                }
            } catch (RuntimeException e) {
                failures.add("Failed to delete all resource types, 1 remaining: " + type.plural() + "." + type.group() + ": " + e.getMessage());
            }
        }
        Namespace current = updateConditions(namespace, conditions(failures, remainingByResource, remainingByFinalizer));
        if (!failures.isEmpty() || !remainingByResource.isEmpty()) {
            log.debug("namespace {}: waiting for {} ({} failures)", name, remainingByResource, failures.size());
            return Result.requeueAfter(RECHECK);
        }
        Namespace finalized = copy(current);
        finalized.getSpec().setFinalizers(finalizers.stream().filter(f -> !f.equals(FINALIZER)).toList());
        content.finalize(finalized);
        log.info("namespace {} is empty; removed its {} finalizer", name, FINALIZER);
        return Result.DONE;
    }

    /** Every namespaced type the gateway serves: the built-in ones and those the definitions add. */
    static List<ResourceType> namespacedTypes(List<CustomResourceDefinition> definitions) {
        List<ResourceType> types = new ArrayList<>();
        for (ResourceType type : BuiltInTypes.ALL) {
            if (type.namespaced() && type != BuiltInTypes.HORIZONTAL_POD_AUTOSCALER_V1) types.add(type);
        }
        for (CustomResourceDefinition crd : definitions) {
            CustomResourceTypes.of(crd).filter(ResourceType::namespaced).ifPresent(types::add);
        }
        return types;
    }

    /** The deletion conditions as kube-controller-manager words them. */
    static List<NamespaceCondition> conditions(List<String> failures, Map<String, Integer> remainingByResource,
                                               Map<String, Integer> remainingByFinalizer) {
        List<NamespaceCondition> conditions = new ArrayList<>();
        conditions.add(condition("NamespaceDeletionDiscoveryFailure", false, "ResourcesDiscovered", "All resources successfully discovered"));
        conditions.add(condition("NamespaceDeletionGroupVersionParsingFailure", false, "ParsedGroupVersions", "All legacy kube types successfully parsed"));
        conditions.add(failures.isEmpty()
                ? condition("NamespaceDeletionContentFailure", false, "ContentDeleted", "All content successfully deleted, may be waiting on finalization")
                : condition("NamespaceDeletionContentFailure", true, "ContentDeletionFailed", String.join(", ", failures)));
        List<String> resources = new ArrayList<>();
        remainingByResource.forEach((r, n) -> resources.add(r + " has " + n + " resource instances"));
        conditions.add(resources.isEmpty()
                ? condition("NamespaceContentRemaining", false, "ContentRemoved", "All content successfully removed")
                : condition("NamespaceContentRemaining", true, "SomeResourcesRemain", "Some resources are remaining: " + String.join(", ", resources)));
        List<String> pending = new ArrayList<>();
        remainingByFinalizer.forEach((f, n) -> pending.add(f + " in " + n + " resource instances"));
        conditions.add(pending.isEmpty()
                ? condition("NamespaceFinalizersRemaining", false, "ContentHasNoFinalizers", "All content-preserving finalizers finished")
                : condition("NamespaceFinalizersRemaining", true, "SomeFinalizersRemain", "Some content in the namespace has finalizers remaining: " + String.join(", ", pending)));
        return conditions;
    }

    private static NamespaceCondition condition(String type, boolean status, String reason, String message) {
        return new NamespaceConditionBuilder().withType(type).withStatus(status ? "True" : "False").withReason(reason).withMessage(message).build();
    }

    /** Writes the conditions if any differs in status, reason or message; a condition's transition time moves only with its status. */
    private Namespace updateConditions(Namespace namespace, List<NamespaceCondition> wanted) {
        List<NamespaceCondition> existing = namespace.getStatus() == null || namespace.getStatus().getConditions() == null
                ? List.of() : namespace.getStatus().getConditions();
        String now = Instant.now(clock).truncatedTo(ChronoUnit.SECONDS).toString();
        boolean changed = false;
        List<NamespaceCondition> next = new ArrayList<>();
        for (NamespaceCondition c : wanted) {
            Optional<NamespaceCondition> old = existing.stream().filter(e -> c.getType().equals(e.getType())).findFirst();
            if (old.isPresent() && Objects.equals(old.get().getStatus(), c.getStatus())) {
                c.setLastTransitionTime(old.get().getLastTransitionTime());
                if (!Objects.equals(old.get().getReason(), c.getReason()) || !Objects.equals(old.get().getMessage(), c.getMessage())) changed = true;
            } else {
                c.setLastTransitionTime(now);
                changed = true;
            }
            next.add(c);
        }
        for (NamespaceCondition e : existing) {
            if (wanted.stream().noneMatch(c -> c.getType().equals(e.getType()))) next.add(e);
        }
        if (!changed) return namespace;
        Namespace copy = copy(namespace);
        if (copy.getStatus() == null) copy.setStatus(new io.fabric8.kubernetes.api.model.NamespaceStatus());
        copy.getStatus().setConditions(next);
        return objects.updateStatus(copy);
    }

    private static Namespace copy(Namespace namespace) {
        return Json.MAPPER.convertValue(namespace, Namespace.class);
    }
}
