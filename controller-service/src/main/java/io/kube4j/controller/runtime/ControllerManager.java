package io.kube4j.controller.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.machinery.client.ObjectClient;
import io.kube4j.machinery.controller.Controller;
import io.kube4j.machinery.controller.KafkaWorkShards;
import io.kube4j.machinery.controller.WorkShards;
import io.kube4j.machinery.events.EventRecorder;
import io.kube4j.machinery.events.GatewayEventRecorder;
import io.kube4j.machinery.informer.KafkaSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the enabled controllers, starts the shared informers, waits for their first lists, then
 * joins each controller's shard group and starts its workers — so no controller acts on a cache
 * that is not yet complete. Healthy once the controllers run; until the gateway answers, the
 * service waits (and says so in its log) rather than failing.
 */
public final class ControllerManager implements SmartLifecycle, HealthIndicator, ControllerContext {

    private static final Logger log = LoggerFactory.getLogger(ControllerManager.class);

    private final ControllerProperties properties;
    private final KubernetesClient client;
    private final ObjectClient objects;
    private final List<ManagedController> definitions;
    private final SharedInformers informers;
    private final KafkaSource kafka;
    private final Map<String, GatewayEventRecorder> recorders = new ConcurrentHashMap<>();
    private final Map<String, KafkaWorkShards> shards = new ConcurrentHashMap<>();
    private final List<Controller> controllers = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean stopped;
    private Thread starter;

    public ControllerManager(ControllerProperties properties, KubernetesClient client, ObjectClient objects, List<ManagedController> definitions) {
        this.properties = properties;
        this.client = client;
        this.objects = objects;
        this.definitions = definitions;
        this.kafka = new KafkaSource(properties.kafkaBootstrapServers(), properties.partitions(), null, null);
        this.informers = new SharedInformers(client, kafka);
    }

    @Override
    public SharedInformers informers() {
        return informers;
    }

    @Override
    public ObjectClient objects() {
        return objects;
    }

    @Override
    public KubernetesClient client() {
        return client;
    }

    @Override
    public EventRecorder events(String component) {
        return recorders.computeIfAbsent(component, c -> new GatewayEventRecorder(client, c, properties.replicaId()));
    }

    @Override
    public WorkShards shards(String name) {
        return shards.computeIfAbsent(name, n -> new KafkaWorkShards(n, kafka, properties.replicaId(), properties.shardSessionTimeout()));
    }

    @Override
    public int workers() {
        return properties.workers();
    }

    @Override
    public synchronized void start() {
        if (starter != null) return;
        for (ManagedController definition : definitions) {
            if (!properties.runs(definition.name())) {
                log.info("controller {} is disabled", definition.name());
                continue;
            }
            controllers.add(definition.build(this));
        }
        informers.startAll();
        // The gateway may come up after this service: wait for the first lists in the background,
        // reporting DOWN until then, instead of failing the service's start.
        starter = Thread.ofPlatform().name("controller-manager-start").daemon().start(this::startWhenSynced);
    }

    private void startWhenSynced() {
        try {
            while (!informers.awaitSynced(properties.syncTimeout())) {
                log.warn("the informers have not listed within {}; still waiting for the gateway", properties.syncTimeout());
            }
        } catch (InterruptedException e) {
            return;
        }
        synchronized (this) {
            if (stopped) return;
            shards.values().forEach(WorkShards::start);
            controllers.forEach(Controller::start);
            running = true;
        }
        log.info("controllers running as {}: {}", properties.replicaId(), controllers.stream().map(Controller::name).toList());
    }

    @Override
    public synchronized void stop() {
        stopped = true;
        running = false;
        if (starter != null) starter.interrupt();
        controllers.forEach(Controller::close);
        shards.values().forEach(WorkShards::close);
        informers.close();
        recorders.values().forEach(GatewayEventRecorder::close);
    }

    @Override
    public boolean isRunning() {
        return starter != null && !stopped;
    }

    @Override
    public Health health() {
        return running ? Health.up().withDetail("controllers", controllers.stream().map(Controller::name).toList()).build()
                : Health.down().build();
    }

    /** The running controllers, for tests. */
    public List<Controller> controllers() {
        return List.copyOf(controllers);
    }
}
