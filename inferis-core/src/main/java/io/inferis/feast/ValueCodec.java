package io.inferis.feast;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes a {@link FeatureValue} as the proto3 binary of a {@code feast.types.Value}, the bytes
 * Feast stores in each Redis hash field, and decodes them back. Stateless and thread-safe.
 *
 * <p>The output is the bytes Feast writes: a oneof scalar is written even when it holds its default
 * ({@code int64_val 0} is {@code 2000}), repeated numbers are packed, strings are UTF-8, and the
 * empty value is zero bytes. Map entries are written in the map's order with both key and value;
 * Feast's own map order is not canonical, so compare maps by meaning, not bytes.
 *
 * <p>Decoding follows protobuf's rules: unknown fields, and known fields with the wrong wire type,
 * are skipped (so a case added by a newer Feast reads as {@link FeatureValue#empty()}, as it would
 * in an older Feast); when several oneof fields appear the last wins; a message field repeated in a
 * row is merged; repeated numbers are read packed or unpacked. Malformed bytes throw {@link
 * FeastCodecException} and never any other exception.
 */
public final class ValueCodec {

  private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;

  private ValueCodec() {}

  /** The proto3 binary of {@code value}; {@link FeatureValue#empty()} gives an empty array. */
  public static byte[] encode(FeatureValue value) {
    Objects.requireNonNull(value, "value");
    byte[] bytes = new byte[valueSize(value)];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      writeValue(out, value);
      out.checkNoSpaceLeft();
    } catch (IOException | IllegalStateException e) {
      throw new IllegalStateException("encoded size of " + value.type() + " was miscomputed", e);
    }
    return bytes;
  }

  /**
   * The length of {@link #encode}'s bytes for {@code value}, without encoding it: what a message
   * embedding the value as a field needs to write its length first.
   */
  public static int encodedSize(FeatureValue value) {
    return valueSize(value);
  }

  /** Writes {@link #encode}'s bytes for {@code value} to {@code out} (no tag, no length). */
  public static void writeTo(CodedOutputStream out, FeatureValue value) throws IOException {
    writeValue(out, value);
  }

  /**
   * Decodes the proto3 binary of a {@code feast.types.Value}; an empty array is {@link
   * FeatureValue#empty()}.
   *
   * @throws FeastCodecException if the bytes are not a valid {@code Value} (truncated, malformed,
   *     invalid UTF-8 in a string, or nested deeper than 100 values)
   */
  public static FeatureValue decode(byte[] bytes) {
    return ValueDecoder.decode(bytes);
  }

  private static int valueSize(FeatureValue value) {
    int field = value.type().number();
    Object payload = value.payload();
    return switch (value.type().shape()) {
      case NONE -> 0;
      case NULL -> CodedOutputStream.computeEnumSize(field, 0);
      case BYTES -> CodedOutputStream.computeByteArraySize(field, (byte[]) payload);
      case STRING -> CodedOutputStream.computeStringSize(field, (String) payload);
      case INT32 -> CodedOutputStream.computeInt32Size(field, (Integer) payload);
      case INT64 -> CodedOutputStream.computeInt64Size(field, (Long) payload);
      case DOUBLE -> CodedOutputStream.computeTagSize(field) + 8;
      case FLOAT -> CodedOutputStream.computeTagSize(field) + 4;
      case BOOL -> CodedOutputStream.computeTagSize(field) + 1;
      default ->
          delimitedSize(field, contentSize(value.type().shape(), Objects.requireNonNull(payload)));
    };
  }

  private static int contentSize(Shape shape, Object payload) {
    int size = 0;
    switch (shape) {
      case BYTES_LIST -> {
        for (Object element : (List<?>) payload) {
          size += CodedOutputStream.computeByteArraySize(1, (byte[]) element);
        }
      }
      case STRING_LIST -> {
        for (Object element : (List<?>) payload) {
          size += CodedOutputStream.computeStringSize(1, (String) element);
        }
      }
      case INT32_LIST -> size = packedSize(int32sSize((int[]) payload));
      case INT64_LIST -> size = packedSize(int64sSize((long[]) payload));
      case DOUBLE_LIST -> size = packedSize(8 * ((double[]) payload).length);
      case FLOAT_LIST -> size = packedSize(4 * ((float[]) payload).length);
      case BOOL_LIST -> size = packedSize(((boolean[]) payload).length);
      case MAP -> {
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) payload).entrySet()) {
          size +=
              delimitedSize(1, entrySize((String) entry.getKey(), (FeatureValue) entry.getValue()));
        }
      }
      case MAP_LIST -> {
        for (Object map : (List<?>) payload) {
          size += delimitedSize(1, contentSize(Shape.MAP, map));
        }
      }
      case VALUE_LIST -> {
        for (Object element : (List<?>) payload) {
          size += delimitedSize(1, valueSize((FeatureValue) element));
        }
      }
      case ZONED -> {
        FeatureValue.Zoned zoned = (FeatureValue.Zoned) payload;
        size =
            zoned.epochSeconds() == 0
                ? 0
                : CodedOutputStream.computeInt64Size(1, zoned.epochSeconds());
        size += zoned.zone().isEmpty() ? 0 : CodedOutputStream.computeStringSize(2, zoned.zone());
      }
      case RAW -> size = ((byte[]) payload).length;
      default -> throw new IllegalArgumentException(shape + " is not a message");
    }
    return size;
  }

  private static void writeValue(CodedOutputStream out, FeatureValue value) throws IOException {
    int field = value.type().number();
    Object payload = value.payload();
    switch (value.type().shape()) {
      case NONE -> {}
      case NULL -> out.writeEnum(field, 0);
      case BYTES -> out.writeByteArray(field, (byte[]) payload);
      case STRING -> out.writeString(field, (String) payload);
      case INT32 -> out.writeInt32(field, (Integer) payload);
      case INT64 -> out.writeInt64(field, (Long) payload);
      case DOUBLE -> out.writeDouble(field, (Double) payload);
      case FLOAT -> out.writeFloat(field, (Float) payload);
      case BOOL -> out.writeBool(field, (Boolean) payload);
      default -> {
        Shape shape = value.type().shape();
        out.writeTag(field, LEN);
        Object content = Objects.requireNonNull(payload);
        out.writeUInt32NoTag(contentSize(shape, content));
        writeContent(out, shape, content);
      }
    }
  }

  private static void writeContent(CodedOutputStream out, Shape shape, Object payload)
      throws IOException {
    switch (shape) {
      case BYTES_LIST -> {
        for (Object element : (List<?>) payload) {
          out.writeByteArray(1, (byte[]) element);
        }
      }
      case STRING_LIST -> {
        for (Object element : (List<?>) payload) {
          out.writeString(1, (String) element);
        }
      }
      case INT32_LIST -> {
        int[] values = (int[]) payload;
        if (writePackedHeader(out, int32sSize(values))) {
          for (int v : values) {
            out.writeInt32NoTag(v);
          }
        }
      }
      case INT64_LIST -> {
        long[] values = (long[]) payload;
        if (writePackedHeader(out, int64sSize(values))) {
          for (long v : values) {
            out.writeInt64NoTag(v);
          }
        }
      }
      case DOUBLE_LIST -> {
        double[] values = (double[]) payload;
        if (writePackedHeader(out, 8 * values.length)) {
          for (double v : values) {
            out.writeDoubleNoTag(v);
          }
        }
      }
      case FLOAT_LIST -> {
        float[] values = (float[]) payload;
        if (writePackedHeader(out, 4 * values.length)) {
          for (float v : values) {
            out.writeFloatNoTag(v);
          }
        }
      }
      case BOOL_LIST -> {
        boolean[] values = (boolean[]) payload;
        if (writePackedHeader(out, values.length)) {
          for (boolean v : values) {
            out.writeBoolNoTag(v);
          }
        }
      }
      case MAP -> {
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) payload).entrySet()) {
          String key = (String) entry.getKey();
          FeatureValue value = (FeatureValue) entry.getValue();
          out.writeTag(1, LEN);
          out.writeUInt32NoTag(entrySize(key, value));
          out.writeString(1, key);
          out.writeTag(2, LEN);
          out.writeUInt32NoTag(valueSize(value));
          writeValue(out, value);
        }
      }
      case MAP_LIST -> {
        for (Object map : (List<?>) payload) {
          out.writeTag(1, LEN);
          out.writeUInt32NoTag(contentSize(Shape.MAP, map));
          writeContent(out, Shape.MAP, map);
        }
      }
      case VALUE_LIST -> {
        for (Object element : (List<?>) payload) {
          FeatureValue value = (FeatureValue) element;
          out.writeTag(1, LEN);
          out.writeUInt32NoTag(valueSize(value));
          writeValue(out, value);
        }
      }
      case ZONED -> {
        FeatureValue.Zoned zoned = (FeatureValue.Zoned) payload;
        if (zoned.epochSeconds() != 0) {
          out.writeInt64(1, zoned.epochSeconds());
        }
        if (!zoned.zone().isEmpty()) {
          out.writeString(2, zoned.zone());
        }
      }
      case RAW -> out.writeRawBytes((byte[]) payload);
      default -> throw new IllegalArgumentException(shape + " is not a message");
    }
  }

  /** A map entry: {@code string key = 1; Value value = 2;}, both always written. */
  private static int entrySize(String key, FeatureValue value) {
    return CodedOutputStream.computeStringSize(1, key) + delimitedSize(2, valueSize(value));
  }

  private static int delimitedSize(int field, int length) {
    return CodedOutputStream.computeTagSize(field)
        + CodedOutputStream.computeUInt32SizeNoTag(length)
        + length;
  }

  /** Proto3 omits an empty packed field entirely. */
  private static int packedSize(int length) {
    return length == 0 ? 0 : delimitedSize(1, length);
  }

  private static boolean writePackedHeader(CodedOutputStream out, int length) throws IOException {
    if (length == 0) {
      return false;
    }
    out.writeTag(1, LEN);
    out.writeUInt32NoTag(length);
    return true;
  }

  private static int int32sSize(int[] values) {
    int size = 0;
    for (int v : values) {
      size += CodedOutputStream.computeInt32SizeNoTag(v);
    }
    return size;
  }

  private static int int64sSize(long[] values) {
    int size = 0;
    for (long v : values) {
      size += CodedOutputStream.computeInt64SizeNoTag(v);
    }
    return size;
  }
}
