package io.inferis.server.feast;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.Timestamps;
import io.inferis.feast.ValueType;
import io.inferis.features.EntityDef;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Converts JSON request values to typed feature values by the type the repository declares (as
 * Feast does: the registry, not the JSON, decides the type). Every failure is a {@link ClientError}
 * naming the field. Stateless; thread-safe.
 */
public final class JsonInputs {

  private JsonInputs() {}

  /**
   * The entity rows of a JSON {@code entities} object (join key → list of values) by {@link
   * EntityRows}' rules; none when {@code entities} is absent or null.
   */
  public static EntityRows<JsonNode> entityRows(
      @Nullable JsonNode entities, Map<String, EntityDef> entityByJoinKey, int maxRows) {
    if (entities == null || entities.isNull()) {
      return EntityRows.none();
    }
    if (!entities.isObject()) {
      throw ClientError.invalid("'entities' must be an object of join key -> list of values");
    }
    Map<String, List<JsonNode>> columns = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = entities.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!entityByJoinKey.containsKey(e.getKey())) {
        continue;
      }
      if (!e.getValue().isArray()) {
        throw ClientError.invalid("entities." + e.getKey() + " must be a list");
      }
      columns.put(e.getKey(), elements(e.getValue()));
    }
    return entityRows(columns, entityByJoinKey, maxRows);
  }

  /** The entity rows of JSON columns (join key → cells) by {@link EntityRows}' rules. */
  public static EntityRows<JsonNode> entityRows(
      Map<String, List<JsonNode>> columns, Map<String, EntityDef> entityByJoinKey, int maxRows) {
    return EntityRows.read(
        columns,
        entityByJoinKey,
        (cell, entity, what) -> value(cell, entity.type(), what),
        maxRows);
  }

  /** The elements of a JSON array, as a list view (no copy). */
  private static List<JsonNode> elements(JsonNode array) {
    return new AbstractList<>() {
      @Override
      public JsonNode get(int index) {
        return array.get(index);
      }

      @Override
      public int size() {
        return array.size();
      }
    };
  }

  /** {@code n} as a value of {@code type}; the empty value for a JSON null. */
  public static FeatureValue value(@Nullable JsonNode n, ValueType type, String what) {
    if (n == null || n.isNull()) {
      return FeatureValue.empty();
    }
    try {
      switch (type) {
        case INT32:
          return FeatureValue.ofInt32(Math.toIntExact(integral(n, what)));
        case INT64:
          return FeatureValue.ofInt64(integral(n, what));
        case UNIX_TIMESTAMP:
          return FeatureValue.ofUnixTimestamp(
              n.isNumber() ? integral(n, what) : timestamp(n, what).getEpochSecond());
        case FLOAT:
          return FeatureValue.ofFloat(float32(n, what));
        case DOUBLE:
          return FeatureValue.ofDouble(number(n, what));
        case BOOL:
          if (!n.isBoolean()) {
            throw ClientError.invalid(what + " must be true or false, was " + kind(n));
          }
          return FeatureValue.ofBool(n.booleanValue());
        case STRING:
          return FeatureValue.ofString(text(n, what));
        case JSON:
          return FeatureValue.ofJson(n.isTextual() ? n.textValue() : n.toString());
        case UUID:
          return FeatureValue.ofUuid(text(n, what));
        case DECIMAL:
          return FeatureValue.ofDecimal(
              n.isNumber() ? decimal(n, what).toPlainString() : text(n, what));
        case BYTES:
          return FeatureValue.ofBytes(bytes(n, what));
        case INT32_LIST:
          return FeatureValue.ofInt32List(
              list(n, what).stream().mapToInt(e -> Math.toIntExact(integral(e, what))).toArray());
        case INT64_LIST:
          return FeatureValue.ofInt64List(
              list(n, what).stream().mapToLong(e -> integral(e, what)).toArray());
        case DOUBLE_LIST:
          return FeatureValue.ofDoubleList(
              list(n, what).stream().mapToDouble(e -> number(e, what)).toArray());
        case FLOAT_LIST:
          {
            List<JsonNode> l = list(n, what);
            float[] f = new float[l.size()];
            for (int i = 0; i < f.length; i++) {
              f[i] = float32(l.get(i), what);
            }
            return FeatureValue.ofFloatList(f);
          }
        case BOOL_LIST:
          {
            List<JsonNode> l = list(n, what);
            boolean[] b = new boolean[l.size()];
            for (int i = 0; i < b.length; i++) {
              if (!l.get(i).isBoolean()) {
                throw ClientError.invalid(what + " must hold booleans");
              }
              b[i] = l.get(i).booleanValue();
            }
            return FeatureValue.ofBoolList(b);
          }
        case STRING_LIST:
          return FeatureValue.ofStringList(list(n, what).stream().map(e -> text(e, what)).toList());
        case BYTES_LIST:
          return FeatureValue.ofBytesList(list(n, what).stream().map(e -> bytes(e, what)).toList());
        case UNIX_TIMESTAMP_LIST:
          return FeatureValue.ofUnixTimestampList(
              list(n, what).stream().mapToLong(e -> integral(e, what)).toArray());
        default:
          throw ClientError.invalid(what + ": type " + type + " cannot be written over HTTP");
      }
    } catch (ArithmeticException e) {
      throw ClientError.invalid(what + ": " + n + " does not fit " + type);
    }
  }

  /**
   * Event time: epoch seconds, ISO-8601 with or without offset (UTC assumed), or pandas' form;
   * within years 1 to 9999, what a protobuf {@code Timestamp} holds.
   */
  public static Instant timestamp(JsonNode n, String what) {
    if (n.isNumber()) {
      double seconds = n.doubleValue();
      // Regression: 1e400 (infinite) or 1e18 seconds made Instant throw DateTimeException, a 500.
      if (!(seconds >= Timestamps.MIN.getEpochSecond()
          && seconds <= Timestamps.MAX.getEpochSecond())) {
        throw ClientError.invalid(what + ": " + n + " epoch seconds is outside years 1 to 9999");
      }
      long whole = (long) Math.floor(seconds);
      return Instant.ofEpochSecond(whole, Math.round((seconds - whole) * 1e6) * 1000);
    }
    String s = text(n, what).trim();
    if (s.matches("-?\\d+(\\.\\d+)?")) {
      return timestamp(JsonNodeFactory.instance.numberNode(new java.math.BigDecimal(s)), what);
    }
    Instant t;
    try {
      t = OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
    } catch (DateTimeParseException e) {
      try {
        t =
            LocalDateTime.parse(s.replace(' ', 'T'), DateTimeFormatter.ISO_LOCAL_DATE_TIME)
                .toInstant(ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        throw ClientError.invalid(
            what + ": '" + s + "' is not a timestamp (ISO-8601 or epoch seconds)");
      }
    }
    if (t.isBefore(Timestamps.MIN) || t.isAfter(Timestamps.MAX)) {
      throw ClientError.invalid(what + ": '" + s + "' is outside years 1 to 9999");
    }
    return t;
  }

  private static long integral(JsonNode n, String what) {
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.longValue();
    }
    if (n.isNumber()
        && n.doubleValue() == Math.rint(n.doubleValue())
        && Math.abs(n.doubleValue()) < 9.0e15) {
      return (long) n.doubleValue();
    }
    throw ClientError.invalid(what + " must be an integer, was " + kind(n));
  }

  /** A finite double: JSON has no NaN or infinity, and 1e400 overflows to one. */
  private static double number(JsonNode n, String what) {
    if (!n.isNumber()) {
      throw ClientError.invalid(what + " must be a number, was " + kind(n));
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      // Regression: 1e400 was stored as infinity, and every later read of it failed with a 500.
      throw ClientError.invalid(what + ": " + n + " is outside the range of a Float64");
    }
    return d;
  }

  /** A finite float: a double beyond Float32's range would be stored as infinity. */
  private static float float32(JsonNode n, String what) {
    float f = (float) number(n, what);
    if (!Float.isFinite(f)) {
      throw ClientError.invalid(what + ": " + n + " is outside the range of a Float32");
    }
    return f;
  }

  private static java.math.BigDecimal decimal(JsonNode n, String what) {
    if (n.isFloatingPointNumber()) {
      number(n, what); // a double node's BigDecimal of infinity throws NumberFormatException
    }
    return n.decimalValue();
  }

  private static String text(JsonNode n, String what) {
    if (!n.isTextual()) {
      throw ClientError.invalid(what + " must be a string, was " + kind(n));
    }
    return n.textValue();
  }

  private static byte[] bytes(JsonNode n, String what) {
    try {
      return Base64.getDecoder().decode(text(n, what));
    } catch (IllegalArgumentException e) {
      throw ClientError.invalid(what + " must be base64");
    }
  }

  private static List<JsonNode> list(JsonNode n, String what) {
    if (!n.isArray()) {
      throw ClientError.invalid(what + " must be a list, was " + kind(n));
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    n.forEach(out::add);
    return out;
  }

  /** The JSON type of {@code n}, for messages: "string", "number", ... */
  public static String kind(JsonNode n) {
    return n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
  }
}
