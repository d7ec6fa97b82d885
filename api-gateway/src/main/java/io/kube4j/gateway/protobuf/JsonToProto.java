package io.kube4j.gateway.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Fills a protobuf message from a Kubernetes JSON object: the reverse of {@link ProtoToJson}.
 * Properties the message has no field for (such as {@code apiVersion} and {@code kind}, which
 * travel in the envelope) are ignored, as are {@code null}s. A value of the wrong JSON type is a
 * {@link MalformedBodyException}. Thread-safe: its only state is a cache of immutable lookups.
 */
final class JsonToProto {

    /** Where a JSON property of a message goes: a field, possibly inside an inlined embedded struct. */
    private record Target(FieldDescriptor inlineVia, FieldDescriptor field) {}

    private final GoJsonShapes shapes;
    private final ObjectMapper json;
    private final Map<Descriptor, Map<String, Target>> targets = new ConcurrentHashMap<>();

    JsonToProto(GoJsonShapes shapes, ObjectMapper json) {
        this.shapes = shapes;
        this.json = json;
    }

    void fill(Message.Builder builder, JsonNode object, String path) {
        if (!object.isObject()) throw new MalformedBodyException(path + ": expected an object");
        Map<String, Target> byName = targets.computeIfAbsent(builder.getDescriptorForType(), this::targetsOf);
        for (Entry<String, JsonNode> property : object.properties()) {
            Target target = byName.get(property.getKey());
            JsonNode value = property.getValue();
            if (target == null || value.isNull() || value.isMissingNode()) continue;
            if (target.inlineVia() == null) {
                setField(builder, target.field(), value, path + "." + property.getKey());
            } else {
                Message.Builder embedded = child(builder, target.inlineVia());
                setField(embedded, target.field(), value, path + "." + property.getKey());
                builder.setField(target.inlineVia(), embedded.build());
            }
        }
    }

    /** A builder for a singular message field that keeps what the field already holds. */
    private static Message.Builder child(Message.Builder builder, FieldDescriptor field) {
        Message.Builder child = builder.newBuilderForField(field);
        if (builder.hasField(field)) child.mergeFrom((Message) builder.getField(field));
        return child;
    }

    private Map<String, Target> targetsOf(Descriptor type) {
        Map<String, Target> byName = new HashMap<>();
        for (FieldDescriptor field : type.getFields()) {
            FieldShape shape = shapes.field(type.getFullName(), field.getNumber());
            if (shape == null) shape = FieldShape.byPresence(field.getName());
            if (shape.inline() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()) {
                Descriptor embedded = field.getMessageType();
                for (FieldDescriptor inner : embedded.getFields()) {
                    FieldShape innerShape = shapes.field(embedded.getFullName(), inner.getNumber());
                    String name = innerShape == null ? inner.getName() : innerShape.jsonName();
                    byName.put(name, new Target(field, inner));
                }
            } else {
                byName.put(shape.jsonName(), new Target(null, field));
            }
        }
        return Map.copyOf(byName);
    }

    private void setField(Message.Builder builder, FieldDescriptor field, JsonNode value, String path) {
        if (field.isMapField()) {
            if (!value.isObject()) throw new MalformedBodyException(path + ": expected an object");
            FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
            FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
            for (Entry<String, JsonNode> entry : value.properties()) {
                Message.Builder pair = builder.newBuilderForField(field);
                pair.setField(keyField, entry.getKey());
                // A null value keeps its key with the zero value, as Go's decoding into a map does.
                if (!entry.getValue().isNull()) {
                    pair.setField(valueField, element(pair, valueField, entry.getValue(), path + "." + entry.getKey()));
                } else if (valueField.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
                    pair.setField(valueField, pair.newBuilderForField(valueField).build());
                }
                builder.addRepeatedField(field, pair.build());
            }
            return;
        }
        if (field.isRepeated()) {
            if (!value.isArray()) throw new MalformedBodyException(path + ": expected an array");
            int index = 0;
            for (JsonNode item : value.values()) {
                builder.addRepeatedField(field, element(builder, field, item, path + "[" + index++ + "]"));
            }
            return;
        }
        builder.setField(field, element(builder, field, value, path));
    }

    /** The protobuf value of one JSON value for the field (one element of it, when repeated). */
    private Object element(Message.Builder owner, FieldDescriptor field, JsonNode value, String path) {
        return switch (field.getJavaType()) {
            case MESSAGE -> {
                Message.Builder nested = owner.newBuilderForField(field);
                message(nested, value, path);
                yield nested.build();
            }
            case STRING -> {
                if (!value.isString()) throw new MalformedBodyException(path + ": expected a string");
                yield value.stringValue();
            }
            case BOOLEAN -> {
                if (!value.isBoolean()) throw new MalformedBodyException(path + ": expected a boolean");
                yield value.booleanValue();
            }
            case INT -> {
                if (!value.isIntegralNumber() || !value.canConvertToInt()) {
                    throw new MalformedBodyException(path + ": expected a 32-bit integer");
                }
                yield value.intValue();
            }
            case LONG -> {
                if (!value.isIntegralNumber() || !value.canConvertToLong()) {
                    throw new MalformedBodyException(path + ": expected an integer");
                }
                yield value.longValue();
            }
            case DOUBLE -> {
                if (!value.isNumber()) throw new MalformedBodyException(path + ": expected a number");
                yield value.doubleValue();
            }
            case FLOAT -> {
                if (!value.isNumber()) throw new MalformedBodyException(path + ": expected a number");
                yield value.floatValue();
            }
            case BYTE_STRING -> {
                if (!value.isString()) throw new MalformedBodyException(path + ": expected a base64 string");
                try {
                    yield ByteString.copyFrom(Base64.getDecoder().decode(value.stringValue()));
                } catch (IllegalArgumentException e) {
                    throw new MalformedBodyException(path + ": illegal base64 data");
                }
            }
            case ENUM -> throw new MalformedBodyException(path + ": enums are not part of Kubernetes' protobuf");
        };
    }

    private void message(Message.Builder builder, JsonNode value, String path) {
        Descriptor type = builder.getDescriptorForType();
        WellKnown special = WellKnown.of(type, shapes);
        if (special == null) {
            fill(builder, value, path);
            return;
        }
        switch (special) {
            case TIME, MICRO_TIME -> {
                if (value.isNull()) return;
                if (!value.isString()) throw new MalformedBodyException(path + ": expected an RFC 3339 time");
                Instant instant;
                try {
                    instant = GoFormats.parseTime(value.stringValue());
                } catch (IllegalArgumentException e) {
                    throw new MalformedBodyException(path + ": " + e.getMessage());
                }
                builder.setField(type.findFieldByNumber(1), instant.getEpochSecond());
                // Time's JSON carries whole seconds; MicroTime's microseconds.
                int nanos = special == WellKnown.TIME ? 0 : instant.getNano() / 1000 * 1000;
                builder.setField(type.findFieldByNumber(2), nanos);
            }
            case DURATION -> {
                if (!value.isString()) throw new MalformedBodyException(path + ": expected a duration string");
                try {
                    builder.setField(type.findFieldByNumber(1), GoFormats.parseDuration(value.stringValue()));
                } catch (IllegalArgumentException e) {
                    throw new MalformedBodyException(path + ": " + e.getMessage());
                }
            }
            case QUANTITY -> {
                if (!value.isString() && !value.isNumber()) {
                    throw new MalformedBodyException(path + ": expected a quantity");
                }
                builder.setField(type.findFieldByNumber(1), value.isString() ? value.stringValue() : value.asString());
            }
            case INT_OR_STRING -> {
                if (value.isIntegralNumber() && value.canConvertToInt()) {
                    builder.setField(type.findFieldByNumber(1), 0L);
                    builder.setField(type.findFieldByNumber(2), value.intValue());
                } else if (value.isString()) {
                    builder.setField(type.findFieldByNumber(1), 1L);
                    builder.setField(type.findFieldByNumber(3), value.stringValue());
                } else {
                    throw new MalformedBodyException(path + ": expected an integer or a string");
                }
            }
            case RAW_JSON -> {
                if (!value.isNull()) {
                    builder.setField(type.findFieldByNumber(1), ByteString.copyFrom(json.writeValueAsBytes(value)));
                }
            }
            case SCHEMA_OR_BOOL -> {
                FieldDescriptor allows = type.findFieldByName("allows");
                if (value.isBoolean()) {
                    builder.setField(allows, value.booleanValue());
                } else {
                    builder.setField(allows, true);
                    FieldDescriptor schema = type.findFieldByName("schema");
                    Message.Builder nested = builder.newBuilderForField(schema);
                    fill(nested, value, path);
                    builder.setField(schema, nested.build());
                }
            }
            case SCHEMA_OR_ARRAY, SCHEMA_OR_STRING_ARRAY -> {
                if (value.isArray()) {
                    setField(builder, type.findFieldByNumber(2), value, path);
                } else {
                    FieldDescriptor schema = type.findFieldByName("schema");
                    Message.Builder nested = builder.newBuilderForField(schema);
                    fill(nested, value, path);
                    builder.setField(schema, nested.build());
                }
            }
            case ARRAY_WRAPPER -> setField(builder, type.getFields().getFirst(), value, path);
        }
    }
}
