package io.kube4j.controller.pods;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** Kubernetes timestamps (RFC 3339, whole seconds on the wire) to and from {@link Instant}. */
public final class Times {

    private Times() {}

    /** The instant a timestamp names, or null when it is absent or unreadable. */
    public static Instant parse(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) return null;
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    public static String format(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
