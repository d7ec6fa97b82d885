package io.kube4j.gateway.table;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resource quantities in the canonical text Kubernetes prints: kube-apiserver parses every quantity
 * it stores, so {@code 1024Mi} reads back as {@code 1Gi}, {@code 0.5} as {@code 500m} and
 * {@code 1000} as {@code 1k}, whatever the client wrote. The stored JSON here keeps the client's
 * text, so printers canonicalize when they print.
 *
 * <p>Rules: the value is rounded up to nano precision; a binary-suffixed value that is a whole
 * number of at least 1024 keeps a binary suffix, the largest that leaves a whole number; any other
 * value is written as an integer times a power of ten that is a multiple of three, with the decimal
 * suffix of that power ({@code n u m k M G T P E}) or, for a value written with an exponent, as
 * {@code e<power>}. Pure functions.
 */
final class Quantities {

    private Quantities() {}

    private static final Pattern QUANTITY = Pattern.compile("([+-]?)(\\d+(?:\\.\\d*)?|\\.\\d+)(.*)");

    private static final Map<String, Integer> DECIMAL_SUFFIXES = Map.of(
            "n", -9, "u", -6, "m", -3, "", 0, "k", 3, "M", 6, "G", 9, "T", 12, "P", 15, "E", 18);

    private static final Map<String, Integer> BINARY_SUFFIXES = Map.of(
            "Ki", 1, "Mi", 2, "Gi", 3, "Ti", 4, "Pi", 5, "Ei", 6);

    private static final String[] BINARY_NAMES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private static final BigInteger KI = BigInteger.valueOf(1024);

    private enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

    /** The canonical text of a quantity; text that is not a quantity is returned unchanged. */
    static String canonical(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = QUANTITY.matcher(text.strip());
        if (!m.matches()) {
            return text;
        }
        String suffix = m.group(3);
        BigDecimal number = new BigDecimal(m.group(2).endsWith(".") ? m.group(2) + "0" : m.group(2));
        if (m.group(1).equals("-")) {
            number = number.negate();
        }
        Format format;
        BigDecimal value;
        if (DECIMAL_SUFFIXES.containsKey(suffix)) {
            format = Format.DECIMAL_SI;
            value = number.scaleByPowerOfTen(DECIMAL_SUFFIXES.get(suffix));
        } else if (BINARY_SUFFIXES.containsKey(suffix)) {
            format = Format.BINARY_SI;
            value = number.multiply(new BigDecimal(KI.pow(BINARY_SUFFIXES.get(suffix))));
        } else if (suffix.matches("[eE][+-]?\\d+")) {
            format = Format.DECIMAL_EXPONENT;
            try {
                value = number.scaleByPowerOfTen(Integer.parseInt(suffix.substring(1)));
            } catch (NumberFormatException | ArithmeticException e) {
                return text;
            }
        } else {
            return text;
        }
        // Kubernetes keeps nine decimal places and rounds anything finer away from zero.
        if (value.scale() > 9) {
            value = value.setScale(9, RoundingMode.UP);
        }
        if (value.signum() == 0) {
            return "0";
        }
        if (format == Format.BINARY_SI) {
            boolean whole = value.stripTrailingZeros().scale() <= 0;
            if (value.abs().compareTo(BigDecimal.valueOf(1024)) < 0 || !whole) {
                format = Format.DECIMAL_SI;
            } else {
                BigInteger amount = value.toBigIntegerExact();
                int power = 0;
                while (power < BINARY_NAMES.length - 1 && amount.mod(KI).signum() == 0) {
                    amount = amount.divide(KI);
                    power++;
                }
                return amount + BINARY_NAMES[power];
            }
        }
        BigDecimal stripped = value.stripTrailingZeros();
        BigInteger amount = stripped.unscaledValue();
        int exponent = -stripped.scale();
        int remainder = Math.floorMod(exponent, 3);
        if (remainder != 0) {
            amount = amount.multiply(BigInteger.TEN.pow(remainder));
            exponent -= remainder;
        }
        if (format == Format.DECIMAL_SI) {
            for (Map.Entry<String, Integer> e : DECIMAL_SUFFIXES.entrySet()) {
                if (e.getValue() == exponent) {
                    return amount + e.getKey();
                }
            }
        }
        return exponent == 0 ? amount.toString() : amount + "e" + exponent;
    }
}
