package io.kube4j.gateway.config;

import io.kube4j.gateway.crd.CustomResourceTypes;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.machinery.errors.ApiException;
import io.kube4j.machinery.object.Json;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What a new cluster has before anyone asks: the system namespaces. Runs at every start; what
 * exists is left alone, so several gateways may race through it.
 */
@Component
public class ClusterBootstrap {

    private static final Logger log = LoggerFactory.getLogger(ClusterBootstrap.class);
    static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private final ResourceStorage storage;
    private final CustomResourceTypes customResources;

    public ClusterBootstrap(ResourceStorage storage, CustomResourceTypes customResources) {
        this.storage = storage;
        this.customResources = customResources;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void bootstrap() {
        customResources.start();
        for (String name : SYSTEM_NAMESPACES) {
            if (storage.find(BuiltInTypes.NAMESPACE, null, name).isPresent()) continue;
            ObjectNode ns = Json.object();
            ns.put("apiVersion", "v1");
            ns.put("kind", "Namespace");
            ns.putObject("metadata").put("name", name);
            try {
                storage.create(BuiltInTypes.NAMESPACE, null, ns, false);
                log.info("created namespace {}", name);
            } catch (ApiException e) {
                if (e.code() != 409) throw e;
            }
        }
    }
}
