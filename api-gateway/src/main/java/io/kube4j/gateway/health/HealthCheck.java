package io.kube4j.gateway.health;

import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * One named check behind {@code /healthz}, {@code /livez} and {@code /readyz}, as kube-apiserver
 * has them ({@code ping}, {@code etcd}, ...). Any bean of this type joins the probes it names.
 * {@link #passes()} is called on every probe request, from any thread: it must be cheap and must
 * not block (report the last known state of a connection, don't open one).
 */
public interface HealthCheck {

    /** The probes of kube-apiserver. */
    enum Probe { HEALTHZ, LIVEZ, READYZ }

    /** The check's name in verbose output and in {@code /readyz/<name>}: lower case, no slash. */
    String name();

    /** The probes that include this check. */
    Set<Probe> probes();

    boolean passes();

    /** A check from a name, its probes and a condition. */
    static HealthCheck of(String name, Set<Probe> probes, BooleanSupplier passes) {
        return new HealthCheck() {
            @Override public String name() { return name; }
            @Override public Set<Probe> probes() { return probes; }
            @Override public boolean passes() { return passes.getAsBoolean(); }
        };
    }
}
