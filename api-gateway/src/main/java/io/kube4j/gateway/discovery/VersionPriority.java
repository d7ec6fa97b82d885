package io.kube4j.gateway.discovery;

import java.util.Comparator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kubernetes' order of API versions, highest priority first: GA before beta before alpha,
 * higher major then higher minor first ({@code v2 > v1 > v1beta2 > v1beta1 > v1alpha1}); versions
 * that do not look like Kubernetes versions come last, alphabetically. The first version of a
 * group in this order is its preferred version.
 */
public final class VersionPriority implements Comparator<String> {

    public static final VersionPriority INSTANCE = new VersionPriority();

    private static final Pattern KUBE_VERSION = Pattern.compile("v(\\d+)(?:(alpha|beta)(\\d+))?");

    private VersionPriority() {}

    private record Parsed(boolean kube, int major, int stability, int minor) {}

    private static Parsed parse(String version) {
        Matcher m = KUBE_VERSION.matcher(version);
        if (!m.matches()) {
            return new Parsed(false, 0, 0, 0);
        }
        int stability = m.group(2) == null ? 2 : m.group(2).equals("beta") ? 1 : 0;
        int minor = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        return new Parsed(true, Integer.parseInt(m.group(1)), stability, minor);
    }

    @Override
    public int compare(String a, String b) {
        Parsed pa = parse(a);
        Parsed pb = parse(b);
        if (pa.kube() != pb.kube()) {
            return pa.kube() ? -1 : 1;
        }
        if (!pa.kube()) {
            return a.compareTo(b);
        }
        if (pa.stability() != pb.stability()) {
            return Integer.compare(pb.stability(), pa.stability());
        }
        if (pa.major() != pb.major()) {
            return Integer.compare(pb.major(), pa.major());
        }
        return Integer.compare(pb.minor(), pa.minor());
    }
}
