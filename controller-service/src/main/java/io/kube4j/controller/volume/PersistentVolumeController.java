package io.kube4j.controller.volume;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.pods.Pods;
import io.kube4j.controller.pods.SpamFilteredEvents;
import io.kube4j.controller.runtime.ControllerContext;
import io.kube4j.controller.runtime.ManagedController;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.ObjectKeys;
import io.kube4j.machinery.registry.BuiltInTypes;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * kube-controller-manager's {@code persistentvolume-binder}, with the {@code local-path}
 * provisioner. A claim's events enqueue the claim (and, when it goes, the volumes bound to it); a
 * volume's events enqueue the volume and the claim it names (an Available one, every claim still
 * waiting for a volume); a pod that lands on a node enqueues
 * the claims it uses (a WaitForFirstConsumer claim now has its node), and so does one that finishes
 * or goes (a claim being deleted may have waited for it); a volume's cleanup pod enqueues its
 * volume; a new StorageClass enqueues the claims of its name. The default class is made when this
 * replica gets its shard.
 */
@Component
public final class PersistentVolumeController implements ManagedController {

    private final VolumeProperties properties;

    public PersistentVolumeController(VolumeProperties properties) {
        this.properties = properties;
    }

    @Override
    public String name() {
        return "persistentvolume-binder";
    }

    @Override
    public Controller build(ControllerContext context) {
        var claims = context.informers().informer(BuiltInTypes.PERSISTENT_VOLUME_CLAIM, PersistentVolumeClaim.class);
        var volumes = context.informers().informer(BuiltInTypes.PERSISTENT_VOLUME, PersistentVolume.class);
        var classes = context.informers().informer(BuiltInTypes.STORAGE_CLASS, StorageClass.class);
        var pods = context.informers().informer(BuiltInTypes.POD, Pod.class);
        var nodes = context.informers().informer(BuiltInTypes.NODE, Node.class);
        Clock clock = Clock.systemUTC();
        var reconciler = new PersistentVolumeReconciler(claims.cache(), volumes.cache(), classes.cache(), pods.cache(), nodes.cache(),
                context.objects(), new SpamFilteredEvents(context.events("persistentvolume-controller"), clock), properties, clock);
        Controller controller = new Controller(name(), reconciler, context.workers(), context.shards(name()), () -> {
            List<String> keys = new ArrayList<>();
            claims.cache().keys().forEach(k -> keys.add(PersistentVolumeReconciler.CLAIM + k));
            volumes.cache().keys().forEach(k -> keys.add(PersistentVolumeReconciler.VOLUME + k));
            keys.add(PersistentVolumeReconciler.CLASS + LocalPathProvisioner.CLASS_NAME);
            return keys;
        });
        Consumer<PersistentVolumeClaim> claim = c -> controller.enqueue(PersistentVolumeReconciler.CLAIM + ObjectKeys.key(c));
        Consumer<PersistentVolume> volume = v -> {
            controller.enqueue(PersistentVolumeReconciler.VOLUME + v.getMetadata().getName());
            var ref = v.getSpec().getClaimRef();
            if (ref != null && ref.getName() != null) {
                controller.enqueue(PersistentVolumeReconciler.CLAIM + ObjectKeys.key(ref.getNamespace(), ref.getName()));
            } else if ("Available".equals(VolumeMatching.phase(v))) {
                // A volume free to take: every claim still waiting for one may now bind.
                for (PersistentVolumeClaim c : claims.cache().list()) {
                    if (c.getSpec().getVolumeName() == null || c.getSpec().getVolumeName().isEmpty()) {
                        controller.enqueue(PersistentVolumeReconciler.CLAIM + ObjectKeys.key(c));
                    }
                }
            }
        };
        claims.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PersistentVolumeClaim c) {
                claim.accept(c);
            }

            @Override
            public void onUpdate(PersistentVolumeClaim old, PersistentVolumeClaim c) {
                claim.accept(c);
            }

            @Override
            public void onDelete(PersistentVolumeClaim c, boolean unknown) {
                for (PersistentVolume v : volumes.cache().list()) {
                    var ref = v.getSpec().getClaimRef();
                    if (ref != null && c.getMetadata().getName().equals(ref.getName()) && c.getMetadata().getNamespace().equals(ref.getNamespace())) {
                        controller.enqueue(PersistentVolumeReconciler.VOLUME + v.getMetadata().getName());
                    }
                }
            }
        });
        volumes.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(PersistentVolume v) {
                volume.accept(v);
            }

            @Override
            public void onUpdate(PersistentVolume old, PersistentVolume v) {
                volume.accept(v);
            }

            @Override
            public void onDelete(PersistentVolume v, boolean unknown) {
                volume.accept(v);
            }
        });
        classes.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(StorageClass sc) {
                for (PersistentVolumeClaim c : claims.cache().list()) {
                    if (sc.getMetadata().getName().equals(VolumeMatching.className(c))) claim.accept(c);
                }
            }

            @Override
            public void onUpdate(StorageClass old, StorageClass sc) {
            }

            @Override
            public void onDelete(StorageClass sc, boolean unknown) {
            }
        });
        pods.addHandler(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Pod pod) {
                enqueueCleanedVolume(pod);
                if (Pods.isAssigned(pod)) enqueueClaims(pod);
            }

            @Override
            public void onUpdate(Pod old, Pod pod) {
                enqueueCleanedVolume(pod);
                boolean landed = !Pods.isAssigned(old) && Pods.isAssigned(pod);
                boolean finished = isFinished(pod) && !isFinished(old);
                if (landed || finished) enqueueClaims(pod);
            }

            @Override
            public void onDelete(Pod pod, boolean unknown) {
                // A claim being deleted may have waited for this pod (pvc-protection).
                enqueueClaims(pod);
            }

            private boolean isFinished(Pod pod) {
                return "Succeeded".equals(Pods.phase(pod)) || "Failed".equals(Pods.phase(pod));
            }

            private void enqueueCleanedVolume(Pod pod) {
                var labels = pod.getMetadata().getLabels();
                String volume = labels == null ? null : labels.get(VolumeCleanup.VOLUME_LABEL);
                if (volume != null && properties.cleanupNamespace().equals(pod.getMetadata().getNamespace())) {
                    controller.enqueue(PersistentVolumeReconciler.VOLUME + volume);
                }
            }

            private void enqueueClaims(Pod pod) {
                if (pod.getSpec() == null || pod.getSpec().getVolumes() == null) return;
                for (Volume v : pod.getSpec().getVolumes()) {
                    if (v.getPersistentVolumeClaim() == null) continue;
                    controller.enqueue(PersistentVolumeReconciler.CLAIM + ObjectKeys.key(pod.getMetadata().getNamespace(), v.getPersistentVolumeClaim().getClaimName()));
                }
            }
        });
        return controller;
    }
}
