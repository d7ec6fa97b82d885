package io.kube4j.controller.rootca;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.Config;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.EnqueueHandler.Event;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

/**
 * Publishes the cluster's CA certificate in every active namespace as the ConfigMap
 * {@code kube-root-ca.crt} (key {@code ca.crt}), as kube-controller-manager's root-ca-cert-publisher
 * does: pods verify the API's certificate with it (their {@code kube-api-access-*} volume projects it).
 * Made when the namespace appears; each namespace is looked at again every {@link #RECHECK}, which puts the
 * ConfigMap back when it was deleted or changed (no watch of every ConfigMap in the cluster for one of them).
 * The CA is the one the controllers' own kubeconfig trusts. Keys are namespace names.
 */
@Component
public final class RootCaPublisher implements ManagedController {

    public static final String NAME = "kube-root-ca.crt";
    public static final String KEY = "ca.crt";
    static final java.time.Duration RECHECK = java.time.Duration.ofMinutes(1);
    static final String DESCRIPTION = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal "
            + "endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across "
            + "distributions of Kubernetes clusters.";

    @Override
    public String name() {
        return "root-ca-cert-publisher";
    }

    @Override
    public Controller build(ControllerContext context) {
        String ca = caOf(context.client().getConfiguration());
        var namespaces = context.informers().informer(BuiltInTypes.NAMESPACE, Namespace.class);
        Controller controller = context.controller(name(), new Publish(namespaces.cache(), context.objects(), ca), namespaces.cache());
        namespaces.addHandler(EnqueueHandler.<Namespace>forObject(controller).on(Event.ADD, Event.UPDATE));
        return controller;
    }

    /** The PEM of the CA a client configuration trusts: its inline data, else its file; empty when it has none. */
    static String caOf(Config config) {
        if (config.getCaCertData() != null && !config.getCaCertData().isBlank()) {
            return new String(Base64.getDecoder().decode(config.getCaCertData().strip()), StandardCharsets.UTF_8);
        }
        if (config.getCaCertFile() != null && !config.getCaCertFile().isBlank()) {
            try {
                return Files.readString(Path.of(config.getCaCertFile()));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the CA certificate " + config.getCaCertFile(), e);
            }
        }
        return "";
    }

    /** The reconciler: namespace name → its {@code kube-root-ca.crt} holds {@code ca}, unless the namespace is going. */
    record Publish(Cache<Namespace> namespaces, ObjectClient objects, String ca) implements Reconciler {
        @Override
        public Result reconcile(String namespace) {
            var ns = namespaces.get(namespace);
            if (ca.isEmpty() || ns.isEmpty() || ns.get().getMetadata().getDeletionTimestamp() != null
                    || "Terminating".equals(ns.get().getStatus() == null ? null : ns.get().getStatus().getPhase())) {
                return Result.DONE;
            }
            var current = objects.get(ConfigMap.class, namespace, NAME);
            if (current.isEmpty()) {
                try {
                    objects.create(new ConfigMapBuilder().withNewMetadata().withNamespace(namespace).withName(NAME)
                            .withAnnotations(Map.of("kubernetes.io/description", DESCRIPTION)).endMetadata()
                            .withData(Map.of(KEY, ca)).build());
                } catch (RuntimeException e) {
                    if (!ObjectClient.isConflict(e)) throw e;
                    return Result.requeueAfter(java.time.Duration.ofSeconds(1));
                }
            } else if (current.get().getData() == null || !ca.equals(current.get().getData().get(KEY))) {
                objects.update(new ConfigMapBuilder(current.get()).withData(Map.of(KEY, ca)).build());
            }
            return Result.requeueAfter(RECHECK);
        }
    }
}
