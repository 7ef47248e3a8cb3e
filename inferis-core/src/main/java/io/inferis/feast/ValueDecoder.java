package io.inferis.feast;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Reads {@code feast.types.Value} bytes with protobuf's parsing rules; see {@link ValueCodec}. */
final class ValueDecoder {

  /** Protobuf's own default recursion limit. */
  static final int MAX_DEPTH = 100;

  private ValueDecoder() {}

  static FeatureValue decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    FeatureValue single = singleScalar(bytes);
    return single != null ? single : decodeFully(bytes);
  }

  /** Protobuf's parse of {@code bytes}, without the single-scalar shortcut. */
  static FeatureValue decodeFully(byte[] bytes) {
    try {
      return value(CodedInputStream.newInstance(bytes), 0);
    } catch (IOException | RuntimeException e) {
      throw new FeastCodecException("not a feast.types.Value: " + e.getMessage(), e);
    }
  }

  /**
   * The value when {@code b} is exactly one numeric, bool, bytes or ASCII string field with a
   * one-byte tag (fields 1 to 8), as Feast writes scalars; null for anything else, which {@link
   * #decodeFully} parses. A feature lookup decodes one value per feature, and protobuf's parser
   * costs an object of its own per value; for one field the wire format is simple enough to read
   * here, and {@code ValueDecoderShortcutTest} holds both readings equal.
   */
  static @Nullable FeatureValue singleScalar(byte[] b) {
    if (b.length < 2 || b[0] < 0) {
      return null;
    }
    int tag = b[0];
    ValueType type = ValueType.byNumber(WireFormat.getTagFieldNumber(tag));
    if (type == null
        || type == ValueType.INVALID
        || type.shape().isMessage()
        || WireFormat.getTagWireType(tag) != wireType(type.shape())) {
      return null;
    }
    return switch (type.shape()) {
      case FLOAT ->
          b.length == 5
              ? FeatureValue.trusted(type, Float.intBitsToFloat(littleEndian32(b)))
              : null;
      case DOUBLE ->
          b.length == 9
              ? FeatureValue.trusted(type, Double.longBitsToDouble(littleEndian64(b)))
              : null;
      case INT32, INT64, BOOL -> {
        long v = varintFillingTheRest(b);
        if (v == NOT_ONE_VARINT) {
          yield null;
        }
        yield switch (type.shape()) {
          case INT32 -> FeatureValue.trusted(type, (int) v);
          case INT64 -> FeatureValue.trusted(type, v);
          default -> FeatureValue.trusted(type, v != 0);
        };
      }
      case BYTES, STRING -> {
        // A one-byte length that the payload fills exactly.
        int length = b[1];
        if (length < 0 || length != b.length - 2) {
          yield null;
        }
        if (type.shape() == Shape.BYTES) {
          yield FeatureValue.trusted(type, Arrays.copyOfRange(b, 2, b.length));
        }
        for (int i = 2; i < b.length; i++) {
          if (b[i] < 0) {
            yield null; // not ASCII: protobuf's UTF-8 validation decides
          }
        }
        yield FeatureValue.trusted(
            type, new String(b, 2, length, java.nio.charset.StandardCharsets.ISO_8859_1));
      }
      default -> null;
    };
  }

  /** No varint can be this: {@link #varintFillingTheRest} found anything but one varint. */
  private static final long NOT_ONE_VARINT = Long.MIN_VALUE + 12345;

  /**
   * The varint that starts at {@code b[1]} and ends exactly at the end of {@code b}, or {@link
   * #NOT_ONE_VARINT}. A ten-byte varint is read only when its last byte is 1, as a negative number
   * is written: for any other last byte protobuf's own readers disagree on bit 63.
   */
  private static long varintFillingTheRest(byte[] b) {
    if (b.length > 11 || (b.length == 11 && b[10] != 1)) {
      return NOT_ONE_VARINT;
    }
    long result = 0;
    int shift = 0;
    for (int i = 1; i < b.length; i++, shift += 7) {
      result |= (long) (b[i] & 0x7F) << shift;
      if (b[i] >= 0) {
        // A varint equal to the marker is read again by protobuf, which gives the same value.
        return i == b.length - 1 ? result : NOT_ONE_VARINT;
      }
    }
    return NOT_ONE_VARINT;
  }

  private static int littleEndian32(byte[] b) {
    return (b[1] & 0xFF) | (b[2] & 0xFF) << 8 | (b[3] & 0xFF) << 16 | (b[4] & 0xFF) << 24;
  }

  private static long littleEndian64(byte[] b) {
    long lo = littleEndian32(b) & 0xFFFFFFFFL;
    long hi = (b[5] & 0xFF) | (b[6] & 0xFF) << 8 | (b[7] & 0xFF) << 16 | (long) (b[8] & 0xFF) << 24;
    return lo | hi << 32;
  }

  private static FeatureValue value(CodedInputStream in, int depth) throws IOException {
    if (depth > MAX_DEPTH) {
      throw new FeastCodecException("values nested deeper than " + MAX_DEPTH);
    }
    FeatureValue scalar = FeatureValue.empty();
    @Nullable ValueType messageType = null;
    ByteString message = ByteString.EMPTY;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      ValueType type = ValueType.byNumber(WireFormat.getTagFieldNumber(tag));
      if (type == null
          || type == ValueType.INVALID
          || WireFormat.getTagWireType(tag) != wireType(type.shape())) {
        skip(in, tag);
      } else if (type.shape().isMessage()) {
        // Protobuf merges a oneof message field into the case already set, which for the wire
        // format is the same as concatenating the two encodings.
        ByteString bytes = in.readBytes();
        message = type == messageType ? message.concat(bytes) : bytes;
        messageType = type;
      } else {
        messageType = null;
        scalar = scalar(in, type);
      }
    }
    return messageType == null ? scalar : message(messageType, message, depth);
  }

  private static FeatureValue scalar(CodedInputStream in, ValueType type) throws IOException {
    return switch (type.shape()) {
      case NULL -> {
        in.readEnum();
        yield FeatureValue.nullValue();
      }
      case BYTES -> FeatureValue.trusted(type, in.readByteArray());
      case STRING -> FeatureValue.trusted(type, in.readStringRequireUtf8());
      case INT32 -> FeatureValue.trusted(type, in.readInt32());
      case INT64 -> FeatureValue.trusted(type, in.readInt64());
      case DOUBLE -> FeatureValue.trusted(type, in.readDouble());
      case FLOAT -> FeatureValue.trusted(type, in.readFloat());
      case BOOL -> FeatureValue.trusted(type, in.readBool());
      default -> throw new IllegalArgumentException(type + " is not a scalar");
    };
  }

  private static FeatureValue message(ValueType type, ByteString bytes, int depth)
      throws IOException {
    CodedInputStream in = bytes.newCodedInput();
    Shape shape = type.shape();
    return switch (shape) {
      case BYTES_LIST, STRING_LIST -> FeatureValue.trusted(type, strings(in, shape));
      case INT32_LIST, INT64_LIST, DOUBLE_LIST, FLOAT_LIST, BOOL_LIST ->
          FeatureValue.trusted(type, numbers(in, shape));
      case MAP -> FeatureValue.trusted(type, map(in, depth));
      case MAP_LIST -> {
        List<Map<String, FeatureValue>> maps = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
          if (tag == makeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
            maps.add(map(in.readBytes().newCodedInput(), depth));
          } else {
            skip(in, tag);
          }
        }
        yield FeatureValue.trusted(type, Collections.unmodifiableList(maps));
      }
      case VALUE_LIST -> {
        List<FeatureValue> values = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
          if (tag == makeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
            values.add(value(in.readBytes().newCodedInput(), depth + 1));
          } else {
            skip(in, tag);
          }
        }
        yield FeatureValue.trusted(type, Collections.unmodifiableList(values));
      }
      case ZONED -> zoned(in);
      case RAW -> FeatureValue.trusted(type, bytes.toByteArray());
      default -> throw new IllegalArgumentException(type + " is not a message");
    };
  }

  /** A {@code BytesList}/{@code StringList} (or set): {@code repeated bytes|string val = 1}. */
  private static List<Object> strings(CodedInputStream in, Shape shape) throws IOException {
    List<Object> values = new ArrayList<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != makeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        skip(in, tag);
      } else if (shape == Shape.BYTES_LIST) {
        values.add(in.readByteArray());
      } else {
        values.add(in.readStringRequireUtf8());
      }
    }
    return Collections.unmodifiableList(values);
  }

  /** A numeric list or set, {@code repeated T val = 1}, packed or not: parsers accept both. */
  private static Object numbers(CodedInputStream in, Shape shape) throws IOException {
    int elementWireType = elementWireType(shape);
    long[] buffer = new long[8];
    int count = 0;
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (WireFormat.getTagFieldNumber(tag) != 1) {
        skip(in, tag);
      } else if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
        int limit = in.pushLimit(in.readRawVarint32());
        while (in.getBytesUntilLimit() > 0) {
          buffer = append(buffer, count++, element(in, shape));
        }
        in.popLimit(limit);
      } else if (WireFormat.getTagWireType(tag) == elementWireType) {
        buffer = append(buffer, count++, element(in, shape));
      } else {
        skip(in, tag);
      }
    }
    return toArray(shape, buffer, count);
  }

  /** One element of a numeric list, as bits that {@link #toArray} turns back into numbers. */
  private static long element(CodedInputStream in, Shape shape) throws IOException {
    return switch (shape) {
      case INT32_LIST -> in.readInt32();
      case INT64_LIST -> in.readInt64();
      case BOOL_LIST -> in.readBool() ? 1 : 0;
      case DOUBLE_LIST -> in.readRawLittleEndian64();
      default -> in.readRawLittleEndian32();
    };
  }

  private static Object toArray(Shape shape, long[] buffer, int count) {
    switch (shape) {
      case INT64_LIST:
        return Arrays.copyOf(buffer, count);
      case INT32_LIST:
        int[] ints = new int[count];
        Arrays.setAll(ints, i -> (int) buffer[i]);
        return ints;
      case DOUBLE_LIST:
        double[] doubles = new double[count];
        Arrays.setAll(doubles, i -> Double.longBitsToDouble(buffer[i]));
        return doubles;
      case FLOAT_LIST:
        float[] floats = new float[count];
        for (int i = 0; i < count; i++) {
          floats[i] = Float.intBitsToFloat((int) buffer[i]);
        }
        return floats;
      default:
        boolean[] bools = new boolean[count];
        for (int i = 0; i < count; i++) {
          bools[i] = buffer[i] != 0;
        }
        return bools;
    }
  }

  /** A {@code Map}: {@code map<string, Value> val = 1}, each entry {@code key = 1, value = 2}. */
  private static Map<String, FeatureValue> map(CodedInputStream in, int depth) throws IOException {
    Map<String, FeatureValue> map = new LinkedHashMap<>();
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag != makeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        skip(in, tag);
        continue;
      }
      CodedInputStream entry = in.readBytes().newCodedInput();
      String key = "";
      @Nullable ByteString value = null;
      for (int field = entry.readTag(); field != 0; field = entry.readTag()) {
        if (field == makeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
          key = entry.readStringRequireUtf8();
        } else if (field == makeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
          ByteString bytes = entry.readBytes();
          value = value == null ? bytes : value.concat(bytes);
        } else {
          skip(entry, field);
        }
      }
      map.put(key, value == null ? FeatureValue.empty() : value(value.newCodedInput(), depth + 1));
    }
    return Collections.unmodifiableMap(map);
  }

  /** A {@code ZonedTimestamp}: {@code int64 unix_timestamp = 1; string zone = 2}. */
  private static FeatureValue zoned(CodedInputStream in) throws IOException {
    long seconds = 0;
    String zone = "";
    for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
      if (tag == makeTag(1, WireFormat.WIRETYPE_VARINT)) {
        seconds = in.readInt64();
      } else if (tag == makeTag(2, WireFormat.WIRETYPE_LENGTH_DELIMITED)) {
        zone = in.readStringRequireUtf8();
      } else {
        skip(in, tag);
      }
    }
    return FeatureValue.trusted(ValueType.ZONED_TIMESTAMP, new FeatureValue.Zoned(seconds, zone));
  }

  /** Skips an unknown field; an end-group tag with no group open is malformed. */
  static void skip(CodedInputStream in, int tag) throws IOException {
    if (!in.skipField(tag)) {
      throw new FeastCodecException("unexpected end-group tag in a protobuf message");
    }
  }

  private static int wireType(Shape shape) {
    return switch (shape) {
      case NULL, INT32, INT64, BOOL -> WireFormat.WIRETYPE_VARINT;
      case DOUBLE -> WireFormat.WIRETYPE_FIXED64;
      case FLOAT -> WireFormat.WIRETYPE_FIXED32;
      default -> WireFormat.WIRETYPE_LENGTH_DELIMITED;
    };
  }

  private static int elementWireType(Shape shape) {
    return switch (shape) {
      case DOUBLE_LIST -> WireFormat.WIRETYPE_FIXED64;
      case FLOAT_LIST -> WireFormat.WIRETYPE_FIXED32;
      default -> WireFormat.WIRETYPE_VARINT;
    };
  }

  /** A field's tag: {@code WireFormat.makeTag} is not public. */
  static int makeTag(int field, int wireType) {
    return field << 3 | wireType;
  }

  private static long[] append(long[] buffer, int index, long value) {
    long[] target = index < buffer.length ? buffer : Arrays.copyOf(buffer, buffer.length * 2);
    target[index] = value;
    return target;
  }
}
