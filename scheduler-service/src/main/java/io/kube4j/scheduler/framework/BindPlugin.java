package io.kube4j.scheduler.framework;

/**
 * Binds a pod to the chosen node, e.g. by posting {@code pods/{name}/binding}. Runs off the scheduling thread;
 * may block. Answers {@link Code#SKIP} to let the next bind plugin do it, success when bound, or an error (the
 * pod is then forgotten in the cache and retried).
 */
public interface BindPlugin extends Plugin {

    Status bind(CycleState state, PodInfo pod, String nodeName);
}
