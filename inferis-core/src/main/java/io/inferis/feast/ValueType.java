package io.inferis.feast;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Feast's {@code ValueType.Enum}: the type of a {@link FeatureValue}. Every constant's {@link
 * #number()} is also the field number of its {@code feast.types.Value} oneof case; {@link #INVALID}
 * (0) stands for a {@code Value} with no case set.
 *
 * <p>{@link #parse} reads the dtype names found in a Feast repo's YAML and Python: the Feast type
 * names ({@code Int32}, {@code Int64}, {@code Float32}, {@code Float64}, {@code String}, {@code
 * Bytes}, {@code Bool}, {@code UnixTimestamp}, {@code Json}, {@code Uuid}, {@code TimeUuid}, {@code
 * Decimal}, {@code Map}, {@code Struct(...)}, {@code PdfBytes}, {@code ImageBytes}), {@code
 * Array(X)} and {@code Set(X)} of those, and this enum's own names ({@code INT64_LIST}), which may
 * also be written in camel case ({@code Int64List}). Thread-safe.
 */
public enum ValueType {
  /** No oneof case set: Feast's empty {@code Value}, read as null. */
  INVALID(0, Shape.NONE),
  /** {@code bytes_val}. */
  BYTES(1, Shape.BYTES),
  /** {@code string_val}. */
  STRING(2, Shape.STRING),
  /** {@code int32_val}. */
  INT32(3, Shape.INT32),
  /** {@code int64_val}. */
  INT64(4, Shape.INT64),
  /** {@code double_val} (Feast's {@code Float64}). */
  DOUBLE(5, Shape.DOUBLE),
  /** {@code float_val} (Feast's {@code Float32}). */
  FLOAT(6, Shape.FLOAT),
  /** {@code bool_val}. */
  BOOL(7, Shape.BOOL),
  /** {@code unix_timestamp_val}: epoch seconds as an int64. */
  UNIX_TIMESTAMP(8, Shape.INT64),
  /** {@code bytes_list_val}. */
  BYTES_LIST(11, Shape.BYTES_LIST),
  /** {@code string_list_val}. */
  STRING_LIST(12, Shape.STRING_LIST),
  /** {@code int32_list_val}. */
  INT32_LIST(13, Shape.INT32_LIST),
  /** {@code int64_list_val}. */
  INT64_LIST(14, Shape.INT64_LIST),
  /** {@code double_list_val}. */
  DOUBLE_LIST(15, Shape.DOUBLE_LIST),
  /** {@code float_list_val}. */
  FLOAT_LIST(16, Shape.FLOAT_LIST),
  /** {@code bool_list_val}. */
  BOOL_LIST(17, Shape.BOOL_LIST),
  /** {@code unix_timestamp_list_val}, an {@code Int64List} of epoch seconds. */
  UNIX_TIMESTAMP_LIST(18, Shape.INT64_LIST),
  /** {@code null_val}: an explicit null, read as null like {@link #INVALID}. */
  NULL(19, Shape.NULL),
  /** {@code map_val}: string keys to values. */
  MAP(20, Shape.MAP),
  /** {@code map_list_val}. */
  MAP_LIST(21, Shape.MAP_LIST),
  /** {@code bytes_set_val}. */
  BYTES_SET(22, Shape.BYTES_LIST),
  /** {@code string_set_val}. */
  STRING_SET(23, Shape.STRING_LIST),
  /** {@code int32_set_val}. */
  INT32_SET(24, Shape.INT32_LIST),
  /** {@code int64_set_val}. */
  INT64_SET(25, Shape.INT64_LIST),
  /** {@code double_set_val}. */
  DOUBLE_SET(26, Shape.DOUBLE_LIST),
  /** {@code float_set_val}. */
  FLOAT_SET(27, Shape.FLOAT_LIST),
  /** {@code bool_set_val}. */
  BOOL_SET(28, Shape.BOOL_LIST),
  /** {@code unix_timestamp_set_val}, an {@code Int64Set} of epoch seconds. */
  UNIX_TIMESTAMP_SET(29, Shape.INT64_LIST),
  /** {@code json_val}: JSON text, kept as a string. */
  JSON(32, Shape.STRING),
  /** {@code json_list_val}. */
  JSON_LIST(33, Shape.STRING_LIST),
  /** {@code struct_val}: a {@code Map} message. */
  STRUCT(34, Shape.MAP),
  /** {@code struct_list_val}: a {@code MapList} message. */
  STRUCT_LIST(35, Shape.MAP_LIST),
  /** {@code uuid_val}, a string. */
  UUID(36, Shape.STRING),
  /** {@code time_uuid_val}, a string. */
  TIME_UUID(37, Shape.STRING),
  /** {@code uuid_list_val}. */
  UUID_LIST(38, Shape.STRING_LIST),
  /** {@code time_uuid_list_val}. */
  TIME_UUID_LIST(39, Shape.STRING_LIST),
  /** {@code uuid_set_val}. */
  UUID_SET(40, Shape.STRING_LIST),
  /** {@code time_uuid_set_val}. */
  TIME_UUID_SET(41, Shape.STRING_LIST),
  /** {@code list_val}: a list of values ({@code RepeatedValue}). */
  VALUE_LIST(42, Shape.VALUE_LIST),
  /** {@code set_val}: a set of values ({@code RepeatedValue}). */
  VALUE_SET(43, Shape.VALUE_LIST),
  /** {@code decimal_val}: a decimal number kept as its string. */
  DECIMAL(44, Shape.STRING),
  /** {@code decimal_list_val}. */
  DECIMAL_LIST(45, Shape.STRING_LIST),
  /** {@code decimal_set_val}. */
  DECIMAL_SET(46, Shape.STRING_LIST),
  /** {@code scalar_map_val}: not decoded; a {@link FeatureValue} keeps its raw message bytes. */
  SCALAR_MAP(47, Shape.RAW),
  /** {@code zoned_timestamp_val}: epoch seconds and a time-zone name. */
  ZONED_TIMESTAMP(48, Shape.ZONED);

  private static final ValueType[] BY_NUMBER = new ValueType[49];
  private static final Map<String, ValueType> BY_NAME = new HashMap<>();

  static {
    for (ValueType type : values()) {
      BY_NUMBER[type.number] = type;
      BY_NAME.put(normalize(type.name()), type);
    }
    BY_NAME.put("FLOAT32", FLOAT);
    BY_NAME.put("FLOAT64", DOUBLE);
    BY_NAME.put("PDFBYTES", BYTES);
    BY_NAME.put("IMAGEBYTES", BYTES);
  }

  private final int number;
  private final Shape shape;

  ValueType(int number, Shape shape) {
    this.number = number;
    this.shape = shape;
  }

  /** Feast's enum number, which is also the {@code Value} oneof field number (0 for none). */
  public int number() {
    return number;
  }

  /** Whether values of this type hold several elements: every {@code *_LIST} and {@code *_SET}. */
  public boolean isCollection() {
    return switch (shape) {
      case BYTES_LIST,
          STRING_LIST,
          INT32_LIST,
          INT64_LIST,
          DOUBLE_LIST,
          FLOAT_LIST,
          BOOL_LIST,
          MAP_LIST,
          VALUE_LIST ->
          true;
      default -> false;
    };
  }

  /**
   * The type with Feast's enum number {@code number}.
   *
   * @throws IllegalArgumentException if Feast has no such number (9, 10, 30, 31 or out of range)
   */
  public static ValueType forNumber(int number) {
    ValueType type = byNumber(number);
    if (type == null) {
      throw new IllegalArgumentException("Feast has no ValueType number " + number);
    }
    return type;
  }

  /**
   * The type named by a Feast dtype, as written in YAML or Python: {@code "Int64"}, {@code
   * "Float32"}, {@code "Array(String)"}, {@code "Set(Int64)"}, {@code "INT64_LIST"}, {@code
   * "Int64List"}. Names match case-insensitively and surrounding blanks are ignored. {@code
   * Float32} is {@link #FLOAT} and {@code Float64} is {@link #DOUBLE}; {@code Array} or {@code Set}
   * of a collection is {@link #VALUE_LIST} or {@link #VALUE_SET}; {@code Struct(...)} is {@link
   * #STRUCT} whatever its fields.
   *
   * @throws IllegalArgumentException if the name is not one of those, or names a collection Feast
   *     does not have (such as {@code Set(Json)})
   */
  public static ValueType parse(String dtype) {
    Objects.requireNonNull(dtype, "dtype");
    ValueType type = parseOrNull(dtype.strip());
    if (type == null) {
      throw new IllegalArgumentException(
          "unknown Feast dtype '"
              + dtype
              + "': expected a Feast type (Int64, Float32, String, ...), Array(X), Set(X)"
              + " or a ValueType name such as INT64_LIST");
    }
    return type;
  }

  Shape shape() {
    return shape;
  }

  static @Nullable ValueType byNumber(int number) {
    return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
  }

  private static @Nullable ValueType parseOrNull(String dtype) {
    int open = dtype.indexOf('(');
    if (open < 0 || !dtype.endsWith(")")) {
      return BY_NAME.get(normalize(dtype));
    }
    String outer = dtype.substring(0, open).strip();
    if (outer.equalsIgnoreCase("Struct")) {
      return STRUCT;
    }
    boolean array = outer.equalsIgnoreCase("Array");
    if (!array && !outer.equalsIgnoreCase("Set")) {
      return null;
    }
    ValueType element = parseOrNull(dtype.substring(open + 1, dtype.length() - 1).strip());
    if (element == null || element == INVALID) {
      return null;
    }
    if (element.isCollection()) {
      return array ? VALUE_LIST : VALUE_SET;
    }
    return BY_NAME.get(normalize(element.name() + (array ? "_LIST" : "_SET")));
  }

  private static String normalize(String name) {
    return name.replace("_", "").toUpperCase(Locale.ROOT);
  }
}
