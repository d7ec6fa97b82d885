package io.kube4j.gateway.admission;

import io.kube4j.machinery.object.JsonTree;
import io.kube4j.machinery.quantity.Quantity;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * kube-apiserver's defaulting of a {@code PodSpec}, shared by Pods and the pod template of every
 * workload kind. Pure, idempotent, in place.
 *
 * <p>A few defaults apply to Pods only, as in Kubernetes (so that templates do not change on
 * upgrade): {@code enableServiceLinks}, requests copied from limits, host ports on host network.
 */
final class PodSpecDefaults {

    private PodSpecDefaults() {}

    static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";
    private static final Set<String> NON_SOURCE_VOLUME_FIELDS = Set.of("name");

    /**
     * Defaults a {@code PodTemplateSpec}: its spec, and {@code metadata.creationTimestamp: null},
     * which kube-apiserver 1.32 always prints for templates.
     */
    static void defaultTemplate(ObjectNode template) {
        ObjectNode metadata = JsonTree.ensureObject(template, "metadata");
        templateMetadata(metadata);
        defaultPodSpec(JsonTree.ensureObject(template, "spec"), false);
    }

    /** The {@code creationTimestamp: null} that Go's encoding of an embedded ObjectMeta shows. */
    static void templateMetadata(ObjectNode metadata) {
        if (!metadata.has("creationTimestamp")) metadata.putNull("creationTimestamp");
    }

    static void defaultPodSpec(ObjectNode spec, boolean pod) {
        Defaulting.defaultText(spec, "dnsPolicy", "ClusterFirst");
        Defaulting.defaultText(spec, "restartPolicy", "Always");
        Defaulting.defaultObj(spec, "securityContext");
        Defaulting.defaultInt(spec, "terminationGracePeriodSeconds", 30);
        Defaulting.defaultText(spec, "schedulerName", "default-scheduler");
        // The deprecated serviceAccount mirrors serviceAccountName in both directions (v1 conversion).
        String sa = JsonTree.string(spec, "serviceAccountName");
        String deprecated = JsonTree.string(spec, "serviceAccount");
        if ((sa == null || sa.isEmpty()) && deprecated != null && !deprecated.isEmpty()) {
            spec.put("serviceAccountName", deprecated);
            sa = deprecated;
        }
        if (sa != null && !sa.isEmpty()) spec.put("serviceAccount", sa);

        boolean hostNetwork = Boolean.TRUE.equals(JsonTree.bool(spec, "hostNetwork"));
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            JsonTree.eachObject(spec, list, (i, c) -> defaultContainer(c, pod, pod && hostNetwork));
        }
        JsonTree.eachObject(spec, "volumes", (i, v) -> defaultVolume(v));
        if (pod) Defaulting.defaultBool(spec, "enableServiceLinks", true);
    }

    static void defaultContainer(ObjectNode c, boolean pod, boolean hostNetworkPorts) {
        if (JsonTree.isEmpty(c.get("imagePullPolicy"))) {
            c.put("imagePullPolicy", "latest".equals(imageTag(JsonTree.stringOrEmpty(c, "image"))) ? "Always" : "IfNotPresent");
        }
        Defaulting.defaultText(c, "terminationMessagePath", TERMINATION_MESSAGE_PATH);
        Defaulting.defaultText(c, "terminationMessagePolicy", "File");
        ObjectNode resources = JsonTree.ensureObject(c, "resources");
        Defaulting.canonicalizeQuantities(resources.get("limits"));
        Defaulting.canonicalizeQuantities(resources.get("requests"));
        if (pod && resources.get("limits") instanceof ObjectNode limits && !limits.isEmpty()) {
            ObjectNode requests = JsonTree.ensureObject(resources, "requests");
            limits.properties().forEach(e -> {
                // An invalid limit is reported once, on the limit.
                boolean valid = Quantity.tryParse(Defaulting.quantityText(e.getValue())).isPresent();
                if (!requests.has(e.getKey()) && valid) requests.set(e.getKey(), e.getValue().deepCopy());
            });
        }
        JsonTree.eachObject(c, "ports", (i, p) -> {
            Defaulting.defaultText(p, "protocol", "TCP");
            if (hostNetworkPorts && (JsonTree.integer(p, "hostPort") == null || JsonTree.integer(p, "hostPort") == 0)
                    && p.has("containerPort")) {
                p.set("hostPort", p.get("containerPort").deepCopy());
            }
        });
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (c.get(probe) instanceof ObjectNode p) defaultProbe(p);
        }
        if (c.get("lifecycle") instanceof ObjectNode lifecycle) {
            for (String hook : List.of("postStart", "preStop")) {
                if (lifecycle.get(hook) instanceof ObjectNode h) defaultHandler(h);
            }
        }
        JsonTree.eachObject(c, "env", (i, env) -> {
            if (env.get("valueFrom") instanceof ObjectNode from) {
                if (from.get("fieldRef") instanceof ObjectNode ref) Defaulting.defaultText(ref, "apiVersion", "v1");
                if (from.get("resourceFieldRef") instanceof ObjectNode ref) defaultResourceFieldRef(ref);
            }
        });
    }

    private static void defaultResourceFieldRef(ObjectNode ref) {
        if (!JsonTree.present(ref, "divisor")) ref.put("divisor", "0");
        else Defaulting.canonicalizeQuantity(ref, "divisor");
    }

    static void defaultProbe(ObjectNode p) {
        Defaulting.defaultInt(p, "timeoutSeconds", 1);
        Defaulting.defaultInt(p, "periodSeconds", 10);
        Defaulting.defaultInt(p, "successThreshold", 1);
        Defaulting.defaultInt(p, "failureThreshold", 3);
        defaultHandler(p);
        if (p.get("grpc") instanceof ObjectNode grpc && !grpc.has("service")) grpc.put("service", "");
    }

    private static void defaultHandler(ObjectNode handler) {
        if (handler.get("httpGet") instanceof ObjectNode http) {
            Defaulting.defaultText(http, "path", "/");
            Defaulting.defaultText(http, "scheme", "HTTP");
        }
    }

    static void defaultVolume(ObjectNode v) {
        boolean hasSource = v.propertyStream()
                .anyMatch(e -> !NON_SOURCE_VOLUME_FIELDS.contains(e.getKey()) && !e.getValue().isNull());
        if (!hasSource) v.putObject("emptyDir");
        if (v.get("emptyDir") instanceof ObjectNode emptyDir) Defaulting.canonicalizeQuantity(emptyDir, "sizeLimit");
        for (String moded : List.of("secret", "configMap", "downwardAPI", "projected")) {
            if (v.get(moded) instanceof ObjectNode src) Defaulting.defaultInt(src, "defaultMode", 420);
        }
        if (v.get("downwardAPI") instanceof ObjectNode d) defaultDownwardItems(d);
        if (v.get("projected") instanceof ObjectNode projected) {
            JsonTree.eachObject(projected, "sources", (i, s) -> {
                if (s.get("serviceAccountToken") instanceof ObjectNode t) Defaulting.defaultInt(t, "expirationSeconds", 3600);
                if (s.get("downwardAPI") instanceof ObjectNode d) defaultDownwardItems(d);
            });
        }
        if (v.get("hostPath") instanceof ObjectNode hostPath && !JsonTree.present(hostPath, "type")) hostPath.put("type", "");
        if (v.get("iscsi") instanceof ObjectNode iscsi) Defaulting.defaultText(iscsi, "iscsiInterface", "default");
        if (v.get("rbd") instanceof ObjectNode rbd) {
            Defaulting.defaultText(rbd, "pool", "rbd");
            Defaulting.defaultText(rbd, "user", "admin");
            Defaulting.defaultText(rbd, "keyring", "/etc/ceph/keyring");
        }
        if (v.get("azureDisk") instanceof ObjectNode az) {
            Defaulting.defaultText(az, "cachingMode", "ReadWrite");
            Defaulting.defaultText(az, "fsType", "ext4");
            Defaulting.defaultBool(az, "readOnly", false);
            Defaulting.defaultText(az, "kind", "Shared");
        }
        if (v.get("scaleIO") instanceof ObjectNode sio) {
            Defaulting.defaultText(sio, "storageMode", "ThinProvisioned");
            Defaulting.defaultText(sio, "fsType", "xfs");
        }
        if (v.get("ephemeral") instanceof ObjectNode eph && eph.get("volumeClaimTemplate") instanceof ObjectNode t) {
            ObjectNode spec = JsonTree.ensureObject(t, "spec");
            ClaimDefaults.defaultClaimSpec(spec);
            if (t.get("metadata") instanceof ObjectNode m) templateMetadata(m);
            else templateMetadata(t.putObject("metadata"));
        }
    }

    private static void defaultDownwardItems(ObjectNode downward) {
        JsonTree.eachObject(downward, "items", (i, item) -> {
            if (item.get("fieldRef") instanceof ObjectNode ref) Defaulting.defaultText(ref, "apiVersion", "v1");
            if (item.get("resourceFieldRef") instanceof ObjectNode ref) defaultResourceFieldRef(ref);
        });
    }

    /**
     * The tag of an image reference as the kubelet's image parser sees it: {@code latest} when
     * neither tag nor digest is given, empty when only a digest is.
     */
    static String imageTag(String image) {
        String name = image;
        boolean digest = false;
        int at = name.indexOf('@');
        if (at >= 0) {
            name = name.substring(0, at);
            digest = true;
        }
        int slash = name.lastIndexOf('/');
        int colon = name.lastIndexOf(':');
        if (colon > slash) return name.substring(colon + 1);
        return digest ? "" : "latest";
    }
}
