package io.kube4j.gateway.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.Base64;
import java.util.List;

/**
 * Renders a parsed Kubernetes protobuf message as the JSON tree Go's encoding/json gives the same
 * Go struct: pointer fields appear when set (even to a zero value), {@code omitempty} fields vanish
 * when zero, other fields always appear (a nil slice or map as {@code null}, a struct as an
 * object), embedded structs are inlined, and the special types of {@link WellKnown} take their
 * own form. Stateless apart from its immutable collaborators; safe to share between threads.
 */
final class ProtoToJson {

    /** Decodes a {@code k8s\0}-framed object found inside a RawExtension. */
    interface NestedDecoder {
        JsonNode decode(byte[] framed, int depth);
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final GoJsonShapes shapes;
    private final ObjectMapper json;
    private final NestedDecoder nested;

    ProtoToJson(GoJsonShapes shapes, ObjectMapper json, NestedDecoder nested) {
        this.shapes = shapes;
        this.json = json;
        this.nested = nested;
    }

    ObjectNode object(Message message, int depth) {
        ObjectNode out = NODES.objectNode();
        fillObject(out, message, depth);
        return out;
    }

    private void fillObject(ObjectNode out, Message message, int depth) {
        Descriptor type = message.getDescriptorForType();
        for (FieldDescriptor field : type.getFields()) {
            FieldShape shape = shapes.field(type.getFullName(), field.getNumber());
            if (shape == null) shape = FieldShape.byPresence(field.getName());
            if (shape.inline() && field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && !field.isRepeated()) {
                fillObject(out, (Message) message.getField(field), depth);
                continue;
            }
            JsonNode value = field(message, field, shape, depth);
            if (value != null) out.set(shape.jsonName(), value);
        }
    }

    /** The field's JSON value, or null when Go would leave the property out. */
    private JsonNode field(Message message, FieldDescriptor field, FieldShape shape, int depth) {
        if (field.isMapField()) {
            List<?> entries = (List<?>) message.getField(field);
            if (entries.isEmpty()) return shape.omitEmpty() ? null : NODES.nullNode();
            ObjectNode map = NODES.objectNode();
            FieldDescriptor keyField = field.getMessageType().findFieldByNumber(1);
            FieldDescriptor valueField = field.getMessageType().findFieldByNumber(2);
            for (Object entry : entries) {
                Message pair = (Message) entry;
                map.set(String.valueOf(pair.getField(keyField)), element(valueField, pair.getField(valueField), depth));
            }
            return map;
        }
        if (field.isRepeated()) {
            int count = message.getRepeatedFieldCount(field);
            if (count == 0) return shape.omitEmpty() ? null : NODES.nullNode();
            ArrayNode array = NODES.arrayNode(count);
            for (int i = 0; i < count; i++) array.add(element(field, message.getRepeatedField(field, i), depth));
            return array;
        }
        boolean present = message.hasField(field);
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            if (shape.pointer() && !present) return shape.omitEmpty() ? null : NODES.nullNode();
            // A Go struct value is never omitted, not even with omitempty; an absent one is its zero value.
            return message(field.getMessageType(), (Message) message.getField(field), depth);
        }
        Object value = message.getField(field);
        if (shape.pointer()) {
            if (present) return scalar(field, value);
            return shape.omitEmpty() ? null : NODES.nullNode();
        }
        if (shape.omitEmpty() && isZero(value)) return null;
        return scalar(field, value);
    }

    private JsonNode element(FieldDescriptor field, Object value, int depth) {
        if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
            return message(field.getMessageType(), (Message) value, depth);
        }
        return scalar(field, value);
    }

    private JsonNode message(Descriptor type, Message value, int depth) {
        WellKnown special = WellKnown.of(type, shapes);
        if (special == null) return object(value, depth);
        return switch (special) {
            case TIME, MICRO_TIME -> {
                FieldDescriptor seconds = type.findFieldByNumber(1);
                FieldDescriptor nanos = type.findFieldByNumber(2);
                if (!value.hasField(seconds) && !value.hasField(nanos)) yield NODES.nullNode();
                long s = (Long) value.getField(seconds);
                int n = (Integer) value.getField(nanos);
                yield NODES.stringNode(special == WellKnown.TIME ? GoFormats.time(s, n) : GoFormats.microTime(s, n));
            }
            case DURATION -> NODES.stringNode(GoFormats.duration((Long) value.getField(type.findFieldByNumber(1))));
            case QUANTITY -> {
                FieldDescriptor string = type.findFieldByNumber(1);
                String text = (String) value.getField(string);
                yield NODES.stringNode(text.isEmpty() ? "0" : text);
            }
            case INT_OR_STRING -> {
                long kind = (Long) value.getField(type.findFieldByNumber(1));
                yield kind == 1
                        ? NODES.stringNode((String) value.getField(type.findFieldByNumber(3)))
                        : NODES.numberNode((Integer) value.getField(type.findFieldByNumber(2)));
            }
            case RAW_JSON -> raw(((ByteString) value.getField(type.findFieldByNumber(1))).toByteArray(), depth);
            case SCHEMA_OR_BOOL -> {
                FieldDescriptor schema = type.findFieldByName("schema");
                if (value.hasField(schema)) yield object((Message) value.getField(schema), depth);
                yield NODES.booleanNode((Boolean) value.getField(type.findFieldByName("allows")));
            }
            case SCHEMA_OR_ARRAY, SCHEMA_OR_STRING_ARRAY -> {
                FieldDescriptor list = type.findFieldByNumber(2);
                FieldDescriptor schema = type.findFieldByName("schema");
                if (value.getRepeatedFieldCount(list) > 0) {
                    ArrayNode array = NODES.arrayNode();
                    for (Object item : (List<?>) value.getField(list)) array.add(element(list, item, depth));
                    yield array;
                }
                yield value.hasField(schema) ? object((Message) value.getField(schema), depth) : NODES.nullNode();
            }
            case ARRAY_WRAPPER -> {
                FieldDescriptor items = type.getFields().getFirst();
                if (value.getRepeatedFieldCount(items) == 0) yield NODES.nullNode();
                ArrayNode array = NODES.arrayNode();
                for (Object item : (List<?>) value.getField(items)) array.add(element(items, item, depth));
                yield array;
            }
        };
    }

    /** Embedded bytes: JSON as it is, a protobuf-framed object decoded, nothing as {@code null}. */
    private JsonNode raw(byte[] bytes, int depth) {
        if (bytes.length == 0) return NODES.nullNode();
        if (ProtobufCodec.hasMagic(bytes)) return nested.decode(bytes, depth + 1);
        try {
            return json.readTree(bytes);
        } catch (JacksonException e) {
            throw new MalformedBodyException("embedded object is neither JSON nor protobuf: " + e.getOriginalMessage());
        }
    }

    private static JsonNode scalar(FieldDescriptor field, Object value) {
        return switch (field.getJavaType()) {
            case STRING -> NODES.stringNode((String) value);
            case BOOLEAN -> NODES.booleanNode((Boolean) value);
            case INT -> NODES.numberNode((Integer) value);
            case LONG -> {
                long number = (Long) value;
                yield number == (int) number ? NODES.numberNode((int) number) : NODES.numberNode(number);
            }
            case DOUBLE, FLOAT -> {
                double number = ((Number) value).doubleValue();
                // Go prints integral floats without a fraction, which JSON readers take as integers.
                if (number == Math.rint(number) && !Double.isInfinite(number) && Math.abs(number) < 1e15) {
                    long integral = (long) number;
                    yield integral == (int) integral ? NODES.numberNode((int) integral) : NODES.numberNode(integral);
                }
                yield NODES.numberNode(number);
            }
            case BYTE_STRING -> NODES.stringNode(Base64.getEncoder().encodeToString(((ByteString) value).toByteArray()));
            case ENUM -> NODES.stringNode(value.toString());
            case MESSAGE -> throw new IllegalStateException("message handled elsewhere");
        };
    }

    private static boolean isZero(Object value) {
        return switch (value) {
            case String s -> s.isEmpty();
            case Boolean b -> !b;
            case Integer i -> i == 0;
            case Long l -> l == 0L;
            case Double d -> d == 0.0;
            case Float f -> f == 0.0f;
            case ByteString bytes -> bytes.isEmpty();
            default -> false;
        };
    }
}
