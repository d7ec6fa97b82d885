package io.kube4j.gateway.admission;

import io.kube4j.machinery.errors.StatusCause;
import io.kube4j.machinery.object.JsonTree;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Events (core v1): the zero values kube-apiserver always prints ({@code eventTime: null},
 * {@code firstTimestamp}/{@code lastTimestamp: null}, empty reporting fields, {@code source: {}});
 * the involved object in the event's own namespace.
 */
@Component
public final class EventStrategy extends BaseStrategy {

    private static final List<String> TYPES = List.of("Normal", "Warning");

    public EventStrategy() {
        super("", "Event");
    }

    @Override
    public void defaults(ObjectNode event) {
        for (String time : List.of("eventTime", "firstTimestamp", "lastTimestamp")) {
            if (!event.has(time)) event.putNull(time);
        }
        Defaulting.defaultObj(event, "involvedObject");
        Defaulting.defaultObj(event, "source");
        if (!JsonTree.present(event, "reportingComponent")) event.put("reportingComponent", "");
        if (!JsonTree.present(event, "reportingInstance")) event.put("reportingInstance", "");
    }

    @Override
    public List<StatusCause> validate(ObjectNode event, ObjectNode old) {
        Causes causes = new Causes();
        String namespace = JsonTree.stringOrEmpty(JsonTree.object(event, "metadata"), "namespace");
        ObjectNode involved = JsonTree.object(event, "involvedObject");
        String involvedNamespace = JsonTree.stringOrEmpty(involved, "namespace");
        if (!involvedNamespace.isEmpty() && !namespace.isEmpty() && !involvedNamespace.equals(namespace)) {
            causes.invalid(FieldPath.of("involvedObject", "namespace"), involvedNamespace, "does not match event.namespace");
        }
        String type = JsonTree.string(event, "type");
        if (type != null && !type.isEmpty() && !TYPES.contains(type)) causes.notSupported(FieldPath.of("type"), type, TYPES);
        Long count = JsonTree.integer(event, "count");
        if (count != null) causes.nonNegative(FieldPath.of("count"), count);
        return causes.list();
    }
}
