package io.kube4j.scheduler.plugins.noderesources;

import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Resource;

/**
 * What a node would have allocated of one resource with the pod on it, as kube-scheduler's resource scorers
 * count it. Pure functions.
 */
final class ResourceAllocation {

    private ResourceAllocation() {
    }

    /**
     * {@code [allocatable, requested-with-the-pod]} of a resource on a node; {@code [0, 0]} to leave the resource
     * out (an extended resource the pod does not ask for, or one the node does not have).
     *
     * @param nonZero count CPU and memory with the defaults for containers that ask for none (spreading by score)
     */
    static long[] of(NodeInfo node, PodInfo pod, String resource, boolean nonZero) {
        long podRequest = podRequest(pod, resource, nonZero);
        switch (resource) {
            case Resource.CPU:
                return new long[]{node.allocatable().milliCpu,
                        (nonZero ? node.nonZeroMilliCpu() : node.requested().milliCpu) + podRequest};
            case Resource.MEMORY:
                return new long[]{node.allocatable().memory,
                        (nonZero ? node.nonZeroMemory() : node.requested().memory) + podRequest};
            case Resource.EPHEMERAL_STORAGE:
                return new long[]{node.allocatable().ephemeralStorage, node.requested().ephemeralStorage + podRequest};
            default:
                if (podRequest == 0) return new long[]{0, 0};
                Long alloc = node.allocatable().scalars().get(resource);
                if (alloc == null) return new long[]{0, 0};
                return new long[]{alloc, node.requested().get(resource) + podRequest};
        }
    }

    static long podRequest(PodInfo pod, String resource, boolean nonZero) {
        if (nonZero && Resource.CPU.equals(resource)) return pod.nonZeroMilliCpu();
        if (nonZero && Resource.MEMORY.equals(resource)) return pod.nonZeroMemory();
        return pod.requests().get(resource);
    }
}
