package io.kube4j.gateway.admission;

import java.net.InetAddress;

/**
 * Kubernetes' syntax checks for IP addresses, CIDRs and port numbers, with the messages
 * kube-apiserver gives. Names, keys and label values are checked by
 * {@link io.kube4j.machinery.validation.NameValidation}.
 */
final class Addresses {

    private Addresses() {}

    static String portRangeMessage() {
        return "must be between 1 and 65535, inclusive";
    }

    /** Whether {@code value} is a literal IPv4 or IPv6 address (no host names). */
    static boolean isIp(String value) {
        return isIpv4(value) || isIpv6(value);
    }

    static boolean isIpv4(String value) {
        if (!value.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) return false;
        for (String part : value.split("\\.")) {
            if (Integer.parseInt(part) > 255 || (part.length() > 1 && part.startsWith("0"))) return false;
        }
        return true;
    }

    static boolean isIpv6(String value) {
        if (!value.contains(":") || !value.matches("[0-9a-fA-F:.]+")) return false;
        try {
            // A literal with a colon is parsed, never resolved.
            return InetAddress.getByName(value) != null;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    static String ipMessage() {
        return "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
    }

    static boolean isCidr(String value) {
        int slash = value.indexOf('/');
        if (slash < 0) return false;
        String ip = value.substring(0, slash);
        String bits = value.substring(slash + 1);
        if (!bits.matches("[0-9]{1,3}")) return false;
        int n = Integer.parseInt(bits);
        return (isIpv4(ip) && n <= 32) || (isIpv6(ip) && n <= 128);
    }
}
