package io.inferis.feast;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Feast entity keys in serialization version 3, Feast's default since v0.50, and the Redis keys
 * built from them. Stateless and thread-safe.
 *
 * <p>An entity key is a map from join-key name to value, in any order. The layout, with every
 * integer an unsigned 32-bit little-endian number:
 *
 * <pre>
 * u32 N
 * N x  u32 2 | u32 byteLength | UTF-8 name        join keys, sorted by their UTF-8 bytes
 * N x  u32 typeTag | u32 byteLength | payload     values, in the same order
 * </pre>
 *
 * <p>Only five value types can be serialized, each under its {@link ValueType#number()}: {@code
 * STRING} (UTF-8), {@code BYTES} (raw), {@code INT32} (4 bytes), {@code INT64} and {@code
 * UNIX_TIMESTAMP} (8 bytes, epoch seconds), all little-endian two's complement. Feast's Go server
 * reads only the first four. The type must be the join key's dtype in the registry, not a guess
 * from JSON: {@code int32 1001} and {@code int64 1001} give different keys.
 *
 * <p>Older layouts (v1, v2, the early v3 without N, and pre-v0.61 code-point key lengths) are not
 * produced.
 */
public final class EntityKeys {

  /** The join key of an entityless feature view; its value is the empty string. */
  public static final String DUMMY_ID = "__dummy_id";

  private static final Comparator<byte[]> UTF8_ORDER = Arrays::compareUnsigned;

  private EntityKeys() {}

  /** The entity key of an entityless feature view: {@value #DUMMY_ID} with {@code ""}. */
  public static Map<String, FeatureValue> entityless() {
    return Map.of(DUMMY_ID, FeatureValue.ofString(""));
  }

  /**
   * Serializes {@code entityKey} in version 3. An empty map gives {@code 00000000}.
   *
   * @throws IllegalArgumentException naming the join key if a value's type cannot be serialized, or
   *     a name is not valid Unicode
   */
  public static byte[] serialize(Map<String, FeatureValue> entityKey) {
    return serialize(entityKey, new byte[0]);
  }

  /**
   * The Redis key of {@code entityKey} in {@code project}: {@link #serialize} followed by the UTF-8
   * project name, with no separator. Pass the feature view's own join-key names, not projection
   * aliases.
   *
   * @throws IllegalArgumentException as {@link #serialize} does
   */
  public static byte[] redisKey(Map<String, FeatureValue> entityKey, String project) {
    Objects.requireNonNull(project, "project");
    Encoded last = lastProject;
    if (!last.text().equals(project)) {
      last = new Encoded(project, Utf8.encode(project, "project"));
      lastProject = last;
    }
    return serialize(entityKey, last.bytes());
  }

  /** A string and its UTF-8 bytes (only read, never handed out). */
  private record Encoded(String text, byte[] bytes) {}

  /** The last project's bytes: a process serves one project or very few. */
  private static volatile Encoded lastProject = new Encoded("", new byte[0]);

  /**
   * The first part of every key with these join keys: N and the sorted name records, with no
   * values. Feast deletes with {@code SCAN MATCH <prefix>*<project>}.
   *
   * @throws IllegalArgumentException if a name repeats or is not valid Unicode
   */
  public static byte[] keyPrefix(Collection<String> joinKeys) {
    List<byte[]> names = new ArrayList<>(joinKeys.size());
    for (String key : joinKeys) {
      names.add(Utf8.encode(key, "join key"));
    }
    names.sort(UTF8_ORDER);
    int size = 4;
    for (int i = 0; i < names.size(); i++) {
      if (i > 0 && Arrays.equals(names.get(i - 1), names.get(i))) {
        throw new IllegalArgumentException("join keys repeat: " + joinKeys);
      }
      size += 8 + names.get(i).length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(names.size());
    names.forEach(name -> putRecord(out, ValueType.STRING.number(), name));
    return out.array();
  }

  /**
   * Reads a version-3 entity key: N, N name records, then value records up to the end. Names keep
   * their order in the bytes. For tests and tools; the read path never needs it.
   *
   * @throws FeastCodecException if the bytes are truncated, have extra or missing records, repeat a
   *     name, hold invalid UTF-8, or use a type tag other than the five above
   */
  public static Map<String, FeatureValue> deserialize(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long count = u32(in, "the key count");
    if (count > in.remaining() / 8) {
      throw new FeastCodecException(
          "entity key claims " + count + " join keys in " + bytes.length + " bytes");
    }
    List<String> names = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      long tag = u32(in, "a join-key type tag");
      if (tag != ValueType.STRING.number()) {
        throw new FeastCodecException(
            "join key " + i + " has type tag " + tag + ", not 2 (STRING)");
      }
      byte[] name = record(in, "join key " + i);
      names.add(Utf8.decode(name, 0, name.length, "join key " + i));
    }
    Map<String, FeatureValue> key = new LinkedHashMap<>();
    for (String name : names) {
      if (!in.hasRemaining()) {
        throw new FeastCodecException("entity key has no value for join key '" + name + "'");
      }
      long tag = u32(in, "the type tag of '" + name + "'");
      byte[] payload = record(in, "the value of '" + name + "'");
      if (key.put(name, value(name, tag, payload)) != null) {
        throw new FeastCodecException("entity key repeats join key '" + name + "'");
      }
    }
    if (in.hasRemaining()) {
      throw new FeastCodecException(
          "entity key has " + in.remaining() + " bytes after its " + count + " values");
    }
    return Collections.unmodifiableMap(key);
  }

  /** Feast's type tag of a join-key value: its {@link ValueType#number()}. */
  static int typeTag(String joinKey, FeatureValue value) {
    return switch (value.type()) {
      case STRING, BYTES, INT32, INT64, UNIX_TIMESTAMP -> value.type().number();
      default ->
          throw new IllegalArgumentException(
              "join key '"
                  + joinKey
                  + "' has a "
                  + value.type()
                  + " value; Feast serializes only STRING, BYTES, INT32, INT64 and"
                  + " UNIX_TIMESTAMP entity values");
    };
  }

  /** The payload bytes of a join-key value; throws like {@link #typeTag}. */
  static byte[] payload(String joinKey, FeatureValue value) {
    return switch (typeTag(joinKey, value)) {
      case 1 -> value.bytesValue();
      case 2 -> Utf8.encode(value.stringValue(), "join key value");
      case 3 -> littleEndian(value.int32Value(), 4);
      default -> littleEndian(value.int64Value(), 8);
    };
  }

  private static byte[] littleEndian(long value, int bytes) {
    byte[] out = new byte[bytes];
    for (int i = 0; i < bytes; i++) {
      out[i] = (byte) (value >>> (8 * i));
    }
    return out;
  }

  private static byte[] serialize(Map<String, FeatureValue> entityKey, byte[] suffix) {
    List<Entry> entries = new ArrayList<>(entityKey.size());
    int size = 4 + suffix.length;
    for (Map.Entry<String, FeatureValue> e : entityKey.entrySet()) {
      String key = e.getKey();
      FeatureValue value = Objects.requireNonNull(e.getValue(), key);
      Entry entry =
          new Entry(Utf8.encode(key, "join key"), typeTag(key, value), payload(key, value));
      entries.add(entry);
      size += 16 + entry.name().length + entry.payload().length;
    }
    entries.sort(BY_NAME);
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(entries.size());
    entries.forEach(entry -> putRecord(out, ValueType.STRING.number(), entry.name()));
    entries.forEach(entry -> putRecord(out, entry.tag(), entry.payload()));
    return out.put(suffix).array();
  }

  /** One join key's name, Feast type tag and payload, as the key writes them. */
  private record Entry(byte[] name, int tag, byte[] payload) {}

  /** Feast sorts a key's join keys by their UTF-8 names. */
  private static final Comparator<Entry> BY_NAME = Comparator.comparing(Entry::name, UTF8_ORDER);

  private static void putRecord(ByteBuffer out, int tag, byte[] bytes) {
    out.putInt(tag).putInt(bytes.length).put(bytes);
  }

  private static FeatureValue value(String name, long tag, byte[] payload) {
    ByteBuffer le = ByteBuffer.wrap(payload).order(ByteOrder.LITTLE_ENDIAN);
    if (tag == 1) {
      return FeatureValue.trusted(ValueType.BYTES, payload);
    } else if (tag == 2) {
      return FeatureValue.trusted(
          ValueType.STRING, Utf8.decode(payload, 0, payload.length, "the value of '" + name + "'"));
    } else if (tag == 3 && payload.length == 4) {
      return FeatureValue.ofInt32(le.getInt());
    } else if ((tag == 4 || tag == 8) && payload.length == 8) {
      return tag == 4
          ? FeatureValue.ofInt64(le.getLong())
          : FeatureValue.ofUnixTimestamp(le.getLong());
    }
    throw new FeastCodecException(
        "join key '"
            + name
            + "' has type tag "
            + tag
            + " with "
            + payload.length
            + " payload bytes");
  }

  private static long u32(ByteBuffer in, String what) {
    if (in.remaining() < 4) {
      throw new FeastCodecException("entity key ends before " + what);
    }
    return Integer.toUnsignedLong(in.getInt());
  }

  private static byte[] record(ByteBuffer in, String what) {
    long length = u32(in, "the length of " + what);
    if (length > in.remaining()) {
      throw new FeastCodecException("entity key ends inside " + what);
    }
    byte[] bytes = new byte[(int) length];
    in.get(bytes);
    return bytes;
  }
}
