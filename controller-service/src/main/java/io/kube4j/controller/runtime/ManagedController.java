package io.kube4j.controller.runtime;

import io.kube4j.machinery.controller.Controller;

/**
 * A controller the service runs: a Spring bean that, given the {@link ControllerContext}, asks
 * for its informers, registers handlers that enqueue keys, and returns its {@link Controller}.
 * Handlers must only enqueue; the reconciler reads caches and writes through
 * {@link ControllerContext#objects()}.
 */
public interface ManagedController {

    /** The name users enable and disable it by, as kube-controller-manager's {@code --controllers}: e.g. {@code replicaset}. */
    String name();

    Controller build(ControllerContext context);
}
