package io.kube4j.controller.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.kube4j.controller.pods.Owners;
import io.kube4j.controller.pods.Selectors;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.informer.Cache;
import io.kube4j.machinery.informer.ObjectKeys;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The informer handler most controllers need: on each event it maps the object to the work-queue
 * keys it concerns and enqueues them — nothing else, as a handler should. The keys of an update
 * are the new object's.
 *
 * <p>Immutable: {@link #on}, {@link #when} and {@link #beforeDelete} return a new handler.
 * Handlers run on the informer's thread; the key function, condition and delete action must be
 * cheap and must not block. {@link Controller#enqueue} is idempotent, so enqueueing a key twice
 * costs nothing.
 *
 * @param <T> the informer's object type
 */
public final class EnqueueHandler<T extends HasMetadata> implements ResourceEventHandler<T> {

    /** The informer events a handler reacts to. */
    public enum Event { ADD, UPDATE, DELETE }

    private final Controller controller;
    private final Function<? super T, ? extends Collection<String>> keys;
    private final Set<Event> events;
    private final Predicate<? super T> condition;
    private final Consumer<? super T> beforeDelete;

    private EnqueueHandler(Controller controller, Function<? super T, ? extends Collection<String>> keys, Set<Event> events,
                           Predicate<? super T> condition, Consumer<? super T> beforeDelete) {
        this.controller = controller;
        this.keys = keys;
        this.events = Set.copyOf(events);
        this.condition = condition;
        this.beforeDelete = beforeDelete;
    }

    /** Enqueues the object's own key ({@code namespace/name}, or {@code name} when cluster-scoped) on every event. */
    public static <T extends HasMetadata> EnqueueHandler<T> forObject(Controller controller) {
        return forKeys(controller, o -> List.of(ObjectKeys.key(o)));
    }

    /** Enqueues the keys {@code keys} maps the object to (none, one or several) on every event. */
    public static <T extends HasMetadata> EnqueueHandler<T> forKeys(Controller controller, Function<? super T, ? extends Collection<String>> keys) {
        return new EnqueueHandler<>(controller, keys, EnumSet.allOf(Event.class), o -> true, o -> {
        });
    }

    /**
     * Enqueues the object's controller (the owner reference with {@code controller: true}) when it
     * is of {@code ownerKind}, as {@code namespace/name} in the object's namespace, on every event.
     */
    public static <T extends HasMetadata> EnqueueHandler<T> forOwner(Controller controller, String ownerKind) {
        return forKeys(controller, o -> ownerKey(o, ownerKind));
    }

    /** The key of {@code object}'s controller when it is of {@code ownerKind}; empty otherwise. */
    public static List<String> ownerKey(HasMetadata object, String ownerKind) {
        List<OwnerReference> refs = object.getMetadata().getOwnerReferences();
        if (refs == null) return List.of();
        for (OwnerReference ref : refs) {
            if (Boolean.TRUE.equals(ref.getController())) {
                return ownerKind.equals(ref.getKind()) ? List.of(ObjectKeys.key(object.getMetadata().getNamespace(), ref.getName())) : List.of();
            }
        }
        return List.of();
    }

    /**
     * The key of {@code object}'s controller when it is of {@code ownerKind} (none when it is
     * controlled by another kind); for an orphan not being deleted, the key of every owner in its
     * namespace whose selector (a null one matches nothing) matches its labels — the owners that may
     * adopt it.
     */
    public static <S extends HasMetadata> List<String> ownerOrAdopters(HasMetadata object, String ownerKind, Cache<S> owners,
                                                                       Function<? super S, LabelSelector> selector) {
        OwnerReference ref = Owners.controllerOf(object);
        String namespace = object.getMetadata().getNamespace();
        if (ref != null) return ownerKind.equals(ref.getKind()) ? List.of(ObjectKeys.key(namespace, ref.getName())) : List.of();
        if (object.getMetadata().getDeletionTimestamp() != null) return List.of();
        List<String> adopters = new ArrayList<>();
        for (S owner : owners.list(namespace)) {
            LabelSelector ownerSelector = selector.apply(owner);
            if (ownerSelector != null && Selectors.matches(Selectors.of(ownerSelector), object.getMetadata().getLabels())) {
                adopters.add(ObjectKeys.key(owner));
            }
        }
        return adopters;
    }

    /** The same handler reacting only to {@code first} and {@code rest}. */
    public EnqueueHandler<T> on(Event first, Event... rest) {
        return new EnqueueHandler<>(controller, keys, EnumSet.of(first, rest), condition, beforeDelete);
    }

    /** The same handler enqueueing only for objects (the new one, on update) that satisfy {@code condition}. */
    public EnqueueHandler<T> when(Predicate<? super T> condition) {
        return new EnqueueHandler<>(controller, keys, events, condition, beforeDelete);
    }

    /** The same handler running {@code action} on every delete before it enqueues (e.g. forgetting expectations). */
    public EnqueueHandler<T> beforeDelete(Consumer<? super T> action) {
        return new EnqueueHandler<>(controller, keys, events, condition, action);
    }

    @Override
    public void onAdd(T object) {
        if (events.contains(Event.ADD)) enqueue(object);
    }

    @Override
    public void onUpdate(T old, T object) {
        if (events.contains(Event.UPDATE)) enqueue(object);
    }

    @Override
    public void onDelete(T object, boolean finalStateUnknown) {
        beforeDelete.accept(object);
        if (events.contains(Event.DELETE)) enqueue(object);
    }

    private void enqueue(T object) {
        if (!condition.test(object)) return;
        for (String key : keys.apply(object)) controller.enqueue(key);
    }
}
