package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What is particular to one kind on its way into storage: Kubernetes' defaulting, validation and
 * allocation of shared ranges (Service cluster IPs and node ports).
 *
 * <p>The gateway handles what is common to every kind before and after calling a strategy: name
 * and namespace rules, uid, creationTimestamp, generation, resourceVersion, labels and
 * annotations syntax, finalizers and the status subresource split. A strategy sees the object as
 * a mutable JSON tree that it may change in place; it never sees an object that is already
 * stored (the {@code old} argument is a copy and must not be changed).
 *
 * <p>Order on create: {@link #defaults} → {@link #prepareForCreate} → {@link #validate} → write,
 * then {@link #abortWrite} if the write (or a later check) failed. On update: {@link #defaults} →
 * {@link #prepareForUpdate} → {@link #validate} → write, then {@link #afterUpdate} once stored or
 * {@link #abortWrite} if not. After a deletion: {@link #afterDelete}. Before
 * {@link #prepareForCreate} the gateway has set {@code metadata.name} (generateName resolved),
 * {@code namespace} and {@code uid}: Job selectors and allocation owners are made of them. A
 * strategy may read other objects through {@link AdmissionContext#store()} (PriorityClasses,
 * StorageClasses) and writes only keys of its own there. Any method may
 * throw {@link io.kube4j.machinery.errors.ApiException} for an expected refusal (e.g. 422 for
 * a taken node port). Implementations are stateless apart from the context they are handed, and
 * thread-safe.
 */
public interface KindStrategy {

    /** The group of the kind this strategy serves, empty for the core group. */
    String group();

    /** The kind this strategy serves, e.g. {@code Pod}. */
    String kind();

    /** Fills in the defaults Kubernetes fills in (e.g. Pod restartPolicy Always). Idempotent. */
    default void defaults(ObjectNode object) {}

    /** Allocations and normalisation on create (e.g. a Service's cluster IP). */
    default void prepareForCreate(ObjectNode object, AdmissionContext context) {}

    /** Normalisation on update (e.g. keep an allocated cluster IP that the update left out). */
    default void prepareForUpdate(ObjectNode object, ObjectNode old, AdmissionContext context) {}

    /**
     * The reasons the object is invalid, as field causes; empty when valid.
     *
     * @param old the stored object on update (for immutable-field checks), null on create
     */
    default List<StatusCause> validate(ObjectNode object, ObjectNode old) {
        return List.of();
    }

    /** Releases what {@link #prepareForCreate} allocated, once the object is gone. Idempotent. */
    default void afterDelete(ObjectNode object, AdmissionContext context) {}

    /**
     * Called once an update is stored: releases what {@code old} held and {@code stored} no longer
     * does (e.g. a node port removed from a Service). Never called on a dry run. Idempotent.
     */
    default void afterUpdate(ObjectNode stored, ObjectNode old, AdmissionContext context) {}

    /**
     * Called when the write that followed {@link #prepareForCreate} or {@link #prepareForUpdate}
     * did not happen (a conflict, an existing name, a failed validation): releases what that call
     * claimed, i.e. what {@code object} holds and {@code old} (null on create) does not. Idempotent.
     */
    default void abortWrite(ObjectNode object, ObjectNode old, AdmissionContext context) {}
}
