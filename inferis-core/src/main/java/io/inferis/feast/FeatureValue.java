package io.inferis.feast;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An immutable {@code feast.types.Value}: one oneof case of {@link #type()} and its payload.
 * Created with the static factories or by {@link ValueCodec#decode}; thread-safe.
 *
 * <ul>
 *   <li>{@link #empty()} is a {@code Value} with no case set, what Feast stores for a null feature
 *       and reads for a missing one; its type is {@link ValueType#INVALID}. {@link #nullValue()} is
 *       {@code null_val}. Both render as JSON {@code null}.
 *   <li>A {@code *_set} is a repeated field on the wire: elements keep the order they were given or
 *       decoded in, and duplicates are not removed.
 *   <li>{@code map_val}, {@code struct_val}, their lists, {@code list_val}, {@code set_val} and
 *       {@code zoned_timestamp_val} are fully supported. {@code scalar_map_val} is not decoded: the
 *       value holds the raw bytes of its {@code ScalarMap} message ({@link #ofRawScalarMap}).
 *   <li>Strings must be valid Unicode (no unpaired surrogates), as Python's are; the factories
 *       throw {@link IllegalArgumentException} otherwise. Strings are not otherwise checked: a
 *       {@code json_val}, {@code uuid_val} or {@code decimal_val} is whatever text it was given.
 *   <li>Accessors return copies of arrays. An accessor of the wrong shape throws {@link
 *       IllegalStateException} naming the actual type.
 *   <li>{@link #equals} compares floating-point numbers by bits, like {@link Double#equals} (so a
 *       NaN equals itself), collections element by element, and maps by their entries in any order.
 * </ul>
 *
 * <p>Over 400 lines because Feast's value type has some thirty shapes, each with a factory and an
 * accessor here; one value class is what callers want to hold.
 */
public final class FeatureValue {

  private static final FeatureValue EMPTY = new FeatureValue(ValueType.INVALID, null);
  private static final FeatureValue NULL = new FeatureValue(ValueType.NULL, null);

  private final ValueType type;
  private final @Nullable Object payload;

  private FeatureValue(ValueType type, @Nullable Object payload) {
    this.type = type;
    this.payload = payload;
  }

  /** Creates a value that takes ownership of {@code payload}: for this package's decoders only. */
  static FeatureValue trusted(ValueType type, @Nullable Object payload) {
    return new FeatureValue(type, payload);
  }

  /** The {@code Value} with no oneof case set ({@link ValueType#INVALID}); encodes to no bytes. */
  public static FeatureValue empty() {
    return EMPTY;
  }

  /** {@code null_val}: an explicit null. */
  public static FeatureValue nullValue() {
    return NULL;
  }

  /** {@code bytes_val}; the array is copied. */
  public static FeatureValue ofBytes(byte[] value) {
    return new FeatureValue(ValueType.BYTES, value.clone());
  }

  /** {@code string_val}. */
  public static FeatureValue ofString(String value) {
    return string(ValueType.STRING, value);
  }

  /** {@code int32_val}. */
  public static FeatureValue ofInt32(int value) {
    return new FeatureValue(ValueType.INT32, value);
  }

  /** {@code int64_val}. */
  public static FeatureValue ofInt64(long value) {
    return new FeatureValue(ValueType.INT64, value);
  }

  /** {@code double_val} (Feast's {@code Float64}). */
  public static FeatureValue ofDouble(double value) {
    return new FeatureValue(ValueType.DOUBLE, value);
  }

  /** {@code float_val} (Feast's {@code Float32}). */
  public static FeatureValue ofFloat(float value) {
    return new FeatureValue(ValueType.FLOAT, value);
  }

  /** {@code bool_val}. */
  public static FeatureValue ofBool(boolean value) {
    return new FeatureValue(ValueType.BOOL, value);
  }

  /** {@code unix_timestamp_val}: seconds since the epoch. */
  public static FeatureValue ofUnixTimestamp(long epochSeconds) {
    return new FeatureValue(ValueType.UNIX_TIMESTAMP, epochSeconds);
  }

  /** {@code json_val}: JSON text, stored and rendered as the string it is (not parsed). */
  public static FeatureValue ofJson(String json) {
    return string(ValueType.JSON, json);
  }

  /** {@code uuid_val}, as text. */
  public static FeatureValue ofUuid(String uuid) {
    return string(ValueType.UUID, uuid);
  }

  /** {@code time_uuid_val}, as text. */
  public static FeatureValue ofTimeUuid(String uuid) {
    return string(ValueType.TIME_UUID, uuid);
  }

  /** {@code decimal_val}: a decimal number as text. */
  public static FeatureValue ofDecimal(String decimal) {
    return string(ValueType.DECIMAL, decimal);
  }

  /** {@code zoned_timestamp_val}: epoch seconds and a zone name ({@code ""} means UTC). */
  public static FeatureValue ofZonedTimestamp(long epochSeconds, String zone) {
    return new FeatureValue(
        ValueType.ZONED_TIMESTAMP,
        new Zoned(epochSeconds, Utf8.requireWellFormed(zone, "zoned_timestamp zone")));
  }

  /** {@code scalar_map_val}, kept undecoded as the bytes of a {@code ScalarMap} message. */
  public static FeatureValue ofRawScalarMap(byte[] message) {
    return new FeatureValue(ValueType.SCALAR_MAP, message.clone());
  }

  /** {@code bytes_list_val}; the arrays are copied. */
  public static FeatureValue ofBytesList(List<byte[]> values) {
    return bytesCollection(ValueType.BYTES_LIST, values);
  }

  /** {@code string_list_val}. */
  public static FeatureValue ofStringList(List<String> values) {
    return strings(ValueType.STRING_LIST, values);
  }

  /** {@code int32_list_val}. */
  public static FeatureValue ofInt32List(int... values) {
    return new FeatureValue(ValueType.INT32_LIST, values.clone());
  }

  /** {@code int64_list_val}. */
  public static FeatureValue ofInt64List(long... values) {
    return new FeatureValue(ValueType.INT64_LIST, values.clone());
  }

  /** {@code double_list_val}. */
  public static FeatureValue ofDoubleList(double... values) {
    return new FeatureValue(ValueType.DOUBLE_LIST, values.clone());
  }

  /** {@code float_list_val}. */
  public static FeatureValue ofFloatList(float... values) {
    return new FeatureValue(ValueType.FLOAT_LIST, values.clone());
  }

  /** {@code bool_list_val}. */
  public static FeatureValue ofBoolList(boolean... values) {
    return new FeatureValue(ValueType.BOOL_LIST, values.clone());
  }

  /** {@code unix_timestamp_list_val}: epoch seconds. */
  public static FeatureValue ofUnixTimestampList(long... epochSeconds) {
    return new FeatureValue(ValueType.UNIX_TIMESTAMP_LIST, epochSeconds.clone());
  }

  /** {@code json_list_val}. */
  public static FeatureValue ofJsonList(List<String> values) {
    return strings(ValueType.JSON_LIST, values);
  }

  /** {@code uuid_list_val}. */
  public static FeatureValue ofUuidList(List<String> values) {
    return strings(ValueType.UUID_LIST, values);
  }

  /** {@code time_uuid_list_val}. */
  public static FeatureValue ofTimeUuidList(List<String> values) {
    return strings(ValueType.TIME_UUID_LIST, values);
  }

  /** {@code decimal_list_val}. */
  public static FeatureValue ofDecimalList(List<String> values) {
    return strings(ValueType.DECIMAL_LIST, values);
  }

  /** {@code bytes_set_val}; the arrays are copied, order and duplicates kept. */
  public static FeatureValue ofBytesSet(List<byte[]> values) {
    return bytesCollection(ValueType.BYTES_SET, values);
  }

  /** {@code string_set_val}; order and duplicates kept. */
  public static FeatureValue ofStringSet(List<String> values) {
    return strings(ValueType.STRING_SET, values);
  }

  /** {@code int32_set_val}; order and duplicates kept. */
  public static FeatureValue ofInt32Set(int... values) {
    return new FeatureValue(ValueType.INT32_SET, values.clone());
  }

  /** {@code int64_set_val}; order and duplicates kept. */
  public static FeatureValue ofInt64Set(long... values) {
    return new FeatureValue(ValueType.INT64_SET, values.clone());
  }

  /** {@code double_set_val}; order and duplicates kept. */
  public static FeatureValue ofDoubleSet(double... values) {
    return new FeatureValue(ValueType.DOUBLE_SET, values.clone());
  }

  /** {@code float_set_val}; order and duplicates kept. */
  public static FeatureValue ofFloatSet(float... values) {
    return new FeatureValue(ValueType.FLOAT_SET, values.clone());
  }

  /** {@code bool_set_val}; order and duplicates kept. */
  public static FeatureValue ofBoolSet(boolean... values) {
    return new FeatureValue(ValueType.BOOL_SET, values.clone());
  }

  /** {@code unix_timestamp_set_val}: epoch seconds; order and duplicates kept. */
  public static FeatureValue ofUnixTimestampSet(long... epochSeconds) {
    return new FeatureValue(ValueType.UNIX_TIMESTAMP_SET, epochSeconds.clone());
  }

  /** {@code uuid_set_val}; order and duplicates kept. */
  public static FeatureValue ofUuidSet(List<String> values) {
    return strings(ValueType.UUID_SET, values);
  }

  /** {@code time_uuid_set_val}; order and duplicates kept. */
  public static FeatureValue ofTimeUuidSet(List<String> values) {
    return strings(ValueType.TIME_UUID_SET, values);
  }

  /** {@code decimal_set_val}; order and duplicates kept. */
  public static FeatureValue ofDecimalSet(List<String> values) {
    return strings(ValueType.DECIMAL_SET, values);
  }

  /** {@code map_val}; entries keep the map's iteration order. */
  public static FeatureValue ofMap(Map<String, FeatureValue> entries) {
    return new FeatureValue(ValueType.MAP, copyMap(entries));
  }

  /** {@code struct_val} (a {@code Map} message); entries keep the map's iteration order. */
  public static FeatureValue ofStruct(Map<String, FeatureValue> fields) {
    return new FeatureValue(ValueType.STRUCT, copyMap(fields));
  }

  /** {@code map_list_val}. */
  public static FeatureValue ofMapList(List<Map<String, FeatureValue>> maps) {
    return new FeatureValue(ValueType.MAP_LIST, copyMaps(maps));
  }

  /** {@code struct_list_val}. */
  public static FeatureValue ofStructList(List<Map<String, FeatureValue>> structs) {
    return new FeatureValue(ValueType.STRUCT_LIST, copyMaps(structs));
  }

  /** {@code list_val}: a list of values, which may themselves be collections. */
  public static FeatureValue ofValueList(List<FeatureValue> values) {
    return new FeatureValue(ValueType.VALUE_LIST, List.copyOf(values));
  }

  /** {@code set_val}: a set of values; order and duplicates kept. */
  public static FeatureValue ofValueSet(List<FeatureValue> values) {
    return new FeatureValue(ValueType.VALUE_SET, List.copyOf(values));
  }

  /** The oneof case; {@link ValueType#INVALID} for {@link #empty()}. */
  public ValueType type() {
    return type;
  }

  /** Whether this is {@link #empty()} or {@link #nullValue()}, which Feast both reads as null. */
  public boolean isNull() {
    return type == ValueType.INVALID || type == ValueType.NULL;
  }

  /** A copy of the bytes of a {@code BYTES} value, or of a {@code SCALAR_MAP}'s raw message. */
  public byte[] bytesValue() {
    if (type != ValueType.SCALAR_MAP) {
      expect(Shape.BYTES, "bytesValue");
    }
    return ((byte[]) payload()).clone();
  }

  /**
   * The text of a {@code STRING}, {@code JSON}, {@code UUID}, {@code TIME_UUID} or {@code DECIMAL}.
   */
  public String stringValue() {
    return (String) expect(Shape.STRING, "stringValue");
  }

  /** The number of an {@code INT32} value. */
  public int int32Value() {
    return (Integer) expect(Shape.INT32, "int32Value");
  }

  /**
   * The number of an {@code INT64}, or the epoch seconds of an {@code UNIX_TIMESTAMP} or {@code
   * ZONED_TIMESTAMP}.
   */
  public long int64Value() {
    if (type == ValueType.ZONED_TIMESTAMP) {
      return ((Zoned) payload()).epochSeconds();
    }
    return (Long) expect(Shape.INT64, "int64Value");
  }

  /** The number of a {@code DOUBLE} value. */
  public double doubleValue() {
    return (Double) expect(Shape.DOUBLE, "doubleValue");
  }

  /** The number of a {@code FLOAT} value. */
  public float floatValue() {
    return (Float) expect(Shape.FLOAT, "floatValue");
  }

  /** The truth value of a {@code BOOL}. */
  public boolean boolValue() {
    return (Boolean) expect(Shape.BOOL, "boolValue");
  }

  /** The zone name of a {@code ZONED_TIMESTAMP}; {@code ""} means UTC. */
  public String zone() {
    return ((Zoned) expect(Shape.ZONED, "zone")).zone();
  }

  /** Copies of the elements of a {@code BYTES_LIST} or {@code BYTES_SET}. */
  public List<byte[]> bytesListValue() {
    @SuppressWarnings("unchecked")
    List<byte[]> values = (List<byte[]>) expect(Shape.BYTES_LIST, "bytesListValue");
    List<byte[]> copy = new ArrayList<>(values.size());
    values.forEach(v -> copy.add(v.clone()));
    return copy;
  }

  /** The elements of a string list or set ({@code STRING}, {@code JSON}, {@code UUID}...). */
  @SuppressWarnings("unchecked")
  public List<String> stringListValue() {
    return (List<String>) expect(Shape.STRING_LIST, "stringListValue");
  }

  /** A copy of the elements of an {@code INT32_LIST} or {@code INT32_SET}. */
  public int[] int32ListValue() {
    return ((int[]) expect(Shape.INT32_LIST, "int32ListValue")).clone();
  }

  /** A copy of the elements of an {@code INT64} or {@code UNIX_TIMESTAMP} list or set. */
  public long[] int64ListValue() {
    return ((long[]) expect(Shape.INT64_LIST, "int64ListValue")).clone();
  }

  /** A copy of the elements of a {@code DOUBLE_LIST} or {@code DOUBLE_SET}. */
  public double[] doubleListValue() {
    return ((double[]) expect(Shape.DOUBLE_LIST, "doubleListValue")).clone();
  }

  /** A copy of the elements of a {@code FLOAT_LIST} or {@code FLOAT_SET}. */
  public float[] floatListValue() {
    return ((float[]) expect(Shape.FLOAT_LIST, "floatListValue")).clone();
  }

  /** A copy of the elements of a {@code BOOL_LIST} or {@code BOOL_SET}. */
  public boolean[] boolListValue() {
    return ((boolean[]) expect(Shape.BOOL_LIST, "boolListValue")).clone();
  }

  /** The entries of a {@code MAP} or {@code STRUCT}, unmodifiable, in their stored order. */
  @SuppressWarnings("unchecked")
  public Map<String, FeatureValue> mapValue() {
    return (Map<String, FeatureValue>) expect(Shape.MAP, "mapValue");
  }

  /** The maps of a {@code MAP_LIST} or {@code STRUCT_LIST}, unmodifiable. */
  @SuppressWarnings("unchecked")
  public List<Map<String, FeatureValue>> mapListValue() {
    return (List<Map<String, FeatureValue>>) expect(Shape.MAP_LIST, "mapListValue");
  }

  /** The elements of a {@code VALUE_LIST} or {@code VALUE_SET}, unmodifiable. */
  @SuppressWarnings("unchecked")
  public List<FeatureValue> valueListValue() {
    return (List<FeatureValue>) expect(Shape.VALUE_LIST, "valueListValue");
  }

  /** Equal when the type and the payload are equal; see the class comment. */
  @Override
  public boolean equals(@Nullable Object other) {
    return this == other
        || other instanceof FeatureValue that
            && type == that.type
            && Payloads.equal(type.shape(), payload, that.payload);
  }

  /** A hash consistent with {@link #equals}. */
  @Override
  public int hashCode() {
    return 31 * type.hashCode() + Payloads.hash(type.shape(), payload);
  }

  /** The type and payload, such as {@code INT64(1001)} or {@code STRING_LIST["a", "b"]}. */
  @Override
  public String toString() {
    return type.name() + Payloads.toString(type.shape(), payload);
  }

  /** The payload without a copy, for this package's encoders; null for the two null types. */
  @Nullable Object payload() {
    return payload;
  }

  private Object expect(Shape shape, String accessor) {
    if (type.shape() != shape) {
      throw new IllegalStateException("a " + type + " value has no " + accessor + "()");
    }
    return Objects.requireNonNull(payload);
  }

  private static FeatureValue string(ValueType type, String value) {
    return new FeatureValue(type, Utf8.requireWellFormed(value, type.name()));
  }

  private static FeatureValue strings(ValueType type, List<String> values) {
    List<String> copy = List.copyOf(values);
    copy.forEach(v -> Utf8.requireWellFormed(v, type.name() + " element"));
    return new FeatureValue(type, copy);
  }

  private static FeatureValue bytesCollection(ValueType type, List<byte[]> values) {
    List<byte[]> copy = new ArrayList<>(values.size());
    values.forEach(v -> copy.add(v.clone()));
    return new FeatureValue(type, Collections.unmodifiableList(copy));
  }

  private static Map<String, FeatureValue> copyMap(Map<String, FeatureValue> entries) {
    Map<String, FeatureValue> copy = new LinkedHashMap<>();
    entries.forEach(
        (k, v) -> copy.put(Utf8.requireWellFormed(k, "map key"), Objects.requireNonNull(v, k)));
    return Collections.unmodifiableMap(copy);
  }

  private static List<Map<String, FeatureValue>> copyMaps(List<Map<String, FeatureValue>> maps) {
    List<Map<String, FeatureValue>> copy = new ArrayList<>(maps.size());
    maps.forEach(m -> copy.add(copyMap(m)));
    return Collections.unmodifiableList(copy);
  }

  /** The payload of a {@code zoned_timestamp_val}. */
  record Zoned(long epochSeconds, String zone) {}
}
