package io.inferis.feast;

/**
 * How a {@link ValueType} is held in a {@link FeatureValue} and laid out on the wire. Several value
 * types share a shape: {@code string_val}, {@code json_val} and {@code uuid_val} are all strings.
 */
enum Shape {
  NONE,
  NULL,
  BYTES,
  STRING,
  INT32,
  INT64,
  DOUBLE,
  FLOAT,
  BOOL,
  BYTES_LIST,
  STRING_LIST,
  INT32_LIST,
  INT64_LIST,
  DOUBLE_LIST,
  FLOAT_LIST,
  BOOL_LIST,
  MAP,
  MAP_LIST,
  VALUE_LIST,
  ZONED,
  RAW;

  /** Whether the oneof field is a nested message (length-delimited) rather than a scalar. */
  boolean isMessage() {
    return ordinal() >= BYTES_LIST.ordinal();
  }
}
