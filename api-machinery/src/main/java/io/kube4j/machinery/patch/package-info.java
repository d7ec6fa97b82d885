/**
 * The PATCH body formats of the Kubernetes API as pure functions on JSON trees: {@link
 * io.kube4j.machinery.patch.JsonPatch} (RFC 6902), {@link io.kube4j.machinery.patch.MergePatch} (RFC 7386),
 * {@link io.kube4j.machinery.patch.StrategicMergePatch} with the built-in kinds' field strategies in {@link
 * io.kube4j.machinery.patch.KubernetesPatchMeta}, and a subset of server-side apply in {@link
 * io.kube4j.machinery.patch.ApplyPatch}. None modifies its arguments; bad patches raise the Status errors
 * kube-apiserver answers with.
 */
package io.kube4j.machinery.patch;
