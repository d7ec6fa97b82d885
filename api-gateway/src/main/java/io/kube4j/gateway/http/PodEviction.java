package io.kube4j.gateway.http;

import io.kube4j.gateway.storage.DeleteOptions;
import io.kube4j.gateway.storage.DeleteResult;
import io.kube4j.gateway.storage.ListOptions;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.object.KubeObject;
import io.kube4j.machinery.patch.ManagedFields;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.selection.LabelSelector;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/**
 * The {@code pods/{name}/eviction} subresource as kube-apiserver serves it: a pod that is finished,
 * Pending or already being deleted goes at once; otherwise the PodDisruptionBudget that selects it
 * must allow a disruption. Granting one takes it from the budget's {@code disruptionsAllowed} and
 * records the pod in {@code disruptedPods} (a compare-and-swap on the budget's status, so two
 * evictions never spend one disruption), then deletes the pod. A budget that allows none answers
 * 429 TooManyRequests, which {@code kubectl drain} retries; a pod two budgets select cannot be
 * evicted (500, as in Kubernetes). A pod that is not Ready may go while the budget is met
 * (the default {@code unhealthyPodEvictionPolicy}, IfHealthyBudget) without spending a disruption.
 *
 * <p>kube-apiserver writes the budget's status through its loopback client, an ordinary status
 * update, so the budget's managedFields record it as {@link #BUDGET_WRITER}; the pod's deletion
 * records nothing, as a deletion never does.
 */
final class PodEviction {

    static final String VIOLATES = "Cannot evict pod as it would violate the pod's disruption budget.";

    /** The manager of kube-apiserver's own loopback writes: its User-Agent is {@code kube-apiserver/v1.x ...}. */
    static final ManagedFields.Manager BUDGET_WRITER = new ManagedFields.Manager("kube-apiserver", "policy/v1", "status");

    private final ResourceStorage storage;
    private final Clock clock;

    PodEviction(ResourceStorage storage, Clock clock) {
        this.storage = storage;
        this.clock = clock;
    }

    DeleteResult evict(String namespace, String name, DeleteOptions options) {
        ObjectNode pod = storage.get(BuiltInTypes.POD, namespace, name);
        String phase = JsonTree.stringOrEmpty(JsonTree.object(pod, "status"), "phase");
        if (KubeObject.isDeleting(pod) || phase.equals("Succeeded") || phase.equals("Failed") || phase.equals("Pending")) {
            return storage.delete(BuiltInTypes.POD, namespace, name, options);
        }
        List<ObjectNode> budgets = budgetsOf(pod, namespace);
        if (budgets.size() > 1) {
            throw ApiException.internal("This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        }
        if (budgets.size() == 1) spend(budgets.getFirst(), pod, options.dryRun());
        return storage.delete(BuiltInTypes.POD, namespace, name, options);
    }

    private List<ObjectNode> budgetsOf(ObjectNode pod, String namespace) {
        Map<String, String> labels = KubeObject.labels(pod);
        return storage.list(BuiltInTypes.POD_DISRUPTION_BUDGET, namespace, ListOptions.all()).items().stream()
                .filter(pdb -> {
                    JsonNode selector = pdb.path("spec").get("selector");
                    try {
                        return LabelSelector.fromJson(selector).matches(labels);
                    } catch (ApiException e) {
                        return false;
                    }
                })
                .toList();
    }

    /** Takes one disruption from the budget for the pod, or refuses the eviction. */
    private void spend(ObjectNode budget, ObjectNode pod, boolean dryRun) {
        String podName = KubeObject.name(pod);
        boolean ready = KubeObject.conditionTrue(pod, "Ready");
        storage.mutate(BuiltInTypes.POD_DISRUPTION_BUDGET, KubeObject.namespace(budget), KubeObject.name(budget), current -> {
            ObjectNode next = current.deepCopy();
            ObjectNode status = JsonTree.ensureObject(next, "status");
            long generation = JsonTree.object(next, "metadata").path("generation").asLong(0);
            long observed = status.path("observedGeneration").asLong(0);
            String budgetName = KubeObject.name(next);
            if (observed < generation) {
                throw tooManyRequests("The disruption budget " + budgetName + " is still being processed by the server.");
            }
            int allowed = status.path("disruptionsAllowed").asInt(0);
            int healthy = status.path("currentHealthy").asInt(0);
            int desired = status.path("desiredHealthy").asInt(0);
            if (!ready && healthy >= desired) return next;
            if (allowed < 0) throw new ApiException(403, "Forbidden", "pdb disruptions allowed is negative", "", "pods", podName, List.of());
            if (allowed == 0) {
                throw tooManyRequests("The disruption budget " + budgetName + " needs " + desired + " healthy pods and has "
                        + healthy + " currently");
            }
            status.put("disruptionsAllowed", allowed - 1);
            JsonTree.ensureObject(status, "disruptedPods").put(podName, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
            return next;
        }, ResourceStorage.Part.STATUS, dryRun, BUDGET_WRITER);
    }

    private static ApiException tooManyRequests(String cause) {
        return new ApiException(429, "TooManyRequests", VIOLATES, "", "pods", null,
                List.of(new StatusCause("DisruptionBudget", cause, null)));
    }
}
