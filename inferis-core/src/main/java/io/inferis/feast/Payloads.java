package io.inferis.feast;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import org.jspecify.annotations.Nullable;

/** Equality, hashing and text of {@link FeatureValue} payloads, by shape. */
final class Payloads {

  private static final HexFormat HEX = HexFormat.of();

  private Payloads() {}

  static boolean equal(Shape shape, @Nullable Object a, @Nullable Object b) {
    if (shape == Shape.BYTES_LIST) {
      List<?> left = (List<?>) Objects.requireNonNull(a);
      List<?> right = (List<?>) Objects.requireNonNull(b);
      if (left.size() != right.size()) {
        return false;
      }
      for (int i = 0; i < left.size(); i++) {
        if (!Arrays.equals((byte[]) left.get(i), (byte[]) right.get(i))) {
          return false;
        }
      }
      return true;
    }
    // deepEquals compares primitive arrays by content and boxed numbers by bits.
    return Objects.deepEquals(a, b);
  }

  static int hash(Shape shape, @Nullable Object payload) {
    if (shape == Shape.BYTES_LIST) {
      int hash = 1;
      for (Object element : (List<?>) Objects.requireNonNull(payload)) {
        hash = 31 * hash + Arrays.hashCode((byte[]) element);
      }
      return hash;
    }
    return Arrays.deepHashCode(new Object[] {payload});
  }

  static String toString(Shape shape, @Nullable Object payload) {
    return switch (shape) {
      case NONE, NULL -> "";
      case BYTES, RAW -> "(0x" + HEX.formatHex((byte[]) Objects.requireNonNull(payload)) + ")";
      case STRING -> "(" + quote(payload) + ")";
      case INT32, INT64, DOUBLE, BOOL -> "(" + payload + ")";
      case FLOAT -> "(" + payload + "f)";
      case BYTES_LIST, STRING_LIST, MAP_LIST, VALUE_LIST -> elements((List<?>) payload);
      case INT32_LIST -> Arrays.toString((int[]) payload);
      case INT64_LIST -> Arrays.toString((long[]) payload);
      case DOUBLE_LIST -> Arrays.toString((double[]) payload);
      case FLOAT_LIST -> Arrays.toString((float[]) payload);
      case BOOL_LIST -> Arrays.toString((boolean[]) payload);
      case MAP -> map((Map<?, ?>) Objects.requireNonNull(payload));
      case ZONED -> {
        FeatureValue.Zoned zoned = (FeatureValue.Zoned) Objects.requireNonNull(payload);
        yield "(" + zoned.epochSeconds() + ", " + quote(zoned.zone()) + ")";
      }
    };
  }

  private static String elements(@Nullable List<?> values) {
    StringJoiner joiner = new StringJoiner(", ", "[", "]");
    for (Object value : Objects.requireNonNull(values)) {
      joiner.add(element(value));
    }
    return joiner.toString();
  }

  private static String map(Map<?, ?> entries) {
    StringJoiner joiner = new StringJoiner(", ", "{", "}");
    entries.forEach((k, v) -> joiner.add(quote(k) + ": " + v));
    return joiner.toString();
  }

  private static String element(Object value) {
    if (value instanceof byte[] bytes) {
      return "0x" + HEX.formatHex(bytes);
    }
    if (value instanceof String) {
      return quote(value);
    }
    if (value instanceof Map<?, ?> entries) {
      return map(entries);
    }
    return value.toString();
  }

  private static String quote(@Nullable Object text) {
    return "\"" + text + "\"";
  }
}
