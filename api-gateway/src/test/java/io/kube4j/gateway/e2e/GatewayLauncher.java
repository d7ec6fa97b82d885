package io.kube4j.gateway.e2e;

import io.kube4j.gateway.GatewayApplication;
import io.kube4j.testsupport.TestClassesExcluded;
import org.springframework.boot.SpringApplication;

/**
 * Runs the real gateway from the test classpath, in this JVM ({@link GatewayCluster}) or as a
 * process of its own ({@link GatewayProcess}, through {@link #main}), without its component
 * scan picking up test classes ({@link TestClassesExcluded}).
 */
public final class GatewayLauncher {

    private GatewayLauncher() {}

    /** A gateway application that scans no test classes. */
    static SpringApplication application() {
        return TestClassesExcluded.application(GatewayApplication.class);
    }

    /** The gateway with the given command-line properties, e.g. {@code --server.port=6443}. */
    public static void main(String[] args) {
        application().run(args);
    }
}
