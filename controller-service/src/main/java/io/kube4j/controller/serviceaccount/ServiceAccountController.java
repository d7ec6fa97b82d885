package io.kube4j.controller.serviceaccount;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.kube4j.controller.runtime.EnqueueHandler;
import io.kube4j.controller.runtime.EnqueueHandler.Event;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

/**
 * Keeps a {@code default} ServiceAccount in every active namespace, as kube-controller-manager's
 * serviceaccount controller does: made when the namespace appears, made again when deleted.
 * Keys are namespace names.
 */
@Component
public final class ServiceAccountController implements ManagedController {

    static final String DEFAULT = "default";

    @Override
    public String name() {
        return "serviceaccount";
    }

    @Override
    public Controller build(ControllerContext context) {
        var namespaces = context.informers().informer(BuiltInTypes.NAMESPACE, Namespace.class);
        var accounts = context.informers().informer(BuiltInTypes.SERVICE_ACCOUNT, ServiceAccount.class);
        Controller controller = context.controller(name(), new DefaultAccount(namespaces.cache(), accounts.cache(), context.objects()), namespaces.cache());
        namespaces.addHandler(EnqueueHandler.<Namespace>forObject(controller).on(Event.ADD, Event.UPDATE));
        accounts.addHandler(EnqueueHandler.<ServiceAccount>forKeys(controller, sa -> java.util.List.of(sa.getMetadata().getNamespace()))
                .on(Event.DELETE).when(sa -> DEFAULT.equals(sa.getMetadata().getName())));
        return controller;
    }

    /** The reconciler: namespace name → its default account exists, unless the namespace is going. */
    record DefaultAccount(Cache<Namespace> namespaces, Cache<ServiceAccount> accounts, ObjectClient objects) implements Reconciler {
        @Override
        public Result reconcile(String namespace) {
            var ns = namespaces.get(namespace);
            if (ns.isEmpty() || ns.get().getMetadata().getDeletionTimestamp() != null
                    || "Terminating".equals(ns.get().getStatus() == null ? null : ns.get().getStatus().getPhase())) {
                return Result.DONE;
            }
            if (accounts.get(namespace, DEFAULT).isPresent()) return Result.DONE;
            try {
                objects.create(new ServiceAccountBuilder().withNewMetadata().withNamespace(namespace).withName(DEFAULT).endMetadata().build());
            } catch (RuntimeException e) {
                if (!ObjectClient.isConflict(e)) throw e;
            }
            return Result.DONE;
        }
    }
}
