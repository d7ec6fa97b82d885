package io.kube4j.scheduler.preemption;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.object.Json;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.plugins.defaultpreemption.PreemptionActions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Carries out a preemption through the gateway, in kube-scheduler's order: each victim deleted (with its own
 * grace period, as a kubectl delete would) and given a {@code Normal Preempted} event {@code Preempted by pod
 * <uid> on node <node>}; lower-priority pods nominated to the node get their {@code status.nominatedNodeName}
 * cleared; the preemptor's is set to the node, so {@code kubectl get pod -o wide} shows where it waits.
 *
 * <p>Blocking, on the scheduling thread; thread-safe. A victim already gone (404) counts as evicted; any other
 * failure stops and answers an error, and the scheduler retries the preemptor after backoff.
 */
public final class GatewayPreemptionActions implements PreemptionActions {

    private static final Logger log = LoggerFactory.getLogger(GatewayPreemptionActions.class);

    private final KubernetesClient client;
    private final EventRecorder recorder;

    public GatewayPreemptionActions(KubernetesClient client, EventRecorder recorder) {
        this.client = client;
        this.recorder = recorder;
    }

    @Override
    public Status preempt(PodInfo preemptor, String nodeName, List<PodInfo> victims, List<PodInfo> displaced) {
        try {
            for (PodInfo victim : victims) {
                try {
                    client.pods().inNamespace(victim.namespace()).withName(victim.name()).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) throw e;
                }
                recorder.event(victim.pod(), EventRecorder.NORMAL, "Preempted",
                        "Preempted by pod " + preemptor.uid() + " on node " + nodeName);
                log.info("preempted {} on {} for {}", victim.key(), nodeName, preemptor.key());
            }
            for (PodInfo p : displaced) setNominatedNodeName(p, null);
            setNominatedNodeName(preemptor, nodeName);
            return Status.SUCCESS;
        } catch (KubernetesClientException e) {
            return Status.error("preempting on " + nodeName + " for " + preemptor.key() + " failed: " + e.getMessage());
        }
    }

    /** The merge patch of {@code pods/{name}/status} that sets (or, with null, clears) the nominated node. */
    static ObjectNode nominationPatch(String nodeName) {
        ObjectNode body = Json.object();
        ObjectNode status = body.putObject("status");
        if (nodeName == null) status.putNull("nominatedNodeName");
        else status.put("nominatedNodeName", nodeName);
        return body;
    }

    private void setNominatedNodeName(PodInfo pod, String nodeName) {
        try {
            client.pods().inNamespace(pod.namespace()).withName(pod.name()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Json.writeString(nominationPatch(nodeName)));
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) throw e;
        }
    }
}
