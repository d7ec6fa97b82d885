package io.kube4j.testcontainers;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 access to one {@link Kube4jCluster} per test run: the first test class that uses
 * {@code @ExtendWith(Kube4jExtension.class)} starts it, every later one shares it, and it stops
 * when the run ends. Test methods and constructors (and {@code @BeforeAll} methods) receive it as a
 * parameter of type {@link Kube4jCluster}, or its fabric8 client as a {@link KubernetesClient}.
 * Tests that share the cluster should each work in a namespace of their own.
 */
public class Kube4jExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Kube4jExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) {
        cluster(context);
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        Class<?> type = parameter.getParameter().getType();
        return type == Kube4jCluster.class || type == KubernetesClient.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) throws ParameterResolutionException {
        Kube4jCluster cluster = cluster(context);
        return parameter.getParameter().getType() == KubernetesClient.class ? cluster.client() : cluster;
    }

    private static Kube4jCluster cluster(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> new Running(), Running.class).cluster;
    }

    /** The run's cluster; JUnit closes it when the root context ends. */
    private static final class Running implements AutoCloseable {
        private final Kube4jCluster cluster = new Kube4jCluster();

        Running() {
            cluster.start();
        }

        @Override
        public void close() {
            cluster.stop();
        }
    }
}
