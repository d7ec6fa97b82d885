package io.kube4j.node.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;

import java.util.Map;

/** A container's resources as the node reads them. Pure. */
public final class ContainerResources {

    private ContainerResources() {}

    /**
     * The container's request for {@code resource}: its request, else its limit (a limit without a request is
     * the request too, as the API's defaulting makes it), else null.
     */
    public static Quantity effectiveRequest(Container c, String resource) {
        if (c.getResources() == null) return null;
        Map<String, Quantity> requests = c.getResources().getRequests();
        if (requests != null && requests.get(resource) != null) return requests.get(resource);
        Map<String, Quantity> limits = c.getResources().getLimits();
        return limits == null ? null : limits.get(resource);
    }

    /** The container's limit for {@code resource}, or null. */
    public static Quantity limit(Container c, String resource) {
        Map<String, Quantity> limits = c.getResources() == null ? null : c.getResources().getLimits();
        return limits == null ? null : limits.get(resource);
    }
}
