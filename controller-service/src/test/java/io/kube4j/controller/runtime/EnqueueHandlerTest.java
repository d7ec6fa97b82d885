package io.kube4j.controller.runtime;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.kube4j.controller.runtime.EnqueueHandler.Event;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.controller.Result;
import io.kube4j.machinery.controller.WorkShards;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class EnqueueHandlerTest {

    static ConfigMap cm(String name, String ownerKind, Boolean controller) {
        var b = new ConfigMapBuilder().withNewMetadata().withNamespace("ns").withName(name);
        if (ownerKind != null) {
            b = b.withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("v1").withKind(ownerKind).withName("owner")
                    .withUid("u").withController(controller).build());
        }
        return b.endMetadata().build();
    }

    /** One event delivered to a handler made by {@code handler}, and the keys it must enqueue. */
    record Case(String name, Function<Controller, EnqueueHandler<ConfigMap>> handler, Event event, ConfigMap object, List<String> keys) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        ConfigMap plain = cm("a", null, null);
        return Stream.of(
                new Case("forObject enqueues the object on add", EnqueueHandler::forObject, Event.ADD, plain, List.of("ns/a")),
                new Case("forObject enqueues the new object on update", EnqueueHandler::forObject, Event.UPDATE, plain, List.of("ns/a")),
                new Case("forObject enqueues the object on delete", EnqueueHandler::forObject, Event.DELETE, plain, List.of("ns/a")),
                new Case("an event left out enqueues nothing", c -> EnqueueHandler.<ConfigMap>forObject(c).on(Event.ADD, Event.UPDATE),
                        Event.DELETE, plain, List.of()),
                new Case("an event kept still enqueues", c -> EnqueueHandler.<ConfigMap>forObject(c).on(Event.DELETE),
                        Event.DELETE, plain, List.of("ns/a")),
                new Case("a condition that fails enqueues nothing", c -> EnqueueHandler.<ConfigMap>forObject(c).when(o -> false),
                        Event.UPDATE, plain, List.of()),
                new Case("forKeys enqueues every key", c -> EnqueueHandler.<ConfigMap>forKeys(c, o -> List.of("x/1", "x/2")),
                        Event.ADD, plain, List.of("x/1", "x/2")),
                new Case("forOwner enqueues the controller of the kind", c -> EnqueueHandler.forOwner(c, "CronJob"),
                        Event.UPDATE, cm("j", "CronJob", true), List.of("ns/owner")),
                new Case("forOwner ignores a controller of another kind", c -> EnqueueHandler.forOwner(c, "CronJob"),
                        Event.ADD, cm("j", "Deployment", true), List.of()),
                new Case("forOwner ignores an owner that is not the controller", c -> EnqueueHandler.forOwner(c, "CronJob"),
                        Event.DELETE, cm("j", "CronJob", false), List.of()),
                new Case("forOwner ignores an object without owners", c -> EnqueueHandler.forOwner(c, "CronJob"),
                        Event.ADD, plain, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void enqueues(Case c) throws InterruptedException {
        Controller controller = controller();
        EnqueueHandler<ConfigMap> handler = c.handler().apply(controller);
        switch (c.event()) {
            case ADD -> handler.onAdd(c.object());
            case UPDATE -> handler.onUpdate(cm("old", null, null), c.object());
            case DELETE -> handler.onDelete(c.object(), false);
        }
        assertThat(drain(controller)).containsExactlyInAnyOrderElementsOf(c.keys());
    }

    @Test
    void beforeDeleteRunsOnEveryDeleteEvenWhenDeletesEnqueueNothing() throws InterruptedException {
        Controller controller = controller();
        List<String> forgotten = new ArrayList<>();
        EnqueueHandler<Node> handler = EnqueueHandler.<Node>forObject(controller).on(Event.ADD)
                .beforeDelete(n -> forgotten.add(n.getMetadata().getName()));
        handler.onDelete(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build(), true);
        assertThat(forgotten).containsExactly("n1");
        assertThat(drain(controller)).isEmpty();
        handler.onAdd(new NodeBuilder().withNewMetadata().withName("n2").endMetadata().build());
        assertThat(drain(controller)).containsExactly("n2");
    }

    private static Controller controller() {
        return new Controller("test", key -> Result.DONE, 1, WorkShards.ALL, List::of);
    }

    private static List<String> drain(Controller controller) throws InterruptedException {
        List<String> keys = new ArrayList<>();
        while (controller.queue().length() > 0) {
            String key = controller.queue().take(Duration.ofMillis(10)).orElseThrow();
            keys.add(key);
            controller.queue().done(key);
        }
        return keys;
    }
}
