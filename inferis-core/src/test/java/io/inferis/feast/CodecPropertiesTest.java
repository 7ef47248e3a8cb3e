package io.inferis.feast;

import static io.inferis.testing.Properties.forAll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Properties of every Feast codec, each checked on {@value io.inferis.testing.Properties#TRIES}
 * generated inputs from a fixed seed, edge cases first (NaN payloads, -0.0, extremes, non-BMP text,
 * empty bytes and lists, deep nesting). A failure names the seed, the try and the input. (Plain
 * Jupiter rather than jqwik: see the commit that added this class.)
 */
class CodecPropertiesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  // ---- generators ------------------------------------------------------------------------------

  private static final double[] EDGE_DOUBLES = {
    0.0,
    -0.0,
    Double.NaN,
    Double.longBitsToDouble(0x7ff0_0000_0000_0001L), // a NaN with a payload
    Double.longBitsToDouble(0xfff8_dead_beef_0000L),
    Double.POSITIVE_INFINITY,
    Double.NEGATIVE_INFINITY,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    Double.MIN_VALUE,
    Double.MIN_NORMAL,
    1e-5,
    2e23,
    0.1,
  };

  private static final long[] EDGE_LONGS = {
    0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 53
  };

  static double aDouble(Random r) {
    return r.nextInt(4) == 0
        ? EDGE_DOUBLES[r.nextInt(EDGE_DOUBLES.length)]
        : Double.longBitsToDouble(r.nextLong());
  }

  static float aFloat(Random r) {
    return r.nextInt(4) == 0 ? (float) aDouble(r) : Float.intBitsToFloat(r.nextInt());
  }

  static long aLong(Random r) {
    return r.nextInt(3) == 0 ? EDGE_LONGS[r.nextInt(EDGE_LONGS.length)] : r.nextLong();
  }

  static int anInt(Random r) {
    return r.nextInt(3) == 0 ? (int) EDGE_LONGS[r.nextInt(EDGE_LONGS.length)] : r.nextInt();
  }

  /** Well-formed Unicode: ASCII, controls, NUL, BMP, non-BMP; sometimes empty or long. */
  static String aString(Random r) {
    int n = r.nextInt(10) == 0 ? 200 + r.nextInt(2000) : r.nextInt(12);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      int cp =
          switch (r.nextInt(6)) {
            case 0 -> r.nextInt(0x20);
            case 1 -> 0xa0 + r.nextInt(0xd7ff - 0xa0);
            case 2 -> 0x10000 + r.nextInt(0x10ffff - 0x10000);
            case 3 -> 0xe000 + r.nextInt(0x2000);
            default -> 0x20 + r.nextInt(0x5f);
          };
      sb.appendCodePoint(cp);
    }
    return sb.toString();
  }

  static byte[] someBytes(Random r) {
    byte[] b = new byte[r.nextInt(3) == 0 ? 0 : r.nextInt(40)];
    r.nextBytes(b);
    return b;
  }

  private static List<String> strings(Random r) {
    List<String> l = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      l.add(aString(r));
    }
    return l;
  }

  private static List<byte[]> byteArrays(Random r) {
    List<byte[]> l = new ArrayList<>();
    for (int i = r.nextInt(4); i > 0; i--) {
      l.add(someBytes(r));
    }
    return l;
  }

  private static Map<String, FeatureValue> aMap(Random r, int depth) {
    Map<String, FeatureValue> m = new LinkedHashMap<>();
    for (int i = r.nextInt(3); i > 0; i--) {
      m.put(aString(r), aValue(r, depth - 1));
    }
    return m;
  }

  /** Any value of any type, through the public factories. */
  static FeatureValue aValue(Random r, int depth) {
    int n = r.nextInt(4);
    double[] doubles = new double[n];
    float[] floats = new float[n];
    long[] longs = new long[n];
    int[] ints = new int[n];
    boolean[] bools = new boolean[n];
    for (int i = 0; i < n; i++) {
      doubles[i] = aDouble(r);
      floats[i] = aFloat(r);
      longs[i] = aLong(r);
      ints[i] = anInt(r);
      bools[i] = r.nextBoolean();
    }
    int choice = r.nextInt(depth > 0 ? 44 : 38);
    return switch (choice) {
      case 0 -> FeatureValue.empty();
      case 1 -> FeatureValue.nullValue();
      case 2 -> FeatureValue.ofBytes(someBytes(r));
      case 3 -> FeatureValue.ofString(aString(r));
      case 4 -> FeatureValue.ofInt32(anInt(r));
      case 5 -> FeatureValue.ofInt64(aLong(r));
      case 6 -> FeatureValue.ofDouble(aDouble(r));
      case 7 -> FeatureValue.ofFloat(aFloat(r));
      case 8 -> FeatureValue.ofBool(r.nextBoolean());
      case 9 -> FeatureValue.ofUnixTimestamp(aLong(r));
      case 10 -> FeatureValue.ofJson(aString(r));
      case 11 -> FeatureValue.ofUuid(aString(r));
      case 12 -> FeatureValue.ofTimeUuid(aString(r));
      case 13 -> FeatureValue.ofDecimal(aString(r));
      case 14 -> FeatureValue.ofZonedTimestamp(aLong(r), r.nextBoolean() ? "" : aString(r));
      case 15 -> FeatureValue.ofBytesList(byteArrays(r));
      case 16 -> FeatureValue.ofStringList(strings(r));
      case 17 -> FeatureValue.ofInt32List(ints);
      case 18 -> FeatureValue.ofInt64List(longs);
      case 19 -> FeatureValue.ofDoubleList(doubles);
      case 20 -> FeatureValue.ofFloatList(floats);
      case 21 -> FeatureValue.ofBoolList(bools);
      case 22 -> FeatureValue.ofUnixTimestampList(longs);
      case 23 -> FeatureValue.ofJsonList(strings(r));
      case 24 -> FeatureValue.ofUuidList(strings(r));
      case 25 -> FeatureValue.ofTimeUuidList(strings(r));
      case 26 -> FeatureValue.ofDecimalList(strings(r));
      case 27 -> FeatureValue.ofBytesSet(byteArrays(r));
      case 28 -> FeatureValue.ofStringSet(strings(r));
      case 29 -> FeatureValue.ofInt32Set(ints);
      case 30 -> FeatureValue.ofInt64Set(longs);
      case 31 -> FeatureValue.ofDoubleSet(doubles);
      case 32 -> FeatureValue.ofFloatSet(floats);
      case 33 -> FeatureValue.ofBoolSet(bools);
      case 34 -> FeatureValue.ofUnixTimestampSet(longs);
      case 35 -> FeatureValue.ofUuidSet(strings(r));
      case 36 -> FeatureValue.ofTimeUuidSet(strings(r));
      case 37 -> FeatureValue.ofDecimalSet(strings(r));
      case 38 -> FeatureValue.ofMap(aMap(r, depth));
      case 39 -> FeatureValue.ofStruct(aMap(r, depth));
      case 40 -> FeatureValue.ofMapList(List.of(aMap(r, depth), aMap(r, depth)));
      case 41 -> FeatureValue.ofStructList(List.of(aMap(r, depth)));
      case 42 -> FeatureValue.ofValueList(List.of(aValue(r, depth - 1), aValue(r, depth - 1)));
      default -> FeatureValue.ofValueSet(List.of(aValue(r, depth - 1)));
    };
  }

  // ---- ValueCodec
  // --------------------------------------------------------------------------------

  @Test
  void valueCodec_decodeOfEncode_isTheValue_andReEncodesToTheSameBytes() {
    forAll(
        101,
        r -> aValue(r, 3),
        v -> {
          byte[] bytes = ValueCodec.encode(v);
          FeatureValue back = ValueCodec.decode(bytes);
          assertThat(back).isEqualTo(v);
          assertThat(back.hashCode()).isEqualTo(v.hashCode());
          assertThat(ValueCodec.encode(back)).isEqualTo(bytes);
        });
  }

  @Test
  void valueCodec_deeplyNestedLists_roundTripUpToTheDepthLimit_andAreRejectedPastIt() {
    forAll(
        102,
        r -> r.nextInt(ValueDecoder.MAX_DEPTH + 20),
        depth -> {
          FeatureValue v = FeatureValue.ofInt64(depth);
          for (int i = 0; i < depth; i++) {
            v = FeatureValue.ofValueList(List.of(v));
          }
          byte[] bytes = ValueCodec.encode(v);
          if (depth <= ValueDecoder.MAX_DEPTH) {
            assertThat(ValueCodec.decode(bytes)).isEqualTo(v);
          } else {
            assertThatThrownBy(() -> ValueCodec.decode(bytes))
                .isInstanceOf(FeastCodecException.class);
          }
        });
  }

  @Test
  void valueCodec_arbitraryBytes_decodeToAValueOrThrowOnlyTheCodecException() {
    forAll(
        103,
        CodecPropertiesTest::someBytesOrMutatedValue,
        b -> onlyCodecException(b, ValueCodec::decode));
  }

  private static byte[] someBytesOrMutatedValue(Random r) {
    if (r.nextBoolean()) {
      byte[] b = new byte[r.nextInt(64)];
      r.nextBytes(b);
      return b;
    }
    byte[] b = ValueCodec.encode(aValue(r, 2));
    if (b.length > 0) {
      b[r.nextInt(b.length)] = (byte) r.nextInt(256);
    }
    return java.util.Arrays.copyOf(b, r.nextInt(b.length + 1));
  }

  private static void onlyCodecException(byte[] bytes, Consumer<byte[]> decoder) {
    try {
      decoder.accept(bytes);
    } catch (FeastCodecException expected) {
      // rejecting garbage is the contract
    } catch (RuntimeException | StackOverflowError other) {
      throw new AssertionError("threw " + other, other);
    }
  }

  // ---- FeastJson
  // ---------------------------------------------------------------------------------

  @Test
  void feastJson_isValidJson_withNumbersThatReadBackExactly_orTheCodecExceptionForNonFinite() {
    forAll(
        104,
        r -> aValue(r, 2),
        v -> {
          String text;
          try {
            text = FeastJson.toJson(v);
          } catch (FeastCodecException e) {
            assertThat(hasNonFinite(v) || v.type() == ValueType.ZONED_TIMESTAMP || nestedZoned(v))
                .as("only non-finite numbers and unrenderable zoned times are refused: " + e)
                .isTrue();
            return;
          }
          JsonNode node;
          try {
            node = JSON.readTree(text);
          } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
          }
          switch (v.type()) {
            case DOUBLE -> assertThat(node.asDouble()).isEqualTo(v.doubleValue());
            case FLOAT -> assertThat((float) node.asDouble()).isEqualTo(v.floatValue());
            case INT64, UNIX_TIMESTAMP -> assertThat(node.asLong()).isEqualTo(v.int64Value());
            case STRING, JSON, UUID, TIME_UUID, DECIMAL ->
                assertThat(node.textValue()).isEqualTo(v.stringValue());
            case BYTES ->
                assertThat(java.util.Base64.getDecoder().decode(node.textValue()))
                    .isEqualTo(v.bytesValue());
            case DOUBLE_LIST, DOUBLE_SET -> {
              double[] d = v.doubleListValue();
              for (int i = 0; i < d.length; i++) {
                assertThat(node.get(i).asDouble()).isEqualTo(d[i]);
              }
            }
            case INVALID, NULL, SCALAR_MAP -> assertThat(node.isNull()).isTrue();
            default -> {}
          }
        });
  }

  private static boolean nestedZoned(FeatureValue v) {
    return v.toString().contains("ZONED_TIMESTAMP");
  }

  private static boolean hasNonFinite(FeatureValue v) {
    return switch (v.type().shape()) {
      case DOUBLE -> !Double.isFinite(v.doubleValue());
      case FLOAT -> !Float.isFinite(v.floatValue());
      case DOUBLE_LIST ->
          java.util.Arrays.stream(v.doubleListValue()).anyMatch(d -> !Double.isFinite(d));
      case FLOAT_LIST -> {
        for (float f : v.floatListValue()) {
          if (!Float.isFinite(f)) {
            yield true;
          }
        }
        yield false;
      }
      case MAP -> v.mapValue().values().stream().anyMatch(CodecPropertiesTest::hasNonFinite);
      case MAP_LIST ->
          v.mapListValue().stream()
              .flatMap(m -> m.values().stream())
              .anyMatch(CodecPropertiesTest::hasNonFinite);
      case VALUE_LIST -> v.valueListValue().stream().anyMatch(CodecPropertiesTest::hasNonFinite);
      default -> false;
    };
  }

  // ---- Timestamps
  // --------------------------------------------------------------------------------

  private static Instant anInstant(Random r) {
    return switch (r.nextInt(6)) {
      case 0 -> Timestamps.MIN;
      case 1 -> Timestamps.MAX;
      case 2 -> Instant.EPOCH.plusNanos(r.nextInt(3) - 1);
      case 3 -> Instant.ofEpochSecond(r.nextInt(2_000_000_000), r.nextInt(1000) * 1000L);
      default ->
          Instant.ofEpochSecond(
              Timestamps.MIN.getEpochSecond()
                  + (long)
                      (r.nextDouble()
                          * (Timestamps.MAX.getEpochSecond() - Timestamps.MIN.getEpochSecond())),
              r.nextInt(1_000_000_000));
    };
  }

  @Test
  void timestamps_decodeOfEncode_andParseOfFormat_areTheInstant() {
    forAll(
        105,
        CodecPropertiesTest::anInstant,
        t -> {
          assertThat(Timestamps.decode(Timestamps.encode(t))).isEqualTo(t);
          String text = Timestamps.format(t);
          assertThat(text)
              .matches(
                  "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3}|\\.\\d{6}|\\.\\d{9})?Z");
          assertThat(Instant.parse(text)).isEqualTo(t);
        });
  }

  @Test
  void timestamps_arbitraryBytes_decodeOrThrowOnlyTheCodecException() {
    forAll(
        106,
        CodecPropertiesTest::someBytesOrMutatedTimestamp,
        b -> onlyCodecException(b, Timestamps::decode));
  }

  private static byte[] someBytesOrMutatedTimestamp(Random r) {
    byte[] b = r.nextBoolean() ? someBytes(r) : Timestamps.encode(anInstant(r));
    if (b.length > 0 && r.nextBoolean()) {
      b[r.nextInt(b.length)] = (byte) r.nextInt(256);
    }
    return b;
  }

  // ---- EntityKeys
  // --------------------------------------------------------------------------------

  private static FeatureValue aJoinKeyValue(Random r) {
    return switch (r.nextInt(5)) {
      case 0 -> FeatureValue.ofString(aString(r));
      case 1 -> FeatureValue.ofBytes(someBytes(r));
      case 2 -> FeatureValue.ofInt32(anInt(r));
      case 3 -> FeatureValue.ofInt64(aLong(r));
      default -> FeatureValue.ofUnixTimestamp(aLong(r));
    };
  }

  private static Map<String, FeatureValue> anEntityKey(Random r) {
    Map<String, FeatureValue> key = new LinkedHashMap<>();
    for (int i = r.nextInt(5); i > 0; i--) {
      key.put(aString(r), aJoinKeyValue(r));
    }
    return key;
  }

  @Test
  void entityKeys_deserializeOfSerialize_isTheKey_whateverTheMapOrder() {
    forAll(
        107,
        CodecPropertiesTest::anEntityKey,
        key -> {
          byte[] bytes = EntityKeys.serialize(key);
          assertThat(EntityKeys.deserialize(bytes)).isEqualTo(key);
          List<Map.Entry<String, FeatureValue>> entries = new ArrayList<>(key.entrySet());
          Collections.reverse(entries);
          Map<String, FeatureValue> reversed = new LinkedHashMap<>();
          entries.forEach(e -> reversed.put(e.getKey(), e.getValue()));
          assertThat(EntityKeys.serialize(reversed)).isEqualTo(bytes);
          byte[] prefix = EntityKeys.keyPrefix(key.keySet());
          assertThat(java.util.Arrays.copyOf(bytes, prefix.length)).isEqualTo(prefix);
          byte[] redisKey = EntityKeys.redisKey(key, "proj");
          assertThat(java.util.Arrays.copyOf(redisKey, bytes.length)).isEqualTo(bytes);
        });
  }

  @Test
  void entityKeys_arbitraryBytes_deserializeOrThrowOnlyTheCodecException() {
    forAll(
        108,
        r -> {
          byte[] b = r.nextBoolean() ? someBytes(r) : EntityKeys.serialize(anEntityKey(r));
          if (b.length > 0 && r.nextBoolean()) {
            b[r.nextInt(b.length)] = (byte) r.nextInt(256);
          }
          return java.util.Arrays.copyOf(b, Math.max(0, b.length - r.nextInt(3)));
        },
        b -> onlyCodecException(b, EntityKeys::deserialize));
  }

  @Test
  void entityKeys_valuesFeastCannotSerialize_areIllegalArgumentsNamingTheJoinKey() {
    forAll(
        109,
        r -> aValue(r, 1),
        v -> {
          Map<String, FeatureValue> key = Map.of("k", v);
          switch (v.type()) {
            case STRING, BYTES, INT32, INT64, UNIX_TIMESTAMP ->
                assertThat(EntityKeys.deserialize(EntityKeys.serialize(key))).isEqualTo(key);
            default ->
                assertThatThrownBy(() -> EntityKeys.serialize(key))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'k'");
          }
        });
  }
}
