package io.kube4j.gateway.config;

import io.kube4j.gateway.crd.CustomResourceTypes;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.kube4j.gateway.admission.allocation.IpRange;
import io.kube4j.gateway.admission.allocation.ServiceRangesProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What a new cluster has before anyone asks: the system namespaces and the {@code kubernetes}
 * Service. Runs at every start; what
 * exists is left alone, so several gateways may race through it.
 */
@Component
public class ClusterBootstrap {

    private static final Logger log = LoggerFactory.getLogger(ClusterBootstrap.class);
    static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final ResourceStorage storage;
    private final CustomResourceTypes customResources;
    private final ServiceRangesProperties ranges;
    private final io.kube4j.gateway.security.Authorizer authorizer;

    public ClusterBootstrap(ResourceStorage storage, CustomResourceTypes customResources,
                            ServiceRangesProperties ranges, io.kube4j.gateway.security.Authorizer authorizer) {
        this.storage = storage;
        this.customResources = customResources;
        this.ranges = ranges;
        this.authorizer = authorizer;
    }

    @EventListener
    public void bootstrap(ApplicationReadyEvent event) {
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : 6443;
        customResources.start();
        for (String name : SYSTEM_NAMESPACES) {
            if (storage.find(BuiltInTypes.NAMESPACE, null, name).isPresent()) continue;
            ObjectNode ns = Json.object();
            ns.put("apiVersion", "v1");
            ns.put("kind", "Namespace");
            ns.putObject("metadata").put("name", name);
            createIfAbsent(BuiltInTypes.NAMESPACE, null, ns);
        }
        var kubernetes = storage.find(BuiltInTypes.SERVICE, "default", "kubernetes");
        if (kubernetes.isEmpty()) {
            createIfAbsent(BuiltInTypes.SERVICE, "default", kubernetesService(port));
        } else if (!"Local".equals(kubernetes.get().path("spec").path("internalTrafficPolicy").asString(""))) {
            // Made before each node named its own way to the API: from then on a node's pods use only that.
            try {
                storage.mutate(BuiltInTypes.SERVICE, "default", "kubernetes", current -> {
                    ObjectNode next = current.deepCopy();
                    next.withObjectProperty("spec").put("internalTrafficPolicy", "Local");
                    return next;
                }, io.kube4j.gateway.storage.ResourceStorage.Part.MAIN, false);
            } catch (ApiException e) {
                log.warn("could not make the kubernetes Service's traffic node-local: {}", e.getMessage());
            }
        }
        for (ObjectNode object : bootstrapPolicy()) {
            var type = BuiltInTypes.CLUSTER_ROLE.kind().equals(object.path("kind").asString("")) ? BuiltInTypes.CLUSTER_ROLE : BuiltInTypes.CLUSTER_ROLE_BINDING;
            if (storage.find(type, null, io.kube4j.machinery.object.KubeObject.name(object)).isEmpty()) createIfAbsent(type, null, object);
        }
        // The watch cache started after the authorizer's first list: list again so that no change
        // made in between is missing (the newer of two versions wins).
        if (authorizer instanceof io.kube4j.gateway.rbac.RbacAuthorizer rbac) rbac.loadInBackground(storage);
    }

    /** Kubernetes' default ClusterRoles and ClusterRoleBindings (bootstrap/rbac.yaml). */
    static List<ObjectNode> bootstrapPolicy() {
        try (var in = ClusterBootstrap.class.getResourceAsStream("/bootstrap/rbac.yaml")) {
            if (in == null) throw new IllegalStateException("bootstrap/rbac.yaml is missing from the class path");
            try (var documents = Json.YAML.readerFor(ObjectNode.class).<ObjectNode>readValues(in)) {
                return documents.readAll();
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The {@code kubernetes} Service in {@code default}: the API's address inside the cluster, the range's first IP.
     * Selector-less: each node's proxy agent names the gateway as that node reaches it in an EndpointSlice of its own,
     * so its traffic is node-local ({@code internalTrafficPolicy: Local}).
     */
    private ObjectNode kubernetesService(int port) {
        ObjectNode service = Json.object();
        service.put("apiVersion", "v1");
        service.put("kind", "Service");
        ObjectNode meta = service.putObject("metadata");
        meta.put("name", "kubernetes");
        meta.put("namespace", "default");
        meta.putObject("labels").put("component", "apiserver").put("provider", "kubernetes");
        ObjectNode spec = service.putObject("spec");
        spec.put("type", "ClusterIP");
        spec.put("clusterIP", IpRange.parse(ranges.clusterIpRange()).valueAt(0));
        spec.put("internalTrafficPolicy", "Local");
        ObjectNode https = spec.putArray("ports").addObject();
        https.put("name", "https");
        https.put("port", 443);
        https.put("protocol", "TCP");
        https.put("targetPort", port);
        return service;
    }

    private void createIfAbsent(io.kube4j.machinery.registry.ResourceType type, String namespace, ObjectNode object) {
        try {
            storage.create(type, namespace, object, false);
            log.info("created {} {}", type.singular(), io.kube4j.machinery.object.KubeObject.name(object));
        } catch (ApiException e) {
            if (e.code() != 409) throw e;
        }
    }
}
