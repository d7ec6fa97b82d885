package io.kube4j.machinery.events;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * Records core/v1 Events about objects, as client-go's event recorder does: what {@code kubectl
 * describe} shows under Events. Recording never fails the caller and may be asynchronous: an
 * event that cannot be written is dropped (events are advisory).
 */
public interface EventRecorder {

    String NORMAL = "Normal";
    String WARNING = "Warning";

    /** Records that {@code reason} happened to {@code object}; {@code type} is {@link #NORMAL} or {@link #WARNING}. */
    void event(HasMetadata object, String type, String reason, String message);

    /**
     * Records an event about a part of {@code object}: {@code fieldPath} names it as the event's
     * {@code involvedObject.fieldPath}, e.g. {@code spec.containers{web}} for a pod's container (the
     * kubelet's events). A recorder that keeps no field paths records the event about the object.
     */
    default void event(HasMetadata object, String fieldPath, String type, String reason, String message) {
        event(object, type, reason, message);
    }

    /** A recorder that records nothing. */
    EventRecorder NONE = (object, type, reason, message) -> { };
}
