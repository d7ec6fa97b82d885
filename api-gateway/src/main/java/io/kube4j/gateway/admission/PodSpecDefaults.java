package io.kube4j.gateway.admission;

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
        ObjectNode metadata = Json.ensureObj(template, "metadata");
        templateMetadata(metadata);
        defaultPodSpec(Json.ensureObj(template, "spec"), false);
    }

    /** The {@code creationTimestamp: null} that Go's encoding of an embedded ObjectMeta shows. */
    static void templateMetadata(ObjectNode metadata) {
        if (!metadata.has("creationTimestamp")) metadata.putNull("creationTimestamp");
    }

    static void defaultPodSpec(ObjectNode spec, boolean pod) {
        Json.defaultText(spec, "dnsPolicy", "ClusterFirst");
        Json.defaultText(spec, "restartPolicy", "Always");
        Json.defaultObj(spec, "securityContext");
        Json.defaultInt(spec, "terminationGracePeriodSeconds", 30);
        Json.defaultText(spec, "schedulerName", "default-scheduler");
        // The deprecated serviceAccount mirrors serviceAccountName in both directions (v1 conversion).
        String sa = Json.text(spec, "serviceAccountName");
        String deprecated = Json.text(spec, "serviceAccount");
        if ((sa == null || sa.isEmpty()) && deprecated != null && !deprecated.isEmpty()) {
            spec.put("serviceAccountName", deprecated);
            sa = deprecated;
        }
        if (sa != null && !sa.isEmpty()) spec.put("serviceAccount", sa);

        boolean hostNetwork = Boolean.TRUE.equals(Json.bool(spec, "hostNetwork"));
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            Json.eachObject(spec, list, (i, c) -> defaultContainer(c, pod, pod && hostNetwork));
        }
        Json.eachObject(spec, "volumes", (i, v) -> defaultVolume(v));
        if (pod) Json.defaultBool(spec, "enableServiceLinks", true);
    }

    static void defaultContainer(ObjectNode c, boolean pod, boolean hostNetworkPorts) {
        if (Json.isEmpty(c.get("imagePullPolicy"))) {
            c.put("imagePullPolicy", "latest".equals(imageTag(Json.textOrEmpty(c, "image"))) ? "Always" : "IfNotPresent");
        }
        Json.defaultText(c, "terminationMessagePath", TERMINATION_MESSAGE_PATH);
        Json.defaultText(c, "terminationMessagePolicy", "File");
        ObjectNode resources = Json.ensureObj(c, "resources");
        Json.canonicalizeQuantities(resources.get("limits"));
        Json.canonicalizeQuantities(resources.get("requests"));
        if (pod && resources.get("limits") instanceof ObjectNode limits && !limits.isEmpty()) {
            ObjectNode requests = Json.ensureObj(resources, "requests");
            limits.properties().forEach(e -> {
                // An invalid limit is reported once, on the limit.
                boolean valid = Quantity.tryParse(Json.quantityText(e.getValue())).isPresent();
                if (!requests.has(e.getKey()) && valid) requests.set(e.getKey(), e.getValue().deepCopy());
            });
        }
        Json.eachObject(c, "ports", (i, p) -> {
            Json.defaultText(p, "protocol", "TCP");
            if (hostNetworkPorts && (Json.integer(p, "hostPort") == null || Json.integer(p, "hostPort") == 0)
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
        Json.eachObject(c, "env", (i, env) -> {
            if (env.get("valueFrom") instanceof ObjectNode from) {
                if (from.get("fieldRef") instanceof ObjectNode ref) Json.defaultText(ref, "apiVersion", "v1");
                if (from.get("resourceFieldRef") instanceof ObjectNode ref) defaultResourceFieldRef(ref);
            }
        });
    }

    private static void defaultResourceFieldRef(ObjectNode ref) {
        if (!Json.present(ref, "divisor")) ref.put("divisor", "0");
        else Json.canonicalizeQuantity(ref, "divisor");
    }

    static void defaultProbe(ObjectNode p) {
        Json.defaultInt(p, "timeoutSeconds", 1);
        Json.defaultInt(p, "periodSeconds", 10);
        Json.defaultInt(p, "successThreshold", 1);
        Json.defaultInt(p, "failureThreshold", 3);
        defaultHandler(p);
        if (p.get("grpc") instanceof ObjectNode grpc && !grpc.has("service")) grpc.put("service", "");
    }

    private static void defaultHandler(ObjectNode handler) {
        if (handler.get("httpGet") instanceof ObjectNode http) {
            Json.defaultText(http, "path", "/");
            Json.defaultText(http, "scheme", "HTTP");
        }
    }

    static void defaultVolume(ObjectNode v) {
        boolean hasSource = v.propertyStream()
                .anyMatch(e -> !NON_SOURCE_VOLUME_FIELDS.contains(e.getKey()) && !e.getValue().isNull());
        if (!hasSource) v.putObject("emptyDir");
        if (v.get("emptyDir") instanceof ObjectNode emptyDir) Json.canonicalizeQuantity(emptyDir, "sizeLimit");
        for (String moded : List.of("secret", "configMap", "downwardAPI", "projected")) {
            if (v.get(moded) instanceof ObjectNode src) Json.defaultInt(src, "defaultMode", 420);
        }
        if (v.get("downwardAPI") instanceof ObjectNode d) defaultDownwardItems(d);
        if (v.get("projected") instanceof ObjectNode projected) {
            Json.eachObject(projected, "sources", (i, s) -> {
                if (s.get("serviceAccountToken") instanceof ObjectNode t) Json.defaultInt(t, "expirationSeconds", 3600);
                if (s.get("downwardAPI") instanceof ObjectNode d) defaultDownwardItems(d);
            });
        }
        if (v.get("hostPath") instanceof ObjectNode hostPath && !Json.present(hostPath, "type")) hostPath.put("type", "");
        if (v.get("iscsi") instanceof ObjectNode iscsi) Json.defaultText(iscsi, "iscsiInterface", "default");
        if (v.get("rbd") instanceof ObjectNode rbd) {
            Json.defaultText(rbd, "pool", "rbd");
            Json.defaultText(rbd, "user", "admin");
            Json.defaultText(rbd, "keyring", "/etc/ceph/keyring");
        }
        if (v.get("azureDisk") instanceof ObjectNode az) {
            Json.defaultText(az, "cachingMode", "ReadWrite");
            Json.defaultText(az, "fsType", "ext4");
            Json.defaultBool(az, "readOnly", false);
            Json.defaultText(az, "kind", "Shared");
        }
        if (v.get("scaleIO") instanceof ObjectNode sio) {
            Json.defaultText(sio, "storageMode", "ThinProvisioned");
            Json.defaultText(sio, "fsType", "xfs");
        }
        if (v.get("ephemeral") instanceof ObjectNode eph && eph.get("volumeClaimTemplate") instanceof ObjectNode t) {
            ObjectNode spec = Json.ensureObj(t, "spec");
            ClaimDefaults.defaultClaimSpec(spec);
            if (t.get("metadata") instanceof ObjectNode m) templateMetadata(m);
            else templateMetadata(t.putObject("metadata"));
        }
    }

    private static void defaultDownwardItems(ObjectNode downward) {
        Json.eachObject(downward, "items", (i, item) -> {
            if (item.get("fieldRef") instanceof ObjectNode ref) Json.defaultText(ref, "apiVersion", "v1");
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
