package io.kube4j.controller.runtime;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.machinery.client.GatewayClients;
import io.kube4j.machinery.client.GatewayObjectClient;
import io.kube4j.machinery.client.ObjectClient;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.util.List;

@Configuration(proxyBeanMethods = false)
class ControllerConfiguration {

    @Bean(destroyMethod = "close")
    KubernetesClient gatewayClient(ControllerProperties properties) {
        return GatewayClients.fromKubeconfig(properties.kubeconfig(), GatewayClients.userAgent("kube-controller-manager"));
    }

    @Bean
    ObjectClient objectClient(KubernetesClient client) {
        return new GatewayObjectClient(client);
    }

    /**
     * The time of the controllers that take it (the CronJob controller's schedule). A context may
     * bring its own before it refreshes: tests move one forward to reach a scheduled time at once.
     */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ControllerManager controllerManager(ControllerProperties properties, KubernetesClient client, ObjectClient objects,
                                        List<ManagedController> controllers) {
        return new ControllerManager(properties, client, objects, controllers);
    }
}
