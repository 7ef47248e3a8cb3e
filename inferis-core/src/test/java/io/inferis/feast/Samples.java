package io.inferis.feast;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Feature values for tests: one of every type, and random ones. */
final class Samples {

  /** Well-formed {@code ScalarMap} messages: none, one empty entry, one entry with an empty key. */
  private static final byte[][] SCALAR_MAPS = {{}, {0x0a, 0x00}, {0x0a, 0x02, 0x0a, 0x00}};

  private Samples() {}

  /** One non-trivial value of every {@link ValueType}. */
  static Map<ValueType, FeatureValue> oneOfEachType() {
    Map<String, FeatureValue> map = new LinkedHashMap<>();
    map.put("k", FeatureValue.ofInt64(1));
    map.put("é", FeatureValue.empty());
    List<byte[]> bytes = List.of(new byte[] {0, 1}, new byte[0]);
    List<String> strings = List.of("a", "", "😀");
    Map<ValueType, FeatureValue> all = new EnumMap<>(ValueType.class);
    put(all, FeatureValue.empty());
    put(all, FeatureValue.ofBytes(new byte[] {0, (byte) 0xff}));
    put(all, FeatureValue.ofString("héllo 😀"));
    put(all, FeatureValue.ofInt32(-7));
    put(all, FeatureValue.ofInt64(Long.MIN_VALUE));
    put(all, FeatureValue.ofDouble(-0.5));
    put(all, FeatureValue.ofFloat(0.9273980259895325f));
    put(all, FeatureValue.ofBool(true));
    put(all, FeatureValue.ofUnixTimestamp(1_609_459_200L));
    put(all, FeatureValue.ofBytesList(bytes));
    put(all, FeatureValue.ofStringList(strings));
    put(all, FeatureValue.ofInt32List(1, -1, Integer.MAX_VALUE));
    put(all, FeatureValue.ofInt64List(1, 2, 3));
    put(all, FeatureValue.ofDoubleList(1.5, Double.MIN_VALUE));
    put(all, FeatureValue.ofFloatList(1f, -2.5f));
    put(all, FeatureValue.ofBoolList(true, false));
    put(all, FeatureValue.ofUnixTimestampList(0, 1_609_459_200L));
    put(all, FeatureValue.nullValue());
    put(all, FeatureValue.ofMap(map));
    put(all, FeatureValue.ofMapList(List.of(map, Map.of())));
    put(all, FeatureValue.ofBytesSet(bytes));
    put(all, FeatureValue.ofStringSet(strings));
    put(all, FeatureValue.ofInt32Set(3, 3));
    put(all, FeatureValue.ofInt64Set(5, 6));
    put(all, FeatureValue.ofDoubleSet(0.0, -0.0));
    put(all, FeatureValue.ofFloatSet(Float.NaN));
    put(all, FeatureValue.ofBoolSet(false));
    put(all, FeatureValue.ofUnixTimestampSet(-1));
    put(all, FeatureValue.ofJson("{\"foo\": 1}"));
    put(all, FeatureValue.ofJsonList(List.of("[]", "null")));
    put(all, FeatureValue.ofStruct(Map.of("a", FeatureValue.ofInt32(2))));
    put(all, FeatureValue.ofStructList(List.of(Map.of("b", FeatureValue.ofBool(false)))));
    put(all, FeatureValue.ofUuid("123e4567-e89b-12d3-a456-426614174000"));
    put(all, FeatureValue.ofTimeUuid("c232ab00-9414-11ec-b3c8-9e6bdeced846"));
    put(all, FeatureValue.ofUuidList(List.of("u1", "u2")));
    put(all, FeatureValue.ofTimeUuidList(List.of("t1")));
    put(all, FeatureValue.ofUuidSet(List.of("u1")));
    put(all, FeatureValue.ofTimeUuidSet(List.of("t1", "t2")));
    put(
        all,
        FeatureValue.ofValueList(
            List.of(
                FeatureValue.ofInt64(1),
                FeatureValue.ofStringList(strings),
                FeatureValue.empty())));
    put(all, FeatureValue.ofValueSet(List.of(FeatureValue.ofString("a"))));
    put(all, FeatureValue.ofDecimal("-12.50"));
    put(all, FeatureValue.ofDecimalList(List.of("1", "2.5")));
    put(all, FeatureValue.ofDecimalSet(List.of("1e3")));
    put(all, FeatureValue.ofRawScalarMap(new byte[] {0x0a, 0x00}));
    put(all, FeatureValue.ofZonedTimestamp(1_781_020_800L, "America/Los_Angeles"));
    return all;
  }

  private static void put(Map<ValueType, FeatureValue> all, FeatureValue value) {
    all.put(value.type(), value);
  }

  /** A random value of a random type, nesting collections of values up to {@code depth}. */
  static FeatureValue random(Random random, int depth) {
    ValueType[] types = ValueType.values();
    ValueType type = types[random.nextInt(types.length)];
    int n = random.nextInt(4);
    return switch (type.shape()) {
      case NONE -> FeatureValue.empty();
      case NULL -> FeatureValue.nullValue();
      case BYTES -> FeatureValue.ofBytes(bytes(random));
      case STRING -> FeatureValue.trusted(type, string(random));
      case INT32 -> FeatureValue.ofInt32(random.nextInt());
      case INT64 -> FeatureValue.trusted(type, random.nextLong());
      case DOUBLE -> FeatureValue.ofDouble(Double.longBitsToDouble(random.nextLong()));
      case FLOAT -> FeatureValue.ofFloat(Float.intBitsToFloat(random.nextInt()));
      case BOOL -> FeatureValue.ofBool(random.nextBoolean());
      case BYTES_LIST -> FeatureValue.trusted(type, List.of(bytes(random), bytes(random)));
      case STRING_LIST -> FeatureValue.trusted(type, List.of(string(random), string(random)));
      case INT32_LIST -> FeatureValue.trusted(type, random.ints(n).toArray());
      case INT64_LIST -> FeatureValue.trusted(type, random.longs(n).toArray());
      case DOUBLE_LIST -> FeatureValue.trusted(type, random.doubles(n).toArray());
      case FLOAT_LIST -> FeatureValue.trusted(type, new float[] {random.nextFloat()});
      case BOOL_LIST -> FeatureValue.trusted(type, new boolean[] {random.nextBoolean(), true});
      case MAP -> FeatureValue.trusted(type, randomMap(random, depth));
      case MAP_LIST -> FeatureValue.trusted(type, List.of(randomMap(random, depth)));
      case VALUE_LIST ->
          FeatureValue.trusted(
              type,
              depth <= 0
                  ? List.of()
                  : List.of(random(random, depth - 1), random(random, depth - 1)));
      case ZONED -> FeatureValue.ofZonedTimestamp(random.nextLong(), string(random));
      case RAW -> FeatureValue.ofRawScalarMap(SCALAR_MAPS[random.nextInt(SCALAR_MAPS.length)]);
    };
  }

  private static Map<String, FeatureValue> randomMap(Random random, int depth) {
    Map<String, FeatureValue> map = new LinkedHashMap<>();
    if (depth > 0) {
      map.put(string(random), random(random, depth - 1));
      map.put(string(random) + "x", random(random, depth - 1));
    }
    return map;
  }

  private static byte[] bytes(Random random) {
    byte[] bytes = new byte[random.nextInt(6)];
    random.nextBytes(bytes);
    return bytes;
  }

  private static String string(Random random) {
    String[] pieces = {"", "a", "é", "😀", "\u0000", "feast", "中"};
    return pieces[random.nextInt(pieces.length)] + pieces[random.nextInt(pieces.length)];
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
