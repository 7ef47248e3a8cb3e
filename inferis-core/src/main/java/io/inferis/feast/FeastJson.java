package io.inferis.feast;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Writes a {@link FeatureValue} as Feast's feature server shows it in {@code results[].values}.
 * Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@link FeatureValue#empty()} and {@code null_val} are {@code null}; so is {@code
 *       scalar_map_val}, as in Feast.
 *   <li>Integers and unix timestamps are JSON numbers (int64 too, never strings). Doubles, and
 *       floats widened to doubles, are printed as Python prints them: the shortest text that reads
 *       back as the same double ({@code 0.7037263512611389}, {@code 1e-05}, {@code 2e+23}), on any
 *       JDK. NaN and the infinities throw {@link FeastCodecException}: Feast answers 500 for them.
 *   <li>Bytes are padded standard base64, also inside lists and sets.
 *   <li>Strings, {@code json_val} (the raw text, not parsed), UUIDs and decimals are JSON strings.
 *   <li>Lists and sets, including {@code list_val} and {@code set_val}, are arrays; maps and
 *       structs are objects in their stored order.
 *   <li>A zoned timestamp is ISO-8601 in its own zone, as Python's {@code isoformat()}: {@code
 *       2026-06-09T09:00:00-07:00}, with {@code +00:00} for UTC or an empty zone. Java's zone
 *       database is used, so ids Python's {@code zoneinfo} rejects (such as {@code +05:00}) are
 *       accepted; an unknown zone, or a time outside years 1..9999, throws {@link
 *       FeastCodecException}.
 * </ul>
 *
 * <p>On an exception the generator may hold part of the value.
 */
public final class FeastJson {

  private static final JsonFactory FACTORY = new JsonFactory();
  private static final Base64.Encoder BASE64 = Base64.getEncoder();

  private FeastJson() {}

  /**
   * Writes {@code value} as the next JSON value of {@code generator}.
   *
   * @throws FeastCodecException if the value holds a NaN or infinity, or a zoned timestamp that
   *     cannot be rendered
   * @throws IOException if the generator fails
   */
  public static void writeValue(JsonGenerator generator, FeatureValue value) throws IOException {
    Objects.requireNonNull(generator, "generator");
    Objects.requireNonNull(value, "value");
    Object payload = value.payload();
    switch (value.type().shape()) {
      case NONE, NULL, RAW -> generator.writeNull();
      case BYTES -> generator.writeString(BASE64.encodeToString((byte[]) payload));
      case STRING -> generator.writeString((String) payload);
      case INT32 -> generator.writeNumber((Integer) payload);
      case INT64 -> generator.writeNumber((Long) payload);
      case DOUBLE -> generator.writeNumber(number((Double) payload));
      case FLOAT -> generator.writeNumber(number((Float) payload));
      case BOOL -> generator.writeBoolean((Boolean) payload);
      case BYTES_LIST -> {
        generator.writeStartArray();
        for (Object bytes : (List<?>) payload) {
          generator.writeString(BASE64.encodeToString((byte[]) bytes));
        }
        generator.writeEndArray();
      }
      case STRING_LIST -> {
        generator.writeStartArray();
        for (Object text : (List<?>) payload) {
          generator.writeString((String) text);
        }
        generator.writeEndArray();
      }
      case INT32_LIST -> {
        int[] numbers = (int[]) payload;
        generator.writeArray(numbers, 0, numbers.length);
      }
      case INT64_LIST -> {
        long[] numbers = (long[]) payload;
        generator.writeArray(numbers, 0, numbers.length);
      }
      case DOUBLE_LIST -> {
        generator.writeStartArray();
        for (double number : (double[]) payload) {
          generator.writeNumber(number(number));
        }
        generator.writeEndArray();
      }
      case FLOAT_LIST -> {
        generator.writeStartArray();
        for (float number : (float[]) payload) {
          generator.writeNumber(number(number));
        }
        generator.writeEndArray();
      }
      case BOOL_LIST -> {
        generator.writeStartArray();
        for (boolean flag : (boolean[]) payload) {
          generator.writeBoolean(flag);
        }
        generator.writeEndArray();
      }
      case MAP -> writeMap(generator, (Map<?, ?>) payload);
      case MAP_LIST -> {
        generator.writeStartArray();
        for (Object map : (List<?>) payload) {
          writeMap(generator, (Map<?, ?>) map);
        }
        generator.writeEndArray();
      }
      case VALUE_LIST -> {
        generator.writeStartArray();
        for (Object element : (List<?>) payload) {
          writeValue(generator, (FeatureValue) element);
        }
        generator.writeEndArray();
      }
      case ZONED -> generator.writeString(zoned((FeatureValue.Zoned) payload));
    }
  }

  /**
   * {@code value} as compact JSON text, as {@link #writeValue} writes it.
   *
   * @throws FeastCodecException as {@link #writeValue} does
   */
  public static String toJson(FeatureValue value) {
    StringWriter text = new StringWriter();
    try (JsonGenerator generator = FACTORY.createGenerator(text)) {
      writeValue(generator, value);
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string failed", e);
    }
    return text.toString();
  }

  private static void writeMap(JsonGenerator generator, Map<?, ?> map) throws IOException {
    generator.writeStartObject();
    for (Map.Entry<?, ?> entry : map.entrySet()) {
      generator.writeFieldName((String) entry.getKey());
      writeValue(generator, (FeatureValue) entry.getValue());
    }
    generator.writeEndObject();
  }

  private static String number(double value) {
    if (!Double.isFinite(value)) {
      throw new FeastCodecException(
          value + " cannot be written as JSON; Feast's server fails such a response with a 500");
    }
    return PythonFloats.repr(value);
  }

  private static String zoned(FeatureValue.Zoned zoned) {
    ZonedDateTime time;
    try {
      ZoneId zone = zoned.zone().isEmpty() ? ZoneOffset.UTC : ZoneId.of(zoned.zone());
      time = Instant.ofEpochSecond(zoned.epochSeconds()).atZone(zone);
    } catch (DateTimeException e) {
      throw new FeastCodecException(
          "cannot render zoned timestamp " + zoned.epochSeconds() + " in '" + zoned.zone() + "'",
          e);
    }
    if (time.getYear() < 1 || time.getYear() > 9999) {
      throw new FeastCodecException(
          "zoned timestamp " + zoned.epochSeconds() + " falls outside years 1..9999");
    }
    int offset = time.getOffset().getTotalSeconds();
    return String.format(
        "%04d-%02d-%02dT%02d:%02d:%02d%s",
        time.getYear(),
        time.getMonthValue(),
        time.getDayOfMonth(),
        time.getHour(),
        time.getMinute(),
        time.getSecond(),
        offset == 0 ? "+00:00" : time.getOffset().getId());
  }
}
