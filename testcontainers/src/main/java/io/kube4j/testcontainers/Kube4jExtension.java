package io.kube4j.testcontainers;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * JUnit 5 access to one {@link Kube4jCluster} per test run: the first test class that uses
 * {@code @ExtendWith(Kube4jExtension.class)} starts it, every later one shares it, and it stops
 * when the run ends. Test methods and constructors (and {@code @BeforeAll} methods) receive it as a
 * parameter of type {@link Kube4jCluster}, or its fabric8 client as a {@link KubernetesClient}.
 * Tests that share the cluster should each work in a namespace of their own.
 *
 * <p>Nodes: the cluster has as many as the JUnit configuration parameter
 * {@value #NODES_PARAMETER} says (default 1), or as the first class's {@link Kube4jNodes} asks
 * if that is more; a later class whose {@link Kube4jNodes} asks for more than the running cluster
 * has fails. Set the parameter in {@code junit-platform.properties} (or as a system property)
 * when some class needs several nodes.
 */
public class Kube4jExtension implements BeforeAllCallback, ParameterResolver {

    /** The JUnit configuration parameter that sets the run's node count. */
    public static final String NODES_PARAMETER = "kube4j.cluster.nodes";

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

    /** The run's cluster, started by the first caller with the nodes the run and its class ask for. */
    private static Kube4jCluster cluster(ExtensionContext context) {
        int required = context.getTestClass()
                .flatMap(type -> AnnotationSupport.findAnnotation(type, Kube4jNodes.class))
                .map(Kube4jNodes::value).orElse(1);
        int configured = context.getConfigurationParameter(NODES_PARAMETER).map(value -> {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new ExtensionConfigurationException(NODES_PARAMETER + " must be a number, not " + value);
            }
        }).orElse(1);
        Kube4jCluster cluster = context.getRoot().getStore(NAMESPACE)
                .getOrComputeIfAbsent(Running.class, key -> new Running(Math.max(required, configured)), Running.class).cluster;
        if (cluster.nodeCount() < required) {
            throw new ExtensionConfigurationException(context.getRequiredTestClass().getName() + " needs " + required
                    + " nodes; the run's cluster has " + cluster.nodeCount() + " (set " + NODES_PARAMETER + "=" + required + ")");
        }
        return cluster;
    }

    /** The run's cluster; JUnit closes it when the root context ends. */
    private static final class Running implements AutoCloseable {
        private final Kube4jCluster cluster;

        Running(int nodes) {
            cluster = new Kube4jCluster().withNodes(nodes);
            cluster.start();
        }

        @Override
        public void close() {
            cluster.stop();
        }
    }
}
