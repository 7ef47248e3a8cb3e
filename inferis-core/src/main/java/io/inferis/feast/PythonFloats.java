package io.inferis.feast;

import com.fasterxml.jackson.core.io.NumberOutput;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import org.jspecify.annotations.Nullable;

/**
 * Python's {@code repr(float)}, which is what Feast's server puts in its JSON: the shortest decimal
 * that reads back as the same double, closest to it on a tie, in Python's layout ({@code 0.0001},
 * {@code 1e-05}, {@code 1e+16}, {@code 123.0}).
 *
 * <p>{@link Double#toString} cannot be used as it is: its layout differs ({@code 1.0E-5}), and
 * before JDK 19 its digits are not always the shortest ({@code 2e23} prints as {@code
 * 1.9999999999999998E23}).
 *
 * <p>The digits come from jackson-core's Schubfach writer ({@link NumberOutput#toString(double,
 * boolean)}, the algorithm of JDK 19's {@code Double.toString}): the shortest decimal that reads
 * back, closest on a tie, which is Python's choice too, except that Schubfach prefers a closer
 * two-digit decimal where a one-digit one would also read back. That can only happen where the
 * rounding interval is wide, for subnormals, which take the exact {@link BigDecimal} search below
 * instead. Every float in a Feast response passes through here, so this is the HTTP hot path.
 */
final class PythonFloats {

  /** A double never needs more than 17 significant digits to round-trip. */
  private static final int MAX_DIGITS = 17;

  /**
   * Where Java's text and Python's agree as they are: both plain, from 10^-3 (below it Java writes
   * "9.0E-4", Python "0.0009" down to 10^-4) to under 10^7 (from it Java writes "1.0E7", Python
   * "10000000.0" up to 10^16). Most feature values fall here, and skip the re-layout.
   */
  private static final double PLAIN_FROM = 1e-3;

  private static final double PLAIN_BELOW = 1e7;

  private PythonFloats() {}

  /**
   * {@code repr(value)} as Python 3 prints it.
   *
   * @throws IllegalArgumentException for NaN and the infinities, which JSON cannot carry
   */
  static String repr(double value) {
    @Nullable String zero = zeroOrFail(value);
    if (zero != null) {
      return zero;
    }
    double magnitude = Math.abs(value);
    if (magnitude < Double.MIN_NORMAL) {
      return exact(value);
    }
    if (magnitude >= PLAIN_FROM && magnitude < PLAIN_BELOW) {
      // Both print the same shortest digits plainly here ("0.001", "123.45", "1234567.0").
      return NumberOutput.toString(value, true);
    }
    // Schubfach's text is either plain ("123.45", "0.001") or scientific ("1.0E-5", "1.2E10").
    String java = NumberOutput.toString(magnitude, true);
    char[] digits = new char[MAX_DIGITS + 1];
    int count = 0; // significant digits, from the first non-zero one
    int seen = 0; // digit characters before the exponent, zeros included
    int leadingZeros = 0;
    int dot = -1;
    int i = 0;
    for (; i < java.length() && java.charAt(i) != 'E'; i++) {
      char c = java.charAt(i);
      if (c == '.') {
        dot = seen;
        continue;
      }
      if (count == 0 && c == '0') {
        leadingZeros++;
      } else {
        digits[count++] = c;
      }
      seen++;
    }
    // Python's convention: value = 0.<digits> x 10^point.
    int point = (dot < 0 ? seen : dot) - leadingZeros;
    if (i < java.length()) {
      point += Integer.parseInt(java, i + 1, java.length(), 10);
    }
    while (count > 1 && digits[count - 1] == '0') {
      count--;
    }
    return layout(value < 0, digits, count, point);
  }

  /** {@link #repr} by an exact search over {@link BigDecimal}s; slow, and right for every input. */
  static String reprExact(double value) {
    @Nullable String zero = zeroOrFail(value);
    return zero != null ? zero : exact(value);
  }

  /** Python's text for a zero, null for any other finite value; fails for the rest. */
  private static @Nullable String zeroOrFail(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(value + " is not a finite number");
    }
    if (value != 0) {
      return null;
    }
    return Double.doubleToRawLongBits(value) < 0 ? "-0.0" : "0.0";
  }

  private static String exact(double value) {
    BigDecimal shortest = shortest(Math.abs(value));
    char[] digits = shortest.unscaledValue().toString().toCharArray();
    return layout(value < 0, digits, digits.length, digits.length - shortest.scale());
  }

  /**
   * Python's layout of {@code 0.<digits> x 10^point}, the first {@code count} of {@code digits}
   * without trailing zeros, into one array: every float of a response passes through here.
   */
  private static String layout(boolean negative, char[] digits, int count, int point) {
    // The longest text: a sign, 17 digits, a point and "e-308"; or "0.000" and 17 digits; or 17
    // digits, "0"s up to the 16th place and ".0".
    char[] text = new char[32];
    int n = 0;
    if (negative) {
      text[n++] = '-';
    }
    if (point <= -4 || point > 16) {
      text[n++] = digits[0];
      if (count > 1) {
        text[n++] = '.';
        System.arraycopy(digits, 1, text, n, count - 1);
        n += count - 1;
      }
      int exponent = point - 1;
      text[n++] = 'e';
      text[n++] = exponent < 0 ? '-' : '+';
      int magnitude = Math.abs(exponent);
      if (magnitude >= 100) {
        text[n++] = (char) ('0' + magnitude / 100);
      }
      text[n++] = (char) ('0' + magnitude / 10 % 10);
      text[n++] = (char) ('0' + magnitude % 10);
    } else if (point <= 0) {
      text[n++] = '0';
      text[n++] = '.';
      for (int z = 0; z < -point; z++) {
        text[n++] = '0';
      }
      System.arraycopy(digits, 0, text, n, count);
      n += count;
    } else if (point < count) {
      System.arraycopy(digits, 0, text, n, point);
      n += point;
      text[n++] = '.';
      System.arraycopy(digits, point, text, n, count - point);
      n += count - point;
    } else {
      System.arraycopy(digits, 0, text, n, count);
      n += count;
      for (int z = count; z < point; z++) {
        text[n++] = '0';
      }
      text[n++] = '.';
      text[n++] = '0';
    }
    return new String(text, 0, n);
  }

  /** The shortest round-tripping decimal of a positive finite double, trailing zeros stripped. */
  private static BigDecimal shortest(double value) {
    BigDecimal exact = new BigDecimal(value);
    int digits = MAX_DIGITS;
    BigDecimal jdk = new BigDecimal(Double.toString(value));
    if (jdk.doubleValue() == value) {
      digits = Math.min(MAX_DIGITS, jdk.stripTrailingZeros().precision());
    }
    @Nullable BigDecimal best = closest(exact, value, digits);
    // A shorter decimal that round-trips is also one with (digits - 1) digits, so stepping down
    // one digit at a time until none does finds the shortest.
    while (digits > 1) {
      BigDecimal shorter = closest(exact, value, digits - 1);
      if (shorter == null) {
        break;
      }
      best = shorter;
      digits--;
    }
    if (best == null) {
      throw new IllegalStateException("no decimal of " + digits + " digits reads back as " + value);
    }
    return best.stripTrailingZeros();
  }

  /**
   * Of the two {@code digits}-digit decimals around {@code exact}, the one that reads back as
   * {@code value}, the nearer (then the even) one if both do, or null if neither does.
   */
  private static @Nullable BigDecimal closest(BigDecimal exact, double value, int digits) {
    BigDecimal below = exact.round(new MathContext(digits, RoundingMode.FLOOR));
    BigDecimal above = exact.round(new MathContext(digits, RoundingMode.CEILING));
    boolean belowOk = below.doubleValue() == value;
    boolean aboveOk = above.doubleValue() == value;
    if (belowOk && aboveOk) {
      int order = exact.subtract(below).compareTo(above.subtract(exact));
      if (order == 0) {
        return below.unscaledValue().testBit(0) ? above : below;
      }
      return order < 0 ? below : above;
    }
    return belowOk ? below : aboveOk ? above : null;
  }
}
