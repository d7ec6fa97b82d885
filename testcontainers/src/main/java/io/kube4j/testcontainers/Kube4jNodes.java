package io.kube4j.testcontainers;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a test class using {@link Kube4jExtension}: the cluster must have at least this many nodes.
 * The run's cluster is started by the first such class; when another class of the run needs more
 * nodes than it has, that class fails at once. Set the run's node count with the JUnit
 * configuration parameter {@code kube4j.cluster.nodes} (e.g. in {@code junit-platform.properties})
 * so that the order of the classes does not matter.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface Kube4jNodes {

    /** The least number of nodes, from 1 to {@link Kube4jCluster#MAX_NODES}. */
    int value();
}
