package io.kube4j.gateway.admission;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Kubernetes' syntax checks for names, keys and values. Each returns the messages
 * kube-apiserver gives (empty when valid), to be wrapped in {@code field.Invalid} errors.
 */
final class Names {

    private Names() {}

    private static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    private static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    private static final String CONFIG_KEY_FMT = "[-._a-zA-Z0-9]+";
    private static final String ENV_VAR_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
    private static final String PERCENT_FMT = "[0-9]+%";

    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern CONFIG_KEY = Pattern.compile(CONFIG_KEY_FMT);
    private static final Pattern ENV_VAR = Pattern.compile(ENV_VAR_FMT);
    private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
    private static final Pattern IANA_SVC_NAME = Pattern.compile("[-a-z0-9]+");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");
    private static final Pattern WILDCARD_SUBDOMAIN = Pattern.compile("\\*\\." + DNS1123_SUBDOMAIN_FMT);

    static final int DNS1123_LABEL_MAX = 63;
    static final int DNS1123_SUBDOMAIN_MAX = 253;

    static String regexError(String msg, String fmt, String... examples) {
        StringBuilder b = new StringBuilder(msg);
        if (examples.length > 0) {
            b.append(" (e.g. ");
            for (int i = 0; i < examples.length; i++) {
                if (i > 0) b.append(",  or ");
                b.append('\'').append(examples[i]).append('\'');
            }
            b.append(", regex used for validation is '").append(fmt).append("')");
        } else {
            b.append(" (regex used for validation is '").append(fmt).append("')");
        }
        return b.toString();
    }

    static String maxLen(int n) {
        return "must be no more than " + n + " characters";
    }

    static List<String> dns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_LABEL_MAX) errs.add(maxLen(DNS1123_LABEL_MAX));
        if (!DNS1123_LABEL.matcher(value).matches()) {
            errs.add(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
                    + "and must start and end with an alphanumeric character", DNS1123_LABEL_FMT, "my-name", "123-abc"));
        }
        return errs;
    }

    static List<String> dns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX) errs.add(maxLen(DNS1123_SUBDOMAIN_MAX));
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                            + "'-' or '.', and must start and end with an alphanumeric character",
                    DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    static List<String> wildcardOrSubdomain(String value) {
        if (value.startsWith("*.")) {
            if (WILDCARD_SUBDOMAIN.matcher(value).matches()) return List.of();
            return List.of(regexError("a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS "
                            + "subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end "
                            + "with an alphanumeric character", "\\*\\." + DNS1123_SUBDOMAIN_FMT, "*.example.com"));
        }
        return dns1123Subdomain(value);
    }

    static List<String> dns1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_LABEL_MAX) errs.add(maxLen(DNS1123_LABEL_MAX));
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errs.add(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
                    + "with an alphabetic character, and end with an alphanumeric character", DNS1035_LABEL_FMT,
                    "my-name", "abc-123"));
        }
        return errs;
    }

    /** A label or annotation key: {@code [prefix/]name}. */
    static List<String> qualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                String prefix = parts[0];
                name = parts[1];
                if (prefix.isEmpty()) errs.add("prefix part must be non-empty");
                else for (String m : dns1123Subdomain(prefix)) errs.add("prefix part " + m);
            }
            default -> {
                return List.of("a qualified name " + regexError("must consist of alphanumeric characters, '-', '_' or "
                        + "'.', and must start and end with an alphanumeric character", QUALIFIED_NAME_FMT,
                        "MyName", "my.name", "123-abc") + " with an optional DNS subdomain prefix and '/' (e.g. "
                        + "'example.com/MyName')");
            }
        }
        if (name.isEmpty()) errs.add("name part must be non-empty");
        else if (name.length() > 63) errs.add("name part " + maxLen(63));
        if (!name.isEmpty() && !QUALIFIED_NAME.matcher(name).matches()) {
            errs.add("name part " + regexError("must consist of alphanumeric characters, '-', '_' or '.', and must "
                    + "start and end with an alphanumeric character", QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    static List<String> labelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 63) errs.add(maxLen(63));
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', "
                    + "'_' or '.', and must start and end with an alphanumeric character", LABEL_VALUE_FMT,
                    "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** A key of a ConfigMap's or Secret's data. */
    static List<String> configMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX) errs.add(maxLen(DNS1123_SUBDOMAIN_MAX));
        if (!CONFIG_KEY.matcher(value).matches()) {
            errs.add(regexError("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                    CONFIG_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
        }
        if (value.equals(".")) errs.add("must not be '.'");
        else if (value.equals("..")) errs.add("must not be '..'");
        else if (value.startsWith("..")) errs.add("must not start with '..'");
        return errs;
    }

    static List<String> envVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (!ENV_VAR.matcher(value).matches()) {
            errs.add(regexError("a valid environment variable name must consist of alphabetic characters, digits, "
                    + "'_', '-', or '.', and must not start with a digit", ENV_VAR_FMT,
                    "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
        }
        if (value.equals(".")) errs.add("must not be '.'");
        else if (value.equals("..")) errs.add("must not be '..'");
        else if (value.startsWith("..")) errs.add("must not start with '..'");
        return errs;
    }

    /** A named port: an IANA service name. */
    static List<String> portName(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > 15) errs.add(maxLen(15));
        if (!IANA_SVC_NAME.matcher(value).matches()) errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        if (value.contains("--")) errs.add("must not contain consecutive hyphens");
        if (!value.isEmpty() && !HAS_LETTER.matcher(value).matches()) errs.add("must contain at least one letter (a-z)");
        if (value.startsWith("-") || value.endsWith("-")) errs.add("must not begin or end with a hyphen");
        return errs;
    }

    static String portRangeMessage() {
        return "must be between 1 and 65535, inclusive";
    }

    static boolean isPercent(String value) {
        return PERCENT.matcher(value).matches();
    }

    static String percentMessage() {
        return regexError("a valid percent string must be a numeric string followed by an ending '%'", PERCENT_FMT,
                "1%", "93%");
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
