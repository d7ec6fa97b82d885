package io.kube4j.machinery.events;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The {@link EventRecorder} of tests: keeps each event as {@code "Normal SuccessfulCreate default/web: message"}. */
public final class RecordingEventRecorder implements EventRecorder {

    private final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void event(HasMetadata object, String type, String reason, String message) {
        String ns = object.getMetadata().getNamespace();
        events.add(type + " " + reason + " " + (ns == null || ns.isEmpty() ? "" : ns + "/") + object.getMetadata().getName() + ": " + message);
    }

    /** Kept as {@code "Warning BackOff default/web spec.containers{c}: message"}. */
    @Override
    public void event(HasMetadata object, String fieldPath, String type, String reason, String message) {
        if (fieldPath == null || fieldPath.isEmpty()) {
            event(object, type, reason, message);
            return;
        }
        String ns = object.getMetadata().getNamespace();
        events.add(type + " " + reason + " " + (ns == null || ns.isEmpty() ? "" : ns + "/") + object.getMetadata().getName()
                + " " + fieldPath + ": " + message);
    }

    public List<String> events() {
        return List.copyOf(events);
    }

    public void clear() {
        events.clear();
    }
}
