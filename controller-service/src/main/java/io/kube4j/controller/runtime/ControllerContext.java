package io.kube4j.controller.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.controller.Reconciler;
import io.kube4j.machinery.controller.WorkShards;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.informer.Cache;


/**
 * What a controller is built from: the shared informers, the writing client, an event recorder
 * per component, and its own shards of the work.
 */
public interface ControllerContext {

    SharedInformers informers();

    ObjectClient objects();

    /** The raw client, for what {@link ObjectClient} does not cover (patches, subresources). */
    KubernetesClient client();

    /** A recorder whose events carry {@code component} as their source, e.g. {@code replicaset-controller}. */
    EventRecorder events(String component);

    /** This replica's shards of the controller {@code name}'s keys. */
    WorkShards shards(String name);

    int workers();

    /** A controller loop over {@code reconciler} whose resyncs cover the keys of {@code primary}. */
    default Controller controller(String name, Reconciler reconciler, Cache<?> primary) {
        return new Controller(name, reconciler, workers(), shards(name), primary::keys);
    }

}
