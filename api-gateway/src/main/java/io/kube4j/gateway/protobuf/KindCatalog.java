package io.kube4j.gateway.protobuf;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which protobuf message carries which {@code apiVersion}/{@code kind}: built once by reflection
 * over the generated outer classes of client-java-proto, then read-only and shared between threads.
 *
 * <p>A message is a kind when its Go struct embeds TypeMeta (from {@link GoJsonShapes}); for
 * messages the Go declarations no longer describe (API versions removed since), a message whose
 * first field is {@code metadata} of ObjectMeta or ListMeta is taken as a kind. The options and
 * status kinds of {@code meta.k8s.io/v1} ({@code DeleteOptions}, {@code Status}, {@code WatchEvent}
 * ...) are accepted under every group version, as kube-apiserver registers them in each.
 */
final class KindCatalog {

    /** A kind and the message that carries it. */
    record Binding(String apiVersion, String kind, Message prototype) {
        Descriptor descriptor() {
            return prototype.getDescriptorForType();
        }
    }

    static final String META_PACKAGE = "k8s.io.apimachinery.pkg.apis.meta.v1";
    static final String META_API_VERSION = "meta.k8s.io/v1";
    private static final String OBJECT_META = META_PACKAGE + ".ObjectMeta";
    private static final String LIST_META = META_PACKAGE + ".ListMeta";
    private static final String PROTO_PACKAGE = "io.kubernetes.client.proto.";

    /** The generated outer classes of client-java-proto whose messages may be kinds. */
    private static final List<String> OUTER_CLASSES = List.of(
            "Meta", "V1", "V1Admission", "V1Admissionregistration", "V1Apiextensions", "V1Apps",
            "V1Authentication", "V1Authorization", "V1Autoscaling", "V1Batch", "V1Certificates", "V1Coordination",
            "V1Discovery", "V1Events", "V1Flowcontrol", "V1Networking", "V1Node", "V1Policy", "V1Rbac",
            "V1Resource", "V1Scheduling", "V1Storage", "V1alpha1Apiserverinternal", "V1alpha1Imagepolicy",
            "V1alpha1Rbac", "V1alpha1Scheduling", "V1beta1Admission", "V1beta1Admissionregistration",
            "V1beta1Apiextensions", "V1beta1Apps", "V1beta1Authentication", "V1beta1Authorization",
            "V1beta1Batch", "V1beta1Certificates", "V1beta1Extensions", "V1beta1Policy", "V1beta1Rbac",
            "V1beta1Storage", "V1beta1Storagemigration", "V1beta2Apps", "V2Apidiscovery", "V2Autoscaling",
            "V2beta1Apidiscovery", "V2beta1Autoscaling", "V2beta2Autoscaling");

    /** API groups whose name is not the proto package's group segment. */
    private static final Map<String, String> GROUPS = Map.ofEntries(
            Map.entry("core", ""),
            Map.entry("apps", "apps"),
            Map.entry("batch", "batch"),
            Map.entry("autoscaling", "autoscaling"),
            Map.entry("policy", "policy"),
            Map.entry("extensions", "extensions"),
            Map.entry("admission", "admission.k8s.io"),
            Map.entry("admissionregistration", "admissionregistration.k8s.io"),
            Map.entry("apidiscovery", "apidiscovery.k8s.io"),
            Map.entry("apiserverinternal", "internal.apiserver.k8s.io"),
            Map.entry("authentication", "authentication.k8s.io"),
            Map.entry("authorization", "authorization.k8s.io"),
            Map.entry("certificates", "certificates.k8s.io"),
            Map.entry("coordination", "coordination.k8s.io"),
            Map.entry("discovery", "discovery.k8s.io"),
            Map.entry("events", "events.k8s.io"),
            Map.entry("flowcontrol", "flowcontrol.apiserver.k8s.io"),
            Map.entry("imagepolicy", "imagepolicy.k8s.io"),
            Map.entry("networking", "networking.k8s.io"),
            Map.entry("node", "node.k8s.io"),
            Map.entry("rbac", "rbac.authorization.k8s.io"),
            Map.entry("resource", "resource.k8s.io"),
            Map.entry("scheduling", "scheduling.k8s.io"),
            Map.entry("storage", "storage.k8s.io"),
            Map.entry("storagemigration", "storagemigration.k8s.io"),
            Map.entry("apiextensions", "apiextensions.k8s.io"));

    /** meta.k8s.io/v1 kinds served under every group version. */
    private static final List<String> SHARED_META_KINDS = List.of(
            "DeleteOptions", "CreateOptions", "UpdateOptions", "PatchOptions", "ApplyOptions", "GetOptions",
            "ListOptions", "Status", "WatchEvent", "TableOptions");

    private final Map<String, Map<String, Binding>> byApiVersion;
    private final Map<String, Binding> sharedMeta;

    private KindCatalog(Map<String, Map<String, Binding>> byApiVersion, Map<String, Binding> sharedMeta) {
        this.byApiVersion = byApiVersion;
        this.sharedMeta = sharedMeta;
    }

    static KindCatalog build(GoJsonShapes shapes) {
        Map<String, Map<String, Binding>> byApiVersion = new HashMap<>();
        for (String outer : OUTER_CLASSES) {
            FileDescriptor file = fileDescriptor(PROTO_PACKAGE + outer);
            String apiVersion = apiVersionOf(file.getPackage());
            if (apiVersion == null) continue;
            for (Descriptor message : file.getMessageTypes()) {
                if (isKind(message, shapes)) {
                    byApiVersion.computeIfAbsent(apiVersion, v -> new HashMap<>())
                            .put(message.getName(), new Binding(apiVersion, message.getName(),
                                    prototype(message)));
                }
            }
        }
        Map<String, Binding> meta = byApiVersion.getOrDefault(META_API_VERSION, Map.of());
        Map<String, Binding> shared = new HashMap<>();
        for (String kind : SHARED_META_KINDS) {
            Binding binding = meta.get(kind);
            if (binding != null) shared.put(kind, binding);
        }
        byApiVersion.replaceAll((v, kinds) -> Map.copyOf(kinds));
        return new KindCatalog(Map.copyOf(byApiVersion), Map.copyOf(shared));
    }

    /** The message for this kind, if one exists. */
    Optional<Binding> find(String apiVersion, String kind) {
        if (apiVersion == null || kind == null) return Optional.empty();
        Binding binding = byApiVersion.getOrDefault(apiVersion, Map.of()).get(kind);
        if (binding == null) {
            Binding shared = sharedMeta.get(kind);
            // Status travels as apiVersion v1 and the options kinds under the resource's group version.
            if (shared != null) binding = new Binding(apiVersion, kind, shared.prototype());
        }
        return Optional.ofNullable(binding);
    }

    /** Every apiVersion with at least one kind, for diagnostics and tests. */
    Map<String, Map<String, Binding>> all() {
        return byApiVersion;
    }

    private static boolean isKind(Descriptor message, GoJsonShapes shapes) {
        if (message.getFullName().equals(META_PACKAGE + ".WatchEvent")) return true;
        if (shapes.knows(message.getFullName())) return shapes.isKind(message.getFullName());
        if (message.getFields().isEmpty()) return false;
        FieldDescriptor first = message.getFields().getFirst();
        return first.getName().equals("metadata") && first.getType() == FieldDescriptor.Type.MESSAGE
                && (first.getMessageType().getFullName().equals(OBJECT_META)
                || first.getMessageType().getFullName().equals(LIST_META));
    }

    /** {@code k8s.io.api.apps.v1} → {@code apps/v1}; null for packages that hold no kinds. */
    static String apiVersionOf(String protoPackage) {
        if (protoPackage.equals(META_PACKAGE)) return META_API_VERSION;
        String[] parts = protoPackage.split("\\.");
        if (parts.length < 2) return null;
        String group = GROUPS.get(parts[parts.length - 2]);
        if (group == null) return null;
        if (!protoPackage.startsWith("k8s.io.api.") && !protoPackage.startsWith("k8s.io.apiextensions_apiserver.")) {
            return null;
        }
        String version = parts[parts.length - 1];
        return group.isEmpty() ? version : group + "/" + version;
    }

    private static FileDescriptor fileDescriptor(String outerClass) {
        try {
            return (FileDescriptor) Class.forName(outerClass).getMethod("getDescriptor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("client-java-proto lacks " + outerClass, e);
        }
    }

    /**
     * A dynamic message over the generated descriptor. The generated message classes of
     * client-java-proto predate protobuf 22 and parse through a path the protobuf runtime flags as
     * vulnerable to denial of service; the dynamic form parses with the current runtime's code and
     * spares loading hundreds of classes.
     */
    private static Message prototype(Descriptor message) {
        return DynamicMessage.getDefaultInstance(message);
    }
}
