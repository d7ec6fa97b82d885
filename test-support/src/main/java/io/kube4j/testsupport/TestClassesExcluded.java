package io.kube4j.testsupport;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.TypeExcludeFilter;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;

/**
 * Runs a service's Spring Boot application from a test class path without its component scan
 * picking up test classes (other tests' configurations and applications): Spring Boot's scan
 * consults every {@link TypeExcludeFilter} bean, and this one names test classes by their names —
 * {@code *Test}, their nested classes, {@code *TestApplication}.
 */
public final class TestClassesExcluded extends TypeExcludeFilter {

    /** An application of {@code source} that scans no test classes. */
    public static SpringApplication application(Class<?> source) {
        SpringApplication app = new SpringApplication(source);
        app.addInitializers(context -> context.getBeanFactory().registerSingleton("excludeTestClasses", new TestClassesExcluded()));
        return app;
    }

    @Override
    public boolean match(MetadataReader reader, MetadataReaderFactory factory) {
        String name = reader.getClassMetadata().getClassName();
        return name.contains("Test$") || name.endsWith("Test") || name.endsWith("TestApplication");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TestClassesExcluded;
    }

    @Override
    public int hashCode() {
        return TestClassesExcluded.class.hashCode();
    }
}
