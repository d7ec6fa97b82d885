package io.kube4j.machinery.quantity;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.Optional;

/**
 * A Kubernetes resource quantity ({@code 100m}, {@code 64Mi}, {@code 1e3}, {@code 0.5}): an exact
 * decimal value and the notation it was written in. Immutable and thread-safe.
 *
 * <p>Values carry at most nine fractional digits: finer values round up to the next nano, as
 * kube-apiserver does. {@link #toString()} is the canonical form Kubernetes prints and stores:
 * {@code 0.5} → {@code 500m}, {@code 1024Mi} → {@code 1Gi}, {@code 1000} → {@code 1k},
 * {@code 1.5Gi} → {@code 1536Mi}; a binary quantity below 1Ki or with a fraction prints in
 * decimal SI notation.
 */
public final class Quantity implements Comparable<Quantity> {

    /** The notation a quantity is printed in. */
    public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    /** The message kube-apiserver gives for a string that is not a quantity. */
    public static final String SYNTAX_MESSAGE =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

    private static final Map<String, Integer> DECIMAL_SUFFIXES = Map.of(
            "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);
    private static final Map<String, Integer> BINARY_SUFFIXES = Map.of(
            "Ki", 10, "Mi", 20, "Gi", 30, "Ti", 40, "Pi", 50, "Ei", 60);
    private static final String[] DECIMAL_BY_EXPONENT = {"n", "u", "m", "", "k", "M", "G", "T", "P", "E"};
    private static final String[] BINARY_BY_POWER = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
    private static final BigInteger KI = BigInteger.valueOf(1024);

    private final BigDecimal value;
    private final Format format;

    private Quantity(BigDecimal value, Format format) {
        this.value = value.setScale(9, RoundingMode.CEILING).stripTrailingZeros();
        this.format = format;
    }

    public static Quantity of(BigDecimal value, Format format) {
        return new Quantity(value, format);
    }

    public static Quantity ofMillis(long millis) {
        return new Quantity(BigDecimal.valueOf(millis, 3), Format.DECIMAL_SI);
    }

    public static Quantity ofBytes(long bytes, Format format) {
        return new Quantity(BigDecimal.valueOf(bytes), format);
    }

    /** Parses a quantity; throws {@link IllegalArgumentException} with {@link #SYNTAX_MESSAGE} when it is not one. */
    public static Quantity parse(String text) {
        return tryParse(text).orElseThrow(() -> new IllegalArgumentException(SYNTAX_MESSAGE));
    }

    /** Parses a quantity, or empty when the text is not one. */
    public static Optional<Quantity> tryParse(String text) {
        if (text == null) return Optional.empty();
        String s = text.strip();
        if (s.isEmpty()) return Optional.empty();
        int i = 0;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') i++;
        int numberStart = i;
        int dots = 0;
        int digits = 0;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
            if (s.charAt(i) == '.') dots++; else digits++;
            i++;
        }
        if (digits == 0 || dots > 1) return Optional.empty();
        String number = s.substring(0, i);
        if (number.endsWith(".")) number = number + "0";
        if (number.charAt(numberStart) == '.') number = number.substring(0, numberStart) + "0" + number.substring(numberStart);
        String suffix = s.substring(i);
        BigDecimal mantissa;
        try {
            mantissa = new BigDecimal(number);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        Integer decimalExponent = DECIMAL_SUFFIXES.get(suffix);
        if (decimalExponent != null) {
            return Optional.of(new Quantity(mantissa.scaleByPowerOfTen(decimalExponent), Format.DECIMAL_SI));
        }
        Integer binaryPower = BINARY_SUFFIXES.get(suffix);
        if (binaryPower != null) {
            return Optional.of(new Quantity(mantissa.multiply(new BigDecimal(BigInteger.TWO.pow(binaryPower))),
                    Format.BINARY_SI));
        }
        if (suffix.length() >= 2 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
            String exponent = suffix.substring(1);
            if (!exponent.matches("[+-]?[0-9]+") || exponent.replaceFirst("^[+-]", "").length() > 6) {
                return Optional.empty();
            }
            return Optional.of(new Quantity(mantissa.scaleByPowerOfTen(Integer.parseInt(exponent)),
                    Format.DECIMAL_EXPONENT));
        }
        return Optional.empty();
    }

    /** The exact value (at most nine fractional digits). */
    public BigDecimal decimal() {
        return value;
    }

    public Format format() {
        return format;
    }

    /** The value rounded up to an integer, as Kubernetes' {@code Value()} (bytes, counts). */
    public long value() {
        return value.setScale(0, RoundingMode.CEILING).longValueExact();
    }

    /** The value in thousandths rounded up, as Kubernetes' {@code MilliValue()} (CPU). */
    public long milliValue() {
        return value.movePointRight(3).setScale(0, RoundingMode.CEILING).longValueExact();
    }

    public int signum() {
        return value.signum();
    }

    /** The sum, in this quantity's notation. */
    public Quantity add(Quantity other) {
        return new Quantity(value.add(other.value), format);
    }

    public Quantity subtract(Quantity other) {
        return new Quantity(value.subtract(other.value), format);
    }

    @Override
    public int compareTo(Quantity other) {
        return value.compareTo(other.value);
    }

    /** Equal values are equal quantities, whatever their notation ({@code 1Gi} equals {@code 1073741824}). */
    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && value.compareTo(q.value) == 0;
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    /** The canonical form, e.g. {@code 500m}, {@code 1Gi}, {@code 1e3}. */
    @Override
    public String toString() {
        if (value.signum() == 0) return "0";
        Format effective = format;
        if (effective == Format.BINARY_SI) {
            boolean small = value.abs().compareTo(BigDecimal.valueOf(1024)) < 0;
            boolean fractional = value.stripTrailingZeros().scale() > 0;
            if (small || fractional) effective = Format.DECIMAL_SI;
        }
        if (effective == Format.BINARY_SI) {
            BigInteger n = value.toBigIntegerExact();
            int power = 0;
            while (power < BINARY_BY_POWER.length - 1 && n.mod(KI).signum() == 0 && n.signum() != 0) {
                n = n.divide(KI);
                power++;
            }
            return n + BINARY_BY_POWER[power];
        }
        // An integer mantissa times a power of ten that is a multiple of three, as large as possible.
        BigDecimal stripped = value.stripTrailingZeros();
        int exponent = -stripped.scale();
        int exponent3 = Math.floorDiv(exponent, 3) * 3;
        BigInteger mantissa = stripped.scaleByPowerOfTen(-exponent3).toBigIntegerExact();
        if (effective == Format.DECIMAL_EXPONENT) {
            return exponent3 == 0 ? mantissa.toString() : mantissa + "e" + exponent3;
        }
        int index = exponent3 / 3 + 3;
        if (index >= DECIMAL_BY_EXPONENT.length) {
            // Beyond exa: keep the largest suffix and let the mantissa grow.
            int top = DECIMAL_BY_EXPONENT.length - 1;
            return mantissa.multiply(BigInteger.TEN.pow(exponent3 - 18)) + DECIMAL_BY_EXPONENT[top];
        }
        return mantissa + DECIMAL_BY_EXPONENT[index];
    }

    /** The canonical form of a quantity string, or empty when it is not a quantity. */
    public static Optional<String> canonical(String text) {
        return tryParse(text).map(Quantity::toString);
    }
}
