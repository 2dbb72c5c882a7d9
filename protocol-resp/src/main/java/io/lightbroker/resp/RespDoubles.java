package io.lightbroker.resp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * C's {@code printf("%.17g")}, which Redis uses for double replies. Java's {@code %g} differs (it keeps
 * trailing zeros and picks notation differently), so the rule is applied by hand: round the exact
 * binary value to 17 significant digits, use exponent notation when the decimal exponent is below -4
 * or at least 17, and drop trailing zeros.
 */
final class RespDoubles {

    private static final int PRECISION = 17;
    private static final MathContext SIGNIFICANT = new MathContext(PRECISION, RoundingMode.HALF_EVEN);

    private RespDoubles() {
    }

    static String formatG17(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        if (value == 0) {
            return (Double.doubleToRawLongBits(value) < 0) ? "-0" : "0";
        }
        BigDecimal rounded = new BigDecimal(value).round(SIGNIFICANT);
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= PRECISION) {
            String digits = rounded.unscaledValue().abs().toString();
            StringBuilder sb = new StringBuilder(24);
            if (rounded.signum() < 0) {
                sb.append('-');
            }
            sb.append(digits.charAt(0));
            String fraction = stripTrailingZeros(digits.substring(1));
            if (!fraction.isEmpty()) {
                sb.append('.').append(fraction);
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                sb.append('0');
            }
            return sb.append(magnitude).toString();
        }
        String plain = rounded.setScale(Math.max(0, PRECISION - 1 - exponent), RoundingMode.HALF_EVEN).toPlainString();
        if (plain.indexOf('.') < 0) {
            return plain;
        }
        String stripped = stripTrailingZeros(plain);
        return stripped.endsWith(".") ? stripped.substring(0, stripped.length() - 1) : stripped;
    }

    private static String stripTrailingZeros(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == '0') {
            end--;
        }
        return s.substring(0, end);
    }
}
