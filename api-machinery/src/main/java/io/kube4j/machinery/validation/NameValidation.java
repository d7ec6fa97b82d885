package io.kube4j.machinery.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.kube4j.machinery.errors.StatusCause;

/**
 * Kubernetes' name and label syntax checks, with kube-apiserver's exact messages (users and tools match on them).
 *
 * <p>The {@code is*} functions return the list of problems, empty when the value is valid, each message phrased to
 * follow {@code Invalid value: "x": }. The {@code validate*} functions turn them into {@link StatusCause}s for a
 * field path. Pure and thread-safe.
 */
public final class NameValidation {

    private NameValidation() {}

    static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    static final String QUALIFIED_NAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    static final String WILDCARD_DNS1123_SUBDOMAIN_FMT = "\\*\\." + DNS1123_SUBDOMAIN_FMT;
    static final String CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
    static final String ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";

    private static final Pattern WILDCARD_DNS1123_SUBDOMAIN = Pattern.compile("^" + WILDCARD_DNS1123_SUBDOMAIN_FMT + "$");
    private static final Pattern CONFIG_MAP_KEY = Pattern.compile("^" + CONFIG_MAP_KEY_FMT + "$");
    private static final Pattern ENV_VAR_NAME = Pattern.compile("^" + ENV_VAR_NAME_FMT + "$");
    private static final Pattern IANA_SVC_NAME = Pattern.compile("^[-a-z0-9]+$");
    private static final Pattern HAS_LETTER = Pattern.compile(".*[a-z].*");

    public static final int DNS1123_LABEL_MAX_LENGTH = 63;
    public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;
    public static final int DNS1035_LABEL_MAX_LENGTH = 63;
    public static final int QUALIFIED_NAME_MAX_LENGTH = 63;
    public static final int LABEL_VALUE_MAX_LENGTH = 63;
    public static final int IANA_SVC_NAME_MAX_LENGTH = 15;
    /** The most bytes all annotations of one object may take, keys and values together. */
    public static final int TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024;

    private static final String DNS1123_LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case "
            + "alphanumeric characters or '-', and must start and end with an alphanumeric character";
    private static final String DNS1123_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    private static final String DNS1035_LABEL_MSG = "a DNS-1035 label must consist of lower case alphanumeric "
            + "characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    private static final String QUALIFIED_NAME_MSG = "must consist of alphanumeric characters, '-', '_' or '.', "
            + "and must start and end with an alphanumeric character";
    private static final String WILDCARD_DNS1123_SUBDOMAIN_MSG = "a wildcard DNS-1123 subdomain must start with "
            + "'*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' "
            + "or '.' and end with an alphanumeric character";
    private static final String CONFIG_MAP_KEY_MSG = "a valid config key must consist of alphanumeric characters, "
            + "'-', '_' or '.'";
    private static final String ENV_VAR_NAME_MSG = "a valid environment variable name must consist of alphabetic "
            + "characters, digits, '_', '-', or '.', and must not start with a digit";
    private static final String LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric "
            + "characters, '-', '_' or '.', and must start and end with an alphanumeric character";

    // The commonest syntaxes are checked by hand: validation runs on every write, and these
    // loops accept exactly what their *_FMT expressions match.

    private static boolean lowerAlphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= '0' && c <= '9';
    }

    private static boolean alphanumeric(char c) {
        return lowerAlphanumeric(c) || c >= 'A' && c <= 'Z';
    }

    /** {@link #DNS1123_LABEL_FMT} over {@code value[from, to)}. */
    static boolean dns1123Label(String value, int from, int to) {
        if (to <= from || !lowerAlphanumeric(value.charAt(from)) || !lowerAlphanumeric(value.charAt(to - 1))) return false;
        for (int i = from + 1; i < to - 1; i++) {
            char c = value.charAt(i);
            if (c != '-' && !lowerAlphanumeric(c)) return false;
        }
        return true;
    }

    /** {@link #DNS1123_SUBDOMAIN_FMT}: labels joined by dots. */
    static boolean dns1123Subdomain(String value) {
        int start = 0;
        while (true) {
            int dot = value.indexOf('.', start);
            int end = dot < 0 ? value.length() : dot;
            if (!dns1123Label(value, start, end)) return false;
            if (dot < 0) return true;
            start = dot + 1;
        }
    }

    /** {@link #DNS1035_LABEL_FMT}: a DNS-1123 label that starts with a letter. */
    static boolean dns1035Label(String value) {
        return !value.isEmpty() && value.charAt(0) >= 'a' && value.charAt(0) <= 'z' && dns1123Label(value, 0, value.length());
    }

    /** {@link #QUALIFIED_NAME_FMT}: the name part of a qualified name. */
    static boolean qualifiedName(String value) {
        int n = value.length();
        if (n == 0 || !alphanumeric(value.charAt(0)) || !alphanumeric(value.charAt(n - 1))) return false;
        for (int i = 1; i < n - 1; i++) {
            char c = value.charAt(i);
            if (c != '-' && c != '_' && c != '.' && !alphanumeric(c)) return false;
        }
        return true;
    }

    /** {@code must be no more than N characters}. */
    public static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    /** The message of a failed pattern, with examples, as Kubernetes words it. */
    public static String regexError(String message, String regex, String... examples) {
        StringBuilder sb = new StringBuilder(message);
        if (examples.length == 0) {
            return sb.append(" (regex used for validation is '").append(regex).append("')").toString();
        }
        sb.append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) sb.append(" or ");
            sb.append('\'').append(examples[i]).append("', ");
        }
        return sb.append("regex used for validation is '").append(regex).append("')").toString();
    }

    /** An RFC 1123 label: namespace names, most label-like names. */
    public static List<String> isDns1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_LABEL_MAX_LENGTH) errs.add(maxLenError(DNS1123_LABEL_MAX_LENGTH));
        if (!dns1123Label(value, 0, value.length())) {
            if (dns1123Subdomain(value)) {
                errs.add("must not contain dots");
            } else {
                errs.add(regexError(DNS1123_LABEL_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
            }
        }
        return errs;
    }

    /** An RFC 1123 subdomain: the names of most objects. */
    public static List<String> isDns1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        if (!dns1123Subdomain(value)) {
            errs.add(regexError(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    /** An RFC 1035 label: Service names. */
    public static List<String> isDns1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1035_LABEL_MAX_LENGTH) errs.add(maxLenError(DNS1035_LABEL_MAX_LENGTH));
        if (!dns1035Label(value)) {
            errs.add(regexError(DNS1035_LABEL_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    /** A qualified name, {@code [prefix/]name}: label keys, annotation keys, finalizers. */
    public static List<String> isQualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                String prefix = parts[0];
                name = parts[1];
                if (prefix.isEmpty()) {
                    errs.add("prefix part must be non-empty");
                } else {
                    isDns1123Subdomain(prefix).forEach(m -> errs.add("prefix part " + m));
                }
            }
            default -> {
                errs.add("a qualified name " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT,
                        "MyName", "my.name", "123-abc")
                        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
            }
        }
        if (name.isEmpty()) {
            errs.add("name part must be non-empty");
        } else if (name.length() > QUALIFIED_NAME_MAX_LENGTH) {
            errs.add("name part " + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
        }
        if (!qualifiedName(name)) {
            errs.add("name part " + regexError(QUALIFIED_NAME_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    /** A label value: empty, or a qualified name part of at most 63 characters. */
    public static List<String> isValidLabelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > LABEL_VALUE_MAX_LENGTH) errs.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
        if (!value.isEmpty() && !qualifiedName(value)) {
            errs.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /**
     * A host that is either an RFC 1123 subdomain or a wildcard {@code *.subdomain} (Ingress hosts and TLS hosts).
     */
    public static List<String> isDns1123SubdomainOrWildcard(String value) {
        if (!value.startsWith("*.")) return isDns1123Subdomain(value);
        if (WILDCARD_DNS1123_SUBDOMAIN.matcher(value).matches()) return List.of();
        return List.of(regexError(WILDCARD_DNS1123_SUBDOMAIN_MSG, WILDCARD_DNS1123_SUBDOMAIN_FMT, "*.example.com"));
    }

    /** A key of a ConfigMap's or Secret's data, also usable as a file name: not {@code .}, {@code ..} or {@code ..*}. */
    public static List<String> isConfigMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > DNS1123_SUBDOMAIN_MAX_LENGTH) errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        if (!CONFIG_MAP_KEY.matcher(value).matches()) {
            errs.add(regexError(CONFIG_MAP_KEY_MSG, CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
        }
        errs.addAll(hasNoDotPrefix(value));
        return errs;
    }

    /** The name of a container's environment variable. */
    public static List<String> isEnvVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (!ENV_VAR_NAME.matcher(value).matches()) {
            errs.add(regexError(ENV_VAR_NAME_MSG, ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
        }
        errs.addAll(hasNoDotPrefix(value));
        return errs;
    }

    /** A named port: an IANA service name (at most 15 characters, a letter, no leading, trailing or double hyphen). */
    public static List<String> isValidPortName(String value) {
        List<String> errs = new ArrayList<>();
        if (value.length() > IANA_SVC_NAME_MAX_LENGTH) errs.add(maxLenError(IANA_SVC_NAME_MAX_LENGTH));
        if (!IANA_SVC_NAME.matcher(value).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (value.contains("--")) errs.add("must not contain consecutive hyphens");
        if (!value.isEmpty() && !HAS_LETTER.matcher(value).matches()) errs.add("must contain at least one letter (a-z)");
        if (value.startsWith("-") || value.endsWith("-")) errs.add("must not begin or end with a hyphen");
        return errs;
    }

    /** Names that become file names may not be {@code .} or {@code ..}, nor start with {@code ..}. */
    private static List<String> hasNoDotPrefix(String value) {
        if (value.equals(".")) return List.of("must not be '.'");
        if (value.equals("..")) return List.of("must not be '..'");
        if (value.startsWith("..")) return List.of("must not start with '..'");
        return List.of();
    }

    /** One cause per problem of a label key. */
    public static List<StatusCause> validateLabelName(String key, String field) {
        return isQualifiedName(key).stream().map(m -> StatusCause.invalid(field, key, m)).toList();
    }

    /** Causes for every bad key and value of a {@code labels} map (the field is the map's path). */
    public static List<StatusCause> validateLabels(Map<String, String> labels, String field) {
        List<StatusCause> causes = new ArrayList<>();
        if (labels == null) return causes;
        labels.forEach((k, v) -> {
            causes.addAll(validateLabelName(k, field));
            isValidLabelValue(v == null ? "" : v).forEach(m -> causes.add(StatusCause.invalid(field, v, m)));
        });
        return causes;
    }

    /** Causes for every bad key of an {@code annotations} map, and for a map larger than 256 KiB. */
    public static List<StatusCause> validateAnnotations(Map<String, String> annotations, String field) {
        List<StatusCause> causes = new ArrayList<>();
        if (annotations == null) return causes;
        long size = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            String k = e.getKey();
            isQualifiedName(k.toLowerCase(Locale.ROOT)).forEach(m -> causes.add(StatusCause.invalid(field, k, m)));
            size += k.getBytes(StandardCharsets.UTF_8).length;
            size += e.getValue() == null ? 0 : e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (size > TOTAL_ANNOTATION_SIZE_LIMIT) {
            causes.add(StatusCause.tooLong(field, TOTAL_ANNOTATION_SIZE_LIMIT));
        }
        return causes;
    }

    /** Causes for an object name that must be a DNS subdomain (the default for most kinds). */
    public static List<StatusCause> validateSubdomainName(String name, String field) {
        return isDns1123Subdomain(name).stream().map(m -> StatusCause.invalid(field, name, m)).toList();
    }

    /** Causes for an object name that must be a DNS label (namespaces). */
    public static List<StatusCause> validateDns1123LabelName(String name, String field) {
        return isDns1123Label(name).stream().map(m -> StatusCause.invalid(field, name, m)).toList();
    }
}
