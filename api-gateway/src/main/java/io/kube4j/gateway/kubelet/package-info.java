/**
 * The gateway's side of the streams served by the node agents (the kubelet's role): a pod's logs,
 * and exec, attach and port forwarding, relayed to the agent of the pod's node as kube-apiserver
 * relays them to the kubelet. The pure parts ({@link KubeletEndpoint}, {@link KubeletTargets},
 * {@link KubeletErrors}) compute where a request goes and what a refusal means; {@link PodStreams}
 * carries the bytes.
 */
package io.kube4j.gateway.kubelet;
