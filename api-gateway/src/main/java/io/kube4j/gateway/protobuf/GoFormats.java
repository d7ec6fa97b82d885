package io.kube4j.gateway.protobuf;

import io.kube4j.machinery.object.KubeObject;

import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The text forms Kubernetes' JSON gives its time types: {@code metav1.Time} (RFC 3339 in whole
 * seconds, UTC), {@code metav1.MicroTime} (RFC 3339 with six fractional digits) and
 * {@code metav1.Duration} (Go's {@code time.Duration} string, e.g. {@code 1h0m0s}). Pure functions.
 */
final class GoFormats {

    private GoFormats() {}

    static String time(long seconds, int nanos) {
        return KubeObject.timestamp(Instant.ofEpochSecond(seconds, nanos));
    }

    static String microTime(long seconds, int nanos) {
        return KubeObject.microTimestamp(Instant.ofEpochSecond(seconds, nanos));
    }

    /** An RFC 3339 timestamp (any offset, optional fraction) as an instant. */
    static Instant parseTime(String text) {
        try {
            return KubeObject.parseTimestamp(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not an RFC 3339 time: \"" + text + "\"", e);
        }
    }

    /** Go's {@code time.Duration.String()}. */
    static String duration(long nanos) {
        if (nanos == 0) return "0s";
        boolean negative = nanos < 0;
        // Long.MIN_VALUE has no positive counterpart; treat the magnitude as unsigned like Go does.
        long magnitude = negative ? -nanos : nanos;
        StringBuilder out = new StringBuilder();
        if (Long.compareUnsigned(magnitude, 1_000_000_000L) < 0) {
            String unit;
            int precision;
            if (magnitude < 1_000L) {
                unit = "ns";
                precision = 0;
            } else if (magnitude < 1_000_000L) {
                unit = "µs";
                precision = 3;
            } else {
                unit = "ms";
                precision = 6;
            }
            out.append(Long.toUnsignedString(magnitude / pow10(precision)))
                    .append(fraction(magnitude % pow10(precision), precision)).append(unit);
        } else {
            long seconds = Long.divideUnsigned(magnitude, 1_000_000_000L);
            String fraction = fraction(Long.remainderUnsigned(magnitude, 1_000_000_000L), 9);
            long hours = seconds / 3600;
            long minutes = seconds / 60 % 60;
            if (hours > 0) out.append(hours).append('h');
            if (hours > 0 || minutes > 0) out.append(minutes).append('m');
            out.append(seconds % 60).append(fraction).append('s');
        }
        return negative ? "-" + out : out.toString();
    }

    private static long pow10(int exponent) {
        long value = 1;
        for (int i = 0; i < exponent; i++) value *= 10;
        return value;
    }

    /** The fraction digits Go prints: without trailing zeros, and nothing at all for zero. */
    private static String fraction(long value, int digits) {
        if (value == 0 || digits == 0) return "";
        StringBuilder text = new StringBuilder(Long.toString(value));
        while (text.length() < digits) text.insert(0, '0');
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '0') end--;
        return "." + text.substring(0, end);
    }

    /** Go's {@code time.ParseDuration}: e.g. {@code 1h30m}, {@code 1.5s}, {@code -300ms}, {@code 0}. */
    static long parseDuration(String text) {
        String s = text;
        boolean negative = false;
        if (!s.isEmpty() && (s.charAt(0) == '-' || s.charAt(0) == '+')) {
            negative = s.charAt(0) == '-';
            s = s.substring(1);
        }
        if (s.equals("0")) return 0;
        if (s.isEmpty()) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
        java.math.BigDecimal total = java.math.BigDecimal.ZERO;
        int i = 0;
        while (i < s.length()) {
            int start = i;
            while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) i++;
            if (start == i) throw new IllegalArgumentException("invalid duration \"" + text + "\"");
            java.math.BigDecimal number;
            try {
                number = new java.math.BigDecimal(s.substring(start, i));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid duration \"" + text + "\"", e);
            }
            int unitStart = i;
            while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') i++;
            long unit = switch (s.substring(unitStart, i)) {
                case "ns" -> 1L;
                case "us", "µs", "μs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> throw new IllegalArgumentException("unknown unit in duration \"" + text + "\"");
            };
            total = total.add(number.multiply(java.math.BigDecimal.valueOf(unit)));
        }
        long nanos;
        try {
            nanos = total.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("duration out of range \"" + text + "\"", e);
        }
        return negative ? -nanos : nanos;
    }
}
