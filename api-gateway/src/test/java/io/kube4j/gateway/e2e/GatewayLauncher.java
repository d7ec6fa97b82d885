package io.kube4j.gateway.e2e;

import io.kube4j.gateway.GatewayApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Runs the real gateway from the test classpath, in this JVM ({@link GatewayCluster}) or as a
 * process of its own ({@link GatewayProcess}, through {@link #main}).
 *
 * <p>The test classpath also holds other tests' slice configurations ({@code @TestConfiguration}
 * classes, test applications); the gateway's component scan would pick them up. Spring Boot's
 * scan consults every {@link TypeExcludeFilter} bean, so the launcher registers one that leaves
 * test classes out before the scan runs.
 */
public final class GatewayLauncher {

    private GatewayLauncher() {}

    /** A gateway application that scans no test classes. */
    static SpringApplication application() {
        SpringApplication app = new SpringApplication(GatewayApplication.class);
        app.addInitializers(context -> context.getBeanFactory().registerSingleton("excludeTestSlices", new TestClasses()));
        return app;
    }

    /** The gateway with the given command-line properties, e.g. {@code --server.port=6443}. */
    public static void main(String[] args) {
        application().run(args);
    }

    /** Test classes by their names: {@code *Test}, their nested classes, {@code *TestApplication}. */
    static final class TestClasses extends TypeExcludeFilter {
        @Override
        public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
            String name = reader.getClassMetadata().getClassName();
            return name.contains("Test$") || name.endsWith("Test") || name.endsWith("TestApplication");
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof TestClasses;
        }

        @Override
        public int hashCode() {
            return TestClasses.class.hashCode();
        }
    }
}
