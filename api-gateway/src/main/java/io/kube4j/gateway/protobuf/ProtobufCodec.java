package io.kube4j.gateway.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.kube4j.machinery.errors.ApiException;
import io.kubernetes.client.proto.Runtime;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Kubernetes' protobuf wire format ({@value #MEDIA_TYPE}) for the built-in kinds: a body is the
 * four bytes {@code k8s\0} followed by a {@code runtime.Unknown} whose {@code typeMeta} names the
 * kind and whose {@code raw} holds the kind's own message.
 *
 * <p>{@link #decode} yields the JSON tree kube-apiserver's JSON encoding gives the same object, so the
 * rest of the gateway handles one representation; {@link #encode} is its inverse for answering
 * clients that accept only protobuf. The kinds known are those of the generated classes of
 * {@code io.kubernetes:client-java-proto} (every group version they cover, with their List kinds
 * and the {@code meta.k8s.io/v1} options and Status kinds); custom resources have none.
 *
 * <p>Thread-safe and stateless after construction (building it reads the descriptors once, so share
 * one instance, e.g. as a bean). Client mistakes surface as {@link ApiException}s carrying a
 * Kubernetes Status: 400 for a malformed body, 413 for an oversized one, 415/406 (an
 * {@link UnsupportedKindException}) for a kind without protobuf form; no other exception escapes
 * {@code decode}.
 */
public final class ProtobufCodec {

    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";
    /** kube-apiserver's own limit on a request body. */
    public static final int DEFAULT_MAX_BODY_BYTES = 3 * 1024 * 1024;

    private static final byte[] MAGIC = {'k', '8', 's', 0};
    /** Objects embedded in objects (RawExtension holding a framed object) deeper than this are refused. */
    private static final int MAX_NESTING = 8;
    private static final int PROTOBUF_RECURSION_LIMIT = 100;
    /** Bodies are parsed as dynamic messages: see {@link KindCatalog} on the generated classes. */
    private static final Message UNKNOWN = DynamicMessage.getDefaultInstance(Runtime.Unknown.getDescriptor());

    private final int maxBodyBytes;
    private final KindCatalog catalog;
    private final ProtoToJson toJson;
    private final JsonToProto toProto;

    /** A codec with kube-apiserver's 3 MiB body limit. */
    public ProtobufCodec() {
        this(DEFAULT_MAX_BODY_BYTES);
    }

    public ProtobufCodec(int maxBodyBytes) {
        if (maxBodyBytes < MAGIC.length) throw new IllegalArgumentException("maxBodyBytes too small: " + maxBodyBytes);
        this.maxBodyBytes = maxBodyBytes;
        GoJsonShapes shapes = GoJsonShapes.load();
        JsonMapper json = JsonMapper.builder().build();
        this.catalog = KindCatalog.build(shapes);
        this.toJson = new ProtoToJson(shapes, json, this::decode);
        this.toProto = new JsonToProto(shapes, json);
    }

    /** Whether objects of this kind have a protobuf form. */
    public boolean supports(String apiVersion, String kind) {
        return catalog.find(apiVersion, kind).isPresent();
    }

    /**
     * The object in a protobuf body, as Kubernetes JSON with {@code kind} and {@code apiVersion} set.
     *
     * @throws ApiException 400 when the body is not a well-formed Kubernetes protobuf message, 413
     *                      when it exceeds the limit, 415 ({@link UnsupportedKindException}) when its
     *                      kind has no protobuf form
     */
    public ObjectNode decode(byte[] body) {
        if (body == null || !hasMagic(body)) {
            throw ApiException.badRequest("the body is not a Kubernetes protobuf message: it lacks the \"k8s\\x00\" prefix");
        }
        if (body.length > maxBodyBytes) {
            throw ApiException.tooLarge("the request body is " + body.length + " bytes, more than the limit of "
                    + maxBodyBytes);
        }
        try {
            return decode(body, 0);
        } catch (ApiException e) {
            throw e;
        } catch (MalformedBodyException e) {
            throw ApiException.badRequest("malformed protobuf body: " + e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            throw ApiException.badRequest("malformed protobuf body: " + e);
        }
    }

    private ObjectNode decode(byte[] framed, int depth) {
        if (depth > MAX_NESTING) throw new MalformedBodyException("objects nested more than " + MAX_NESTING + " deep");
        Envelope unknown = Envelope.of(parse(UNKNOWN, framed, MAGIC.length));
        String apiVersion = unknown.apiVersion();
        String kind = unknown.kind();
        if (kind.isEmpty()) throw new MalformedBodyException("Object 'Kind' is missing");
        if (!unknown.contentEncoding().isEmpty()) {
            throw new MalformedBodyException("unsupported contentEncoding \"" + unknown.contentEncoding() + "\"");
        }
        if (!unknown.contentType().isEmpty() && !unknown.contentType().equals(MEDIA_TYPE)) {
            throw new MalformedBodyException("unsupported contentType \"" + unknown.contentType() + "\"");
        }
        KindCatalog.Binding binding = catalog.find(apiVersion, kind)
                .orElseThrow(() -> UnsupportedKindException.forDecode(apiVersion, kind));
        Message message = parse(binding.prototype(), unknown.raw(), 0);
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        object.put("kind", kind);
        object.put("apiVersion", apiVersion);
        object.setAll(toJson.object(message, depth));
        return object;
    }

    /** The fields of a parsed {@code runtime.Unknown}. */
    private record Envelope(String apiVersion, String kind, byte[] raw, String contentEncoding, String contentType) {
        static Envelope of(Message unknown) {
            Descriptor type = unknown.getDescriptorForType();
            Message typeMeta = (Message) unknown.getField(type.findFieldByName("typeMeta"));
            Descriptor typeMetaType = typeMeta.getDescriptorForType();
            return new Envelope(
                    (String) typeMeta.getField(typeMetaType.findFieldByName("apiVersion")),
                    (String) typeMeta.getField(typeMetaType.findFieldByName("kind")),
                    ((ByteString) unknown.getField(type.findFieldByName("raw"))).toByteArray(),
                    (String) unknown.getField(type.findFieldByName("contentEncoding")),
                    (String) unknown.getField(type.findFieldByName("contentType")));
        }
    }

    @SuppressWarnings("unchecked")
    private <M extends Message> M parse(M prototype, byte[] bytes, int offset) {
        CodedInputStream input = CodedInputStream.newInstance(bytes, offset, bytes.length - offset);
        input.setRecursionLimit(PROTOBUF_RECURSION_LIMIT);
        input.setSizeLimit(maxBodyBytes);
        try {
            return (M) prototype.getParserForType().parseFrom(input);
        } catch (InvalidProtocolBufferException e) {
            throw new MalformedBodyException(e.getMessage());
        }
    }

    /**
     * The protobuf body of a built-in object ({@code k8s\0} + Unknown): the inverse of {@link #decode}.
     *
     * @throws UnsupportedKindException (406) when the kind has no protobuf form
     * @throws ApiException             500 when the object does not fit its kind's schema
     */
    public byte[] encode(JsonNode object) {
        if (object == null || !object.isObject()) throw ApiException.internal("only an object can be encoded as protobuf");
        String apiVersion = object.path("apiVersion").asString("");
        String kind = object.path("kind").asString("");
        KindCatalog.Binding binding = catalog.find(apiVersion, kind)
                .orElseThrow(() -> UnsupportedKindException.forEncode(apiVersion, kind));
        Message.Builder builder = binding.prototype().newBuilderForType();
        try {
            toProto.fill(builder, object, kind);
        } catch (MalformedBodyException e) {
            throw ApiException.internal("cannot encode " + kind + " as protobuf: " + e.getMessage());
        }
        return frame(apiVersion, kind, builder.build().toByteString());
    }

    /**
     * One event of a protobuf watch stream: a {@code WatchEvent} (framed like any object) whose
     * {@code object} holds the protobuf-encoded object. The stream writes each event after its
     * length as a 4-byte big-endian integer.
     *
     * @param type ADDED, MODIFIED, DELETED, BOOKMARK or ERROR
     */
    public byte[] encodeWatchEvent(String type, JsonNode object) {
        byte[] embedded = encode(object);
        String apiVersion = object.path("apiVersion").asString("");
        io.kubernetes.client.proto.Meta.WatchEvent event = io.kubernetes.client.proto.Meta.WatchEvent.newBuilder()
                .setType(type)
                .setObject(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(embedded)))
                .build();
        return frame(apiVersion, "WatchEvent", event.toByteString());
    }

    /**
     * One frame of a protobuf watch stream ({@code application/vnd.kubernetes.protobuf;stream=watch}):
     * the event's length as a 4-byte big-endian integer, then the event.
     */
    public static byte[] lengthPrefixed(byte[] event) {
        byte[] frame = new byte[4 + event.length];
        java.nio.ByteBuffer.wrap(frame).putInt(event.length).put(event);
        return frame;
    }

    private static byte[] frame(String apiVersion, String kind, ByteString raw) {
        Runtime.Unknown unknown = Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw)
                .setContentEncoding("")
                .setContentType("")
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream(MAGIC.length + unknown.getSerializedSize());
        out.writeBytes(MAGIC);
        try {
            unknown.writeTo(out);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toByteArray();
    }

    static boolean hasMagic(byte[] bytes) {
        if (bytes.length < MAGIC.length) return false;
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) return false;
        }
        return true;
    }

    /** The kinds this codec knows, by apiVersion, for discovery and diagnostics. */
    public Map<String, Set<String>> kinds() {
        Map<String, Set<String>> kinds = new TreeMap<>();
        catalog.all().forEach((version, byKind) -> kinds.put(version, Set.copyOf(byKind.keySet())));
        return Collections.unmodifiableMap(kinds);
    }
}
