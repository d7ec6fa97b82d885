package io.kube4j.gateway.protobuf;

import com.google.protobuf.ByteString;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.machinery.registry.ResourceType;
import io.kubernetes.client.proto.Meta;
import io.kubernetes.client.proto.Runtime;
import io.kubernetes.client.proto.V1;
import io.kubernetes.client.proto.V1Apps;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.FieldSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProtobufCodecTest {

    private static final ProtobufCodec CODEC = new ProtobufCodec();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static ObjectNode fixture(String name) throws IOException {
        try (InputStream in = ProtobufCodecTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return (ObjectNode) JSON.readTree(in);
        }
    }

    /** Objects in the form Go's encoding/json gives them, each using some type with its own JSON form. */
    @ParameterizedTest
    @ValueSource(strings = {
            "event.json",             // MicroTime, Time, int32
            "lease.json",             // MicroTime with microseconds, pointer int32 zero, owner references
            "controllerrevision.json",// RawExtension holding JSON, FieldsV1, managedFields time
            "secret.json",            // bytes map (base64, binary, empty), pointer bool false, empty annotation
            "crd.json",               // JSONSchemaProps: $ref-style names, x-kubernetes-*, JSON, OrBool, OrArray, OrStringArray
            "deleteoptions.json",     // meta kind under a group version, pointer int64 zero, preconditions
            "status.json",            // Status with details and causes
            "configmaplist.json",     // a List kind with ListMeta, items without TypeMeta, deletion fields
            "node.json",              // Quantity maps, conditions, int64 beyond 32 bits, field named Port
            "hpa.json",               // autoscaling/v2 metrics with Quantity and pointer int32 zero
            "eviction.json",          // policy/v1 Eviction embedding DeleteOptions without TypeMeta
            "list.json",              // core v1 List: items are RawExtensions, custom resources among them
            "csr.json",               // bytes fields (request, certificate), map of ExtraValue arrays incl. an empty one
    })
    void roundTripsEveryKindOfField(String name) throws IOException {
        ObjectNode object = fixture(name);

        byte[] encoded = CODEC.encode(object);
        ObjectNode decoded = CODEC.decode(encoded);

        assertThat(encoded).startsWith('k', '8', 's', 0);
        assertThat(decoded).isEqualTo(object);
    }

    @Test
    void timesAreRfc3339InUtcAndMicroTimesKeepMicroseconds() {
        V1.Event event = V1.Event.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("e")
                        .setCreationTimestamp(Meta.Time.newBuilder().setSeconds(1704164645L).setNanos(987_654_321)))
                .setEventTime(Meta.MicroTime.newBuilder().setSeconds(1704164645L).setNanos(123_456_789))
                .build();

        ObjectNode json = CODEC.decode(frame("v1", "Event", event.toByteString()));

        // Time's JSON carries whole seconds; MicroTime's six digits, truncated.
        assertThat(json.at("/metadata/creationTimestamp").stringValue()).isEqualTo("2024-01-02T03:04:05Z");
        assertThat(json.at("/eventTime").stringValue()).isEqualTo("2024-01-02T03:04:05.123456Z");
        // Go's zero times, absent on the wire, are null.
        assertThat(json.at("/firstTimestamp").isNull()).isTrue();
    }

    @Test
    void rawExtensionHoldingAProtobufObjectIsDecodedToo() {
        byte[] inner = CODEC.encode(JSON.readTree("""
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"inner","creationTimestamp":null},"data":{"k":"v"}}"""));
        V1Apps.ControllerRevision revision = V1Apps.ControllerRevision.newBuilder()
                .setMetadata(Meta.ObjectMeta.newBuilder().setName("rev"))
                .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(inner)))
                .setRevision(1)
                .build();

        ObjectNode json = CODEC.decode(frame("apps/v1", "ControllerRevision", revision.toByteString()));

        assertThat(json.at("/data/kind").stringValue()).isEqualTo("ConfigMap");
        assertThat(json.at("/data/data/k").stringValue()).isEqualTo("v");
    }

    @Test
    void pointerZerosAreKeptAndOmitEmptyZerosDropped() {
        V1.PodSpec spec = V1.PodSpec.newBuilder()
                .addContainers(V1.Container.newBuilder().setName("c").setImage("busybox")
                        .setStdin(false)                    // bool, omitempty: dropped
                        .setWorkingDir("")                  // string, omitempty: dropped
                        .setSecurityContext(V1.SecurityContext.newBuilder()
                                .setRunAsUser(0)            // *int64: kept
                                .setAllowPrivilegeEscalation(false))) // *bool: kept
                .setTerminationGracePeriodSeconds(0)        // *int64: kept
                .setHostNetwork(false)                      // bool, omitempty: dropped
                .build();
        V1.Pod pod = V1.Pod.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("p")).setSpec(spec).build();

        ObjectNode json = CODEC.decode(frame("v1", "Pod", pod.toByteString()));

        JsonNode container = json.at("/spec/containers/0");
        assertThat(container.has("stdin")).isFalse();
        assertThat(container.has("workingDir")).isFalse();
        assertThat(container.at("/securityContext/runAsUser").isIntegralNumber()).isTrue();
        assertThat(container.at("/securityContext/allowPrivilegeEscalation").isBoolean()).isTrue();
        assertThat(json.at("/spec/terminationGracePeriodSeconds").intValue()).isZero();
        assertThat(json.at("/spec").has("hostNetwork")).isFalse();
        // a struct value is never omitted by Go, a nil slice without omitempty is null
        assertThat(container.at("/resources").isObject()).isTrue();
        assertThat(json.at("/status").isObject()).isTrue();
    }

    @Test
    void inlinedStructsArePromotedIntoTheirParent() throws IOException {
        ObjectNode pod = (ObjectNode) JSON.readTree("""
                {"kind":"Pod","apiVersion":"v1","metadata":{"name":"p","creationTimestamp":null},
                 "spec":{"volumes":[{"name":"cfg","configMap":{"name":"settings","items":[{"key":"a","path":"a.txt"}]}},
                                    {"name":"scratch","emptyDir":{"sizeLimit":"1Gi"}}],
                  "containers":[{"name":"c","image":"busybox","resources":{},
                    "env":[{"name":"A","valueFrom":{"configMapKeyRef":{"name":"settings","key":"a"}}}],
                    "livenessProbe":{"httpGet":{"path":"/healthz","port":"http"},"periodSeconds":10}}]},
                 "status":{}}""");

        byte[] encoded = CODEC.encode(pod);
        V1.Pod parsed = V1.Pod.parseFrom(Runtime.Unknown.parseFrom(Arrays.copyOfRange(encoded, 4, encoded.length)).getRaw());

        // JSON's volume.configMap is the protobuf's volume.volumeSource.configMap
        assertThat(parsed.getSpec().getVolumes(0).getVolumeSource().getConfigMap().getLocalObjectReference().getName())
                .isEqualTo("settings");
        assertThat(parsed.getSpec().getContainers(0).getLivenessProbe().getHandler().getHttpGet().getPort().getStrVal())
                .isEqualTo("http");
        assertThat(CODEC.decode(encoded)).isEqualTo(pod);
    }

    /** Every stored built-in kind (each has a List kind); the review kinds have no lists. */
    static final List<ResourceType> BUILT_IN = BuiltInTypes.ALL.stream().filter(t -> !BuiltInTypes.REVIEWS.contains(t)).toList();

    @ParameterizedTest
    @FieldSource("BUILT_IN")
    void supportsEveryBuiltInKindAndItsList(ResourceType type) {
        assertThat(CODEC.supports(type.apiVersion(), type.kind())).isTrue();
        assertThat(CODEC.supports(type.apiVersion(), type.listKind())).isTrue();
        assertThat(CODEC.supports(type.apiVersion(), "DeleteOptions")).isTrue();

        ObjectNode minimal = JSON.createObjectNode();
        minimal.put("kind", type.kind()).put("apiVersion", type.apiVersion());
        minimal.putObject("metadata").put("name", "x");
        ObjectNode decoded = CODEC.decode(CODEC.encode(minimal));
        assertThat(decoded.at("/metadata/name").stringValue()).isEqualTo("x");
        assertThat(decoded.at("/kind").stringValue()).isEqualTo(type.kind());
        // decoding is a fixed point: Go's normal form survives another round trip unchanged
        assertThat(CODEC.decode(CODEC.encode(decoded))).isEqualTo(decoded);
    }

    @ParameterizedTest
    @MethodSource("unsupportedKinds")
    void customResourcesAndUnknownKindsHaveNoProtobufForm(String apiVersion, String kind) {
        assertThat(CODEC.supports(apiVersion, kind)).isFalse();
        ObjectNode object = JSON.createObjectNode().put("apiVersion", apiVersion).put("kind", kind);

        assertThatThrownBy(() -> CODEC.encode(object))
                .isInstanceOfSatisfying(UnsupportedKindException.class, e -> {
                    assertThat(e.code()).isEqualTo(406);
                    assertThat(e.objectKind()).isEqualTo(kind);
                });
        assertThatThrownBy(() -> CODEC.decode(frame(apiVersion, kind, ByteString.EMPTY)))
                .isInstanceOfSatisfying(UnsupportedKindException.class, e -> assertThat(e.code()).isEqualTo(415));
    }

    static Stream<Arguments> unsupportedKinds() {
        return Stream.of(
                Arguments.of("example.com/v1", "Widget"),
                Arguments.of("v1", "Widget"),
                Arguments.of("apps/v1", "ConfigMap"),    // a core kind under the wrong group
                Arguments.of("v1", "PodSpec"));          // a message that is not a kind
    }

    record BadBody(String name, byte[] body, int code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<BadBody> badBodies() {
        byte[] configMap = V1.ConfigMap.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("c")).build().toByteArray();
        byte[] valid = frame("v1", "ConfigMap", ByteString.copyFrom(configMap));
        byte[] garbage = new byte[64];
        for (int i = 0; i < garbage.length; i++) garbage[i] = (byte) (i * 37 + 11);
        return Stream.of(
                new BadBody("empty", new byte[0], 400),
                new BadBody("magic only, no kind", "k8s\0".getBytes(StandardCharsets.ISO_8859_1), 400),
                new BadBody("JSON instead of protobuf", "{\"kind\":\"ConfigMap\"}".getBytes(StandardCharsets.UTF_8), 400),
                new BadBody("wrong magic", concat("k9s\0".getBytes(StandardCharsets.ISO_8859_1),
                        Arrays.copyOfRange(valid, 4, valid.length)), 400),
                new BadBody("garbage after the magic", concat("k8s\0".getBytes(StandardCharsets.ISO_8859_1), garbage), 400),
                new BadBody("truncated", Arrays.copyOf(valid, valid.length - 3), 400),
                new BadBody("garbage raw", frame("v1", "ConfigMap", ByteString.copyFrom(garbage)), 400),
                new BadBody("invalid JSON in a RawExtension", frame("apps/v1", "ControllerRevision",
                        V1Apps.ControllerRevision.newBuilder()
                                .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFromUtf8("{not json")))
                                .build().toByteString()), 400),
                new BadBody("objects nested without end", nestedRevisions(40), 400),
                new BadBody("gzip content encoding", Bytes.withMagic(Runtime.Unknown.newBuilder()
                        .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion("v1").setKind("ConfigMap"))
                        .setRaw(ByteString.copyFrom(configMap)).setContentEncoding("gzip").build().toByteArray()), 400),
                new BadBody("unknown kind", frame("v1", "Gadget", ByteString.copyFrom(configMap)), 415));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void malformedBodiesAreClientErrors(BadBody bad) {
        assertThatThrownBy(() -> CODEC.decode(bad.body()))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(bad.code()));
    }

    /** Corrupted variants of a real body: each decodes or is refused with a Status, nothing else escapes. */
    @Test
    void corruptedBodiesYieldStatusesOrObjectsButNeverOtherExceptions() throws IOException {
        byte[] valid = CODEC.encode(fixture("deployment-rich.json"));
        java.util.Random random = new java.util.Random(20241125L);
        int refused = 0;
        for (int round = 0; round < 500; round++) {
            byte[] body = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int i = 0; i < flips; i++) {
                body[4 + random.nextInt(body.length - 4)] = (byte) random.nextInt(256);
            }
            if (random.nextInt(4) == 0) body = Arrays.copyOf(body, 4 + random.nextInt(body.length - 4));
            try {
                assertThat(CODEC.decode(body)).isNotNull();
            } catch (ApiException e) {
                assertThat(e.code()).isIn(400, 415);
                refused++;
            }
        }
        assertThat(refused).isPositive();
    }

    @Test
    void oversizedBodiesAreRefused() {
        ProtobufCodec small = new ProtobufCodec(64);
        V1.ConfigMap big = V1.ConfigMap.newBuilder().setMetadata(Meta.ObjectMeta.newBuilder().setName("c"))
                .putData("k", "v".repeat(100)).build();

        assertThatThrownBy(() -> small.decode(frame("v1", "ConfigMap", big.toByteString())))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(413));
    }

    @Test
    void watchEventsCarryTheProtobufObject() throws IOException {
        ObjectNode configMap = (ObjectNode) JSON.readTree("""
                {"kind":"ConfigMap","apiVersion":"v1","metadata":{"name":"w","resourceVersion":"9","creationTimestamp":null},"data":{"a":"1"}}""");

        byte[] frame = ProtobufCodec.lengthPrefixed(CODEC.encodeWatchEvent("MODIFIED", configMap));
        int length = java.nio.ByteBuffer.wrap(frame).getInt();
        assertThat(length).isEqualTo(frame.length - 4);
        ObjectNode event = CODEC.decode(Arrays.copyOfRange(frame, 4, frame.length));

        assertThat(event.at("/kind").stringValue()).isEqualTo("WatchEvent");
        assertThat(event.at("/type").stringValue()).isEqualTo("MODIFIED");
        assertThat(event.at("/object")).isEqualTo(configMap);
    }

    @Test
    void knowsTheKindsOfEveryGroupVersionOfTheGeneratedClasses() {
        assertThat(CODEC.kinds()).containsKeys("v1", "apps/v1", "batch/v1", "autoscaling/v2", "networking.k8s.io/v1",
                "rbac.authorization.k8s.io/v1", "apiextensions.k8s.io/v1", "meta.k8s.io/v1", "policy/v1");
        assertThat(CODEC.kinds().get("v1")).contains("Pod", "PodList", "Binding", "List")
                .doesNotContain("PodSpec", "Container", "ObjectMeta");
    }

    private static byte[] frame(String apiVersion, String kind, ByteString raw) {
        return Bytes.withMagic(Runtime.Unknown.newBuilder()
                .setTypeMeta(Runtime.TypeMeta.newBuilder().setApiVersion(apiVersion).setKind(kind))
                .setRaw(raw).build().toByteArray());
    }

    private static byte[] nestedRevisions(int depth) {
        byte[] body = frame("v1", "ConfigMap", ByteString.EMPTY);
        for (int i = 0; i < depth; i++) {
            body = frame("apps/v1", "ControllerRevision", V1Apps.ControllerRevision.newBuilder()
                    .setData(Runtime.RawExtension.newBuilder().setRaw(ByteString.copyFrom(body))).build().toByteString());
        }
        return body;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static final class Bytes {
        static byte[] withMagic(byte[] unknown) {
            return concat("k8s\0".getBytes(StandardCharsets.ISO_8859_1), unknown);
        }
    }
}
