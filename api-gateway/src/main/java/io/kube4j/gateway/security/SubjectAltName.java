package io.kube4j.gateway.security;

import java.net.InetAddress;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * A subject alternative name of the serving certificate: a DNS name or an IP address, in a
 * normalized form (DNS names lower case, IP addresses as {@link InetAddress#getHostAddress()})
 * so that names read back from a certificate compare equal to configured ones.
 */
public record SubjectAltName(Type type, String value) {

    public enum Type { DNS, IP }

    /** The names every gateway certificate carries: loopback and the in-cluster service names. */
    public static final List<String> BUILT_IN = List.of(
            "localhost", "127.0.0.1", "::1",
            "kubernetes", "kubernetes.default", "kubernetes.default.svc",
            "kubernetes.default.svc.cluster.local");

    /** Classifies a configured name: an IP literal becomes an IP entry, anything else DNS. */
    public static SubjectAltName of(String name) {
        String trimmed = name.strip();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty subject alternative name");
        }
        String literal = trimmed.startsWith("[") && trimmed.endsWith("]")
                ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
        try {
            return new SubjectAltName(Type.IP, InetAddress.ofLiteral(literal).getHostAddress());
        } catch (IllegalArgumentException notAnAddress) {
            return new SubjectAltName(Type.DNS, trimmed.toLowerCase(Locale.ROOT));
        }
    }

    /**
     * The names for a gateway certificate: the built-in ones, the host's name (when known) and the
     * configured extras, without duplicates, in that order.
     */
    public static Set<SubjectAltName> forGateway(Optional<String> hostName, Collection<String> extras) {
        Set<SubjectAltName> names = new LinkedHashSet<>();
        BUILT_IN.forEach(name -> names.add(of(name)));
        hostName.filter(h -> !h.isBlank()).ifPresent(h -> names.add(of(h)));
        extras.stream().filter(e -> !e.isBlank()).forEach(e -> names.add(of(e)));
        return names;
    }

    /** The host's name, from the resolver or else {@code HOSTNAME}; empty when neither knows it. */
    public static Optional<String> localHostName() {
        try {
            return Optional.of(InetAddress.getLocalHost().getHostName());
        } catch (java.net.UnknownHostException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).filter(h -> !h.isBlank());
        }
    }

    @Override
    public String toString() {
        return type + ":" + value;
    }
}
