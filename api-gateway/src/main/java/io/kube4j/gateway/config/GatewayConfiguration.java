package io.kube4j.gateway.config;

import io.kube4j.gateway.admission.KindStrategies;
import io.kube4j.gateway.admission.KindStrategy;
import io.kube4j.gateway.http.BodyDecoder;
import io.kube4j.gateway.http.ObjectPatcher;
import io.kube4j.gateway.http.Subresources;
import io.kube4j.gateway.http.TablePrinter;
import io.kube4j.gateway.http.WatchStreamer;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.gateway.watch.WatchCache;
import io.kube4j.machinery.registry.ResourceRegistry;
import io.kube4j.store.EtcdStore;
import io.kube4j.store.EtcdStoreProperties;
import io.kube4j.store.Store;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.List;

/** The gateway's parts and how they connect: store → storage → watch cache → HTTP. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({GatewayProperties.class, EtcdStoreProperties.class})
public class GatewayConfiguration {

    @Bean
    public Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    public ResourceRegistry resourceRegistry() {
        return ResourceRegistry.builtIn();
    }

    @Bean(destroyMethod = "close")
    public Store store(EtcdStoreProperties properties) {
        return new EtcdStore(properties);
    }

    @Bean
    public KindStrategies kindStrategies(List<KindStrategy> strategies) {
        return new KindStrategies(strategies);
    }

    @Bean
    public ResourceStorage resourceStorage(Store store, KindStrategies strategies, Clock clock) {
        return new ResourceStorage(store, strategies, clock);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public WatchCache watchCache(Store store, GatewayProperties properties) {
        return new WatchCache(store, properties.watchCacheCapacity(), properties.watchQueueLimit());
    }

    @Bean
    public WatchStreamer watchStreamer(ResourceStorage storage, WatchCache cache, TablePrinter tables,
                                       GatewayProperties properties) {
        return new WatchStreamer(storage, cache, tables, properties.bookmarkInterval().toMillis(),
                properties.minWatchTimeout().toSeconds());
    }

    @Bean
    public Subresources subresources(ResourceStorage storage, ObjectPatcher patcher, Clock clock) {
        return new Subresources(storage, patcher, clock);
    }

    @Bean
    public io.kube4j.gateway.crd.CustomResourceTypes customResourceTypes(ResourceRegistry registry,
                                                                         ResourceStorage storage, WatchCache cache) {
        return new io.kube4j.gateway.crd.CustomResourceTypes(registry, storage, cache);
    }

    @Bean
    public BodyDecoder bodyDecoder(BodyDecoder.ProtobufDecoder protobuf) {
        return new BodyDecoder(protobuf);
    }
}
