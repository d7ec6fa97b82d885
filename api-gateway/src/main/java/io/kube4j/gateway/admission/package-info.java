/**
 * Admission of objects on their way into storage: Kubernetes' defaulting, validation and
 * allocation, kind by kind, as pure code over Jackson trees.
 *
 * <p>{@link io.kube4j.gateway.admission.KindStrategies} finds the
 * {@link io.kube4j.gateway.admission.KindStrategy} of a kind; each strategy is a Spring component.
 * Defaults are exactly those kube-apiserver 1.32 applies (including the zero values Go prints,
 * such as {@code resources: {}} and a template's {@code creationTimestamp: null}), and refusals
 * carry kube-apiserver's field paths and messages. Code shared by every pod template lives in
 * {@code PodSpecDefaults} and {@code PodSpecValidation}. Allocation of Service IPs and node
 * ports lives in {@link io.kube4j.gateway.admission.allocation}.
 */
package io.kube4j.gateway.admission;
