package io.kube4j.scheduler.service;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.machinery.client.GatewayClients;
import io.kube4j.machinery.events.GatewayEventRecorder;
import io.kube4j.machinery.informer.KafkaInformer;
import io.kube4j.machinery.informer.KafkaSource;
import io.kube4j.machinery.informer.ObjectLister;
import io.kube4j.machinery.registry.BuiltInTypes;
import io.kube4j.scheduler.algorithm.SchedulingAlgorithm;
import io.kube4j.scheduler.binding.GatewayBinder;
import io.kube4j.scheduler.cache.SchedulerCache;
import io.kube4j.scheduler.config.ProfileFactory;
import io.kube4j.scheduler.config.SchedulerConfiguration;
import io.kube4j.scheduler.events.PodConditions;
import io.kube4j.scheduler.events.RecorderSchedulingEvents;
import io.kube4j.scheduler.feed.ClusterFeed;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.Plugin;
import io.kube4j.scheduler.plugins.PluginRegistry;
import io.kube4j.scheduler.plugins.volumebinding.GatewayVolumeObjects;
import io.kube4j.scheduler.plugins.volumebinding.VolumeBinding;
import io.kube4j.scheduler.plugins.defaultpreemption.DefaultPreemption;
import io.kube4j.scheduler.preemption.GatewayDisruptionBudgets;
import io.kube4j.scheduler.preemption.GatewayPreemptionActions;
import io.kube4j.scheduler.queue.Nominator;
import io.kube4j.scheduler.queue.SchedulingQueue;
import io.kube4j.scheduler.scheduling.Scheduler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

@Configuration(proxyBeanMethods = false)
class SchedulerServiceConfiguration {

    /** kube-scheduler's queue timings: backoff 1 s doubling to 10 s; unschedulable pods retried after 5 min. */
    static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    static final Duration MAX_IN_UNSCHEDULABLE = Duration.ofMinutes(5);

    @Bean(destroyMethod = "close")
    KubernetesClient gatewayClient(SchedulerProperties properties) {
        return GatewayClients.fromKubeconfig(properties.kubeconfig(), GatewayClients.userAgent("kube-scheduler"));
    }

    @Bean
    SchedulerConfiguration schedulerConfiguration(SchedulerProperties properties) throws IOException {
        return properties.config() == null ? SchedulerConfiguration.defaults() : SchedulerConfiguration.load(properties.config());
    }

    @Bean
    Map<String, Framework> profiles(SchedulerConfiguration config, KubernetesClient client, GatewayEventRecorder recorder) {
        GatewayBinder binder = new GatewayBinder(client);
        GatewayPreemptionActions preemption = new GatewayPreemptionActions(client, recorder);
        PluginRegistry registry = new PluginRegistry()
                .register(GatewayBinder.NAME, args -> binder)
                .register(DefaultPreemption.NAME, args -> new DefaultPreemption(preemption, new GatewayDisruptionBudgets(client)))
                .register(VolumeBinding.NAME, args -> new VolumeBinding(new GatewayVolumeObjects(client)));
        return new ProfileFactory(registry, List.of(GatewayBinder.NAME), List.of(DefaultPreemption.NAME)).build(config);
    }

    @Bean
    Nominator nominator() {
        return new Nominator();
    }

    @Bean
    SchedulerCache schedulerCache() {
        return new SchedulerCache();
    }

    @Bean
    SchedulingQueue schedulingQueue(Map<String, Framework> profiles) {
        Map<String, Set<ClusterEvent>> events = new HashMap<>();
        for (Framework f : profiles.values()) {
            for (Plugin p : f.filterPlugins()) events.put(p.name(), p.eventsToRegister());
        }
        return new SchedulingQueue(events, System::nanoTime, INITIAL_BACKOFF, MAX_BACKOFF, MAX_IN_UNSCHEDULABLE);
    }

    @Bean(destroyMethod = "close")
    Parallelizer parallelizer(SchedulerConfiguration config) {
        // More threads than cores only add hand-offs to per-node work that takes microseconds.
        return new Parallelizer(Math.min(config.parallelism(), Runtime.getRuntime().availableProcessors()));
    }

    @Bean(destroyMethod = "close")
    GatewayEventRecorder eventRecorder(KubernetesClient client, SchedulerProperties properties) {
        return new GatewayEventRecorder(client, "default-scheduler", properties.replicaId(),
                properties.eventQps(), properties.eventBurst());
    }

    @Bean
    ExecutorService bindingExecutor(SchedulerProperties properties) {
        return Executors.newFixedThreadPool(properties.bindingThreads(),
                Thread.ofPlatform().name("scheduler-binding-", 0).daemon().factory());
    }

    @Bean
    Scheduler scheduler(SchedulerCache cache, SchedulingQueue queue, Map<String, Framework> profiles,
                        SchedulerConfiguration config, Parallelizer parallelizer, ExecutorService bindingExecutor,
                        GatewayEventRecorder recorder, KubernetesClient client, Nominator nominator) {
        return new Scheduler(cache, queue, profiles,
                new SchedulingAlgorithm(config.percentageOfNodesToScore(), parallelizer, 64, new SplittableRandom()),
                bindingExecutor, new RecorderSchedulingEvents(recorder, new PodConditions(client)), nominator);
    }

    @Bean
    SchedulerRunner schedulerRunner(SchedulerProperties properties, KubernetesClient client, Scheduler scheduler,
                                    SchedulerCache cache, SchedulingQueue queue, ExecutorService bindingExecutor,
                                    Nominator nominator) {
        KafkaSource kafka = KafkaSource.of(properties.kafkaBootstrapServers(), properties.partitions());
        var pods = new KafkaInformer<>(BuiltInTypes.POD, Pod.class,
                ObjectLister.gateway(client, BuiltInTypes.POD, Pod.class, 500), kafka);
        var nodes = new KafkaInformer<>(BuiltInTypes.NODE, Node.class,
                ObjectLister.gateway(client, BuiltInTypes.NODE, Node.class, 500), kafka);
        var namespaces = new KafkaInformer<>(BuiltInTypes.NAMESPACE, Namespace.class,
                ObjectLister.gateway(client, BuiltInTypes.NAMESPACE, Namespace.class, 500), kafka);
        ClusterFeed feed = new ClusterFeed(cache, queue, scheduler::handles, nominator);
        namespaces.addHandler(feed.namespaceHandler());
        nodes.addHandler(feed.nodeHandler());
        pods.addHandler(feed.podHandler());
        return new SchedulerRunner(properties, client, scheduler, queue, pods, nodes, namespaces, bindingExecutor);
    }
}
