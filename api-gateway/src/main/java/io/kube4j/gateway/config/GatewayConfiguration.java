package io.kube4j.gateway.config;

import io.kube4j.gateway.admission.KindStrategies;
import io.kube4j.gateway.http.BodyDecoder;
import io.kube4j.gateway.http.ObjectPatcher;
import io.kube4j.gateway.http.Subresources;
import io.kube4j.gateway.http.TablePrinter;
import io.kube4j.gateway.http.WatchStreamer;
import io.kube4j.gateway.storage.ResourceStorage;
import io.kube4j.gateway.watch.WatchCache;
import io.kube4j.machinery.registry.ResourceRegistry;
import io.kube4j.gateway.security.ApiAccessFilter;
import io.kube4j.gateway.security.Authenticator;
import io.kube4j.gateway.security.Authorizer;
import io.kube4j.store.Compactor;
import io.kube4j.store.CompactorProperties;
import io.kube4j.store.EtcdStore;
import io.kube4j.store.EtcdStoreProperties;
import io.kube4j.store.Store;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.List;

/** The gateway's parts and how they connect: store → storage → watch cache → HTTP. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({GatewayProperties.class, EtcdStoreProperties.class, CompactorProperties.class})
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
    public io.kube4j.gateway.admission.PriorityClassCatalog priorityClassCatalog(Store store) {
        return new io.kube4j.gateway.admission.PriorityClassCatalog(store);
    }

    @Bean
    public ResourceStorage resourceStorage(Store store, KindStrategies strategies, Clock clock) {
        return new ResourceStorage(store, strategies, clock);
    }

    @Bean(initMethod = "start", destroyMethod = "close")
    public WatchCache watchCache(Store store, GatewayProperties properties, ResourceStorage storage, Authorizer authorizer,
                                 io.kube4j.gateway.admission.PriorityClassCatalog priorityClasses) {
        WatchCache cache = new WatchCache(store, properties.watchCacheCapacity(), properties.watchQueueLimit());
        // Pod admission reads PriorityClasses from memory while this cache follows etcd.
        cache.addListener(event -> {
            if (event.isDelete()) priorityClasses.deleted(event.key(), event.revision());
            else priorityClasses.observed(event.stored());
        });
        cache.addFollowListener(new WatchCache.FollowListener() {
            @Override
            public void following() {
                priorityClasses.following();
            }

            @Override
            public void lost() {
                priorityClasses.lost();
            }
        });
        if (authorizer instanceof io.kube4j.gateway.rbac.RbacAuthorizer rbac) cache.addListener(rbac::observe);
        String namespaces = io.kube4j.machinery.registry.BuiltInTypes.NAMESPACE.keyPrefix();
        cache.addListener(event -> {
            if (!event.key().startsWith(namespaces)) return;
            if (event.isDelete()) storage.namespaces().deleted(io.kube4j.machinery.object.KubeObject.name(event.object()));
            else storage.namespaces().observed(event.object());
        });
        return cache;
    }

    @Bean
    public WatchStreamer watchStreamer(ResourceStorage storage, WatchCache cache, TablePrinter tables,
                                       GatewayProperties properties) {
        return new WatchStreamer(storage, cache, tables, properties.bookmarkInterval().toMillis(),
                properties.minWatchTimeout().toSeconds());
    }

    @Bean
    public io.kube4j.gateway.kubelet.PodStreams podStreams(ResourceStorage storage, GatewayProperties properties) {
        return new io.kube4j.gateway.kubelet.PodStreams(storage, properties.kubeletConnectTimeout(),
                properties.kubeletAnswerTimeout());
    }

    @Bean
    public Subresources subresources(ResourceStorage storage, ObjectPatcher patcher, Clock clock,
                                     io.kube4j.gateway.security.ServiceAccountTokens serviceAccountTokens,
                                     WatchCache cache) {
        // Pods a binding may find without reading etcd; bounded, so a miss only costs that read.
        io.kube4j.gateway.watch.LatestValues pods = new io.kube4j.gateway.watch.LatestValues(
                io.kube4j.machinery.registry.BuiltInTypes.POD.keyPrefix(), 10_000);
        cache.addListener(pods);
        return new Subresources(storage, patcher, clock,
                new io.kube4j.gateway.security.TokenRequests(serviceAccountTokens, clock),
                new io.kube4j.gateway.http.PodBinding(storage, pods::get, clock));
    }

    @Bean
    public io.kube4j.gateway.security.ServiceAccountTokenAuthenticator serviceAccountTokenAuthenticator(
            io.kube4j.gateway.security.ServiceAccountTokens serviceAccountTokens, ResourceStorage storage, Clock clock) {
        return new io.kube4j.gateway.security.ServiceAccountTokenAuthenticator(serviceAccountTokens,
                (namespace, name) -> storage.find(io.kube4j.machinery.registry.BuiltInTypes.SERVICE_ACCOUNT, namespace, name),
                clock);
    }

    @Bean
    public io.kube4j.gateway.crd.CustomResourceTypes customResourceTypes(ResourceRegistry registry,
                                                                         ResourceStorage storage, WatchCache cache) {
        return new io.kube4j.gateway.crd.CustomResourceTypes(registry, storage, cache);
    }

    @Bean
    public io.kube4j.gateway.http.FieldValidation fieldValidation(io.kube4j.gateway.openapi.UnknownFieldDetector detector) {
        return new io.kube4j.gateway.http.FieldValidation(detector);
    }

    @Bean
    public io.kube4j.gateway.security.Reviews reviews(List<Authenticator> authenticators, Authorizer authorizer) {
        return new io.kube4j.gateway.security.Reviews(authenticators, authorizer);
    }

    /** Ready once the RBAC objects are listed: before that only system:masters could be served. */
    @Bean
    public io.kube4j.gateway.health.HealthCheck rbacHealthCheck(Authorizer authorizer) {
        return io.kube4j.gateway.health.HealthCheck.of("rbac", java.util.Set.of(io.kube4j.gateway.health.HealthCheck.Probe.READYZ),
                () -> !(authorizer instanceof io.kube4j.gateway.rbac.RbacAuthorizer rbac) || rbac.loaded());
    }

    @Bean
    public io.kube4j.gateway.health.HealthCheck etcdHealthCheck(Store store) {
        return new io.kube4j.gateway.health.StoreHealthCheck(store, java.time.Duration.ofSeconds(2));
    }

    /**
     * RBAC (the default), or {@code kube4j.gateway.authorization-mode=AlwaysAllow}. The RBAC
     * objects are listed now and kept current by the watch cache.
     */
    @Bean
    public Authorizer authorizer(GatewayProperties properties, ResourceStorage storage) {
        if (properties.authorizationMode().equals("AlwaysAllow")) return Authorizer.ALLOW_ALL;
        if (!properties.authorizationMode().equals("RBAC")) {
            throw new IllegalArgumentException("kube4j.gateway.authorization-mode must be RBAC or AlwaysAllow, not "
                    + properties.authorizationMode());
        }
        io.kube4j.gateway.rbac.RbacAuthorizer rbac = new io.kube4j.gateway.rbac.RbacAuthorizer();
        rbac.loadInBackground(storage);
        return rbac;
    }

    @Bean
    public FilterRegistrationBean<ApiAccessFilter> apiAccessFilter(List<Authenticator> authenticators,
                                                                   Authorizer authorizer, GatewayProperties properties) {
        FilterRegistrationBean<ApiAccessFilter> registration = new FilterRegistrationBean<>(
                new ApiAccessFilter(authenticators, authorizer, properties.anonymousAuth()));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        registration.addUrlPatterns("/*");
        return registration;
    }

    @Bean(destroyMethod = "close")
    public Compactor compactor(Store store, CompactorProperties properties) {
        Compactor compactor = new Compactor(store, properties);
        if (properties.enabled()) compactor.start();
        return compactor;
    }

    @Bean(destroyMethod = "close")
    public io.kube4j.gateway.admission.allocation.AllocationRepairLoop allocationRepair(
            io.kube4j.gateway.admission.allocation.ServiceAllocators allocators, Store store) {
        var loop = new io.kube4j.gateway.admission.allocation.AllocationRepairLoop(allocators, store);
        loop.start(java.time.Duration.ofMinutes(1));
        return loop;
    }

    @Bean
    public BodyDecoder bodyDecoder(BodyDecoder.ProtobufDecoder protobuf) {
        return new BodyDecoder(protobuf);
    }
}
