package io.kube4j.gateway.table;

import io.kube4j.machinery.object.KubeObject;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * Kubernetes' human-readable durations, as kubectl users read them in AGE columns: about two to
 * three significant figures ({@code 45s}, {@code 3m20s}, {@code 5h}, {@code 3d4h}, {@code 2y10d}).
 * Pure functions; the current time is always a parameter.
 */
public final class HumanDuration {

    /** The text for a timestamp that is absent. */
    public static final String UNKNOWN = "<unknown>";

    private HumanDuration() {}

    /**
     * The duration in Kubernetes' human form. A duration up to one second negative reads {@code 0s}
     * (clocks of two machines disagree a little); further in the future reads {@code <invalid>}.
     */
    public static String format(Duration d) {
        long seconds = truncatedSeconds(d);
        if (seconds < -1) {
            return "<invalid>";
        } else if (seconds < 0) {
            return "0s";
        } else if (seconds < 60 * 2) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        if (minutes < 10) {
            long s = seconds % 60;
            return s == 0 ? minutes + "m" : minutes + "m" + s + "s";
        } else if (minutes < 60 * 3) {
            return minutes + "m";
        }
        long hours = seconds / 3600;
        if (hours < 8) {
            long m = minutes % 60;
            return m == 0 ? hours + "h" : hours + "h" + m + "m";
        } else if (hours < 48) {
            return hours + "h";
        } else if (hours < 24 * 8) {
            long h = hours % 24;
            return h == 0 ? hours / 24 + "d" : hours / 24 + "d" + h + "h";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 + "d";
        } else if (hours < 24 * 365 * 8) {
            long dy = (hours / 24) % 365;
            return dy == 0 ? hours / 24 / 365 + "y" : hours / 24 / 365 + "y" + dy + "d";
        }
        return hours / 24 / 365 + "y";
    }

    /** The time elapsed from {@code timestamp} (RFC 3339) to {@code now}; {@code <unknown>} when absent. */
    public static String since(String timestamp, Instant now) {
        Instant t = parse(timestamp);
        return t == null ? UNKNOWN : format(Duration.between(t, now));
    }

    /** The time from {@code start} to {@code end}. */
    public static String between(Instant start, Instant end) {
        return format(Duration.between(start, end));
    }

    /**
     * Parses an RFC 3339 timestamp ({@code metav1.Time} or {@code MicroTime}); null when absent or
     * empty. Unparseable text also yields null: a stored object with a malformed time still prints.
     */
    public static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return null;
        }
        try {
            return KubeObject.parseTimestamp(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Whole seconds, truncated toward zero as Go's {@code int(d.Seconds())} does. */
    private static long truncatedSeconds(Duration d) {
        long s = d.getSeconds();
        return s < 0 && d.getNano() > 0 ? s + 1 : s;
    }
}
