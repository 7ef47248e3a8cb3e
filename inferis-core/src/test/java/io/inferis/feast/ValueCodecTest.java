package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code feast.types.Value} bytes derived by hand from the proto3 wire format (SPEC §3): tag =
 * field number × 8 + wire type, varints, packed repeated numbers, both key and value in map
 * entries.
 */
class ValueCodecTest {

  private static final HexFormat HEX = HexFormat.of();

  static Stream<Arguments> handDerived() {
    Map<String, FeatureValue> mapK1 = Map.of("k", FeatureValue.ofInt64(1));
    return Stream.of(
        Arguments.of(FeatureValue.empty(), ""),
        Arguments.of(FeatureValue.nullValue(), "980100"),
        Arguments.of(FeatureValue.ofBytes(new byte[0]), "0a00"),
        Arguments.of(FeatureValue.ofBytes(Samples.utf8("test")), "0a0474657374"),
        Arguments.of(FeatureValue.ofString(""), "1200"),
        Arguments.of(FeatureValue.ofString("é"), "1202c3a9"),
        Arguments.of(FeatureValue.ofInt32(0), "1800"),
        Arguments.of(FeatureValue.ofInt32(-1), "18ffffffffffffffffff01"),
        Arguments.of(FeatureValue.ofInt32(Integer.MIN_VALUE), "1880808080f8ffffffff01"),
        Arguments.of(FeatureValue.ofInt64(0), "2000"),
        Arguments.of(FeatureValue.ofInt64(1001), "20e907"),
        Arguments.of(FeatureValue.ofInt64(Long.MIN_VALUE), "2080808080808080808001"),
        Arguments.of(FeatureValue.ofDouble(0), "290000000000000000"),
        Arguments.of(FeatureValue.ofDouble(1.5), "29000000000000f83f"),
        Arguments.of(FeatureValue.ofFloat(0), "3500000000"),
        Arguments.of(FeatureValue.ofBool(false), "3800"),
        Arguments.of(FeatureValue.ofBool(true), "3801"),
        Arguments.of(FeatureValue.ofUnixTimestamp(0), "4000"),
        Arguments.of(FeatureValue.ofUnixTimestamp(1_609_459_200L), "4080ccb9ff05"),
        Arguments.of(
            FeatureValue.ofBytesList(List.of(Samples.utf8("a"), new byte[0])), "5a050a01610a00"),
        Arguments.of(FeatureValue.ofStringList(List.of("é", "x")), "62070a02c3a90a0178"),
        Arguments.of(FeatureValue.ofInt32List(1, -1), "6a0d0a0b01ffffffffffffffffff01"),
        Arguments.of(FeatureValue.ofInt64List(1, 2, 3), "72050a03010203"),
        Arguments.of(FeatureValue.ofInt64List(), "7200"),
        Arguments.of(FeatureValue.ofDoubleList(1.0), "7a0a0a08000000000000f03f"),
        Arguments.of(FeatureValue.ofFloatList(1f, -2.5f), "82010a0a080000803f000020c0"),
        Arguments.of(FeatureValue.ofBoolList(true, false), "8a01040a020100"),
        Arguments.of(FeatureValue.ofUnixTimestampList(1_609_459_200L, 0), "9201080a0680ccb9ff0500"),
        Arguments.of(FeatureValue.ofMap(mapK1), "a201090a070a016b12022001"),
        Arguments.of(FeatureValue.ofMap(Map.of("k", FeatureValue.empty())), "a201070a050a016b1200"),
        Arguments.of(
            FeatureValue.ofMapList(List.of(Map.of("k", FeatureValue.ofBool(true)), Map.of())),
            "aa010d0a090a070a016b120238010a00"),
        Arguments.of(FeatureValue.ofStringSet(List.of("a")), "ba01030a0161"),
        Arguments.of(FeatureValue.ofInt64Set(5, 5), "ca01040a020505"),
        Arguments.of(FeatureValue.ofJson("{}"), "8202027b7d"),
        Arguments.of(FeatureValue.ofJsonList(List.of("[]")), "8a02040a025b5d"),
        Arguments.of(
            FeatureValue.ofStruct(Map.of("a", FeatureValue.ofInt32(2))),
            "9202090a070a016112021802"),
        Arguments.of(FeatureValue.ofUuid("u"), "a2020175"),
        Arguments.of(FeatureValue.ofTimeUuid("t"), "aa020174"),
        Arguments.of(
            FeatureValue.ofValueList(List.of(FeatureValue.ofInt64(1), FeatureValue.empty())),
            "d202060a0220010a00"),
        Arguments.of(
            FeatureValue.ofValueSet(List.of(FeatureValue.ofString("a"))), "da02050a03120161"),
        Arguments.of(FeatureValue.ofDecimal("1.5"), "e20203312e35"),
        Arguments.of(FeatureValue.ofDecimalSet(List.of("1")), "f202030a0131"),
        Arguments.of(FeatureValue.ofRawScalarMap(HEX.parseHex("0a00")), "fa02020a00"),
        Arguments.of(
            FeatureValue.ofZonedTimestamp(1_781_020_800L, "America/Los_Angeles"),
            "82031b0880f1a0d1061213416d65726963612f4c6f735f416e67656c6573"),
        Arguments.of(FeatureValue.ofZonedTimestamp(0, ""), "820300"));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("handDerived")
  void encode_matchesHandDerivedBytes(FeatureValue value, String hex) {
    assertThat(HEX.formatHex(ValueCodec.encode(value))).isEqualTo(hex);
  }

  @ParameterizedTest(name = "{1} = {0}")
  @MethodSource("handDerived")
  void decode_ofHandDerivedBytes_givesTheValue(FeatureValue value, String hex) {
    assertThat(ValueCodec.decode(HEX.parseHex(hex))).isEqualTo(value);
  }

  @Test
  void int64_1001_matchesSpecExample() {
    assertThat(ValueCodec.encode(FeatureValue.ofInt64(1001))).isEqualTo(HEX.parseHex("20e907"));
  }

  @Test
  void int64Zero_isWrittenEvenThoughItIsTheDefault() {
    assertThat(ValueCodec.encode(FeatureValue.ofInt64(0))).isEqualTo(HEX.parseHex("2000"));
  }

  @Test
  void emptyValue_isZeroBytes_andZeroBytesAreTheEmptyValue() {
    assertThat(ValueCodec.encode(FeatureValue.empty())).isEmpty();
    assertThat(ValueCodec.decode(new byte[0])).isEqualTo(FeatureValue.empty());
  }

  @Test
  void everyValueType_roundTrips() {
    Map<ValueType, FeatureValue> samples = Samples.oneOfEachType();
    assertThat(samples.keySet()).containsExactlyInAnyOrder(ValueType.values());

    samples.forEach(
        (type, value) -> {
          byte[] bytes = ValueCodec.encode(value);
          assertThat(ValueCodec.decode(bytes)).as(type.name()).isEqualTo(value);
          assertThat(ValueCodec.encode(ValueCodec.decode(bytes))).as(type.name()).isEqualTo(bytes);
        });
  }

  @Test
  void unpackedRepeatedNumbers_decodeLikePackedOnes() {
    assertThat(ValueCodec.decode(HEX.parseHex("7206080108020803")))
        .isEqualTo(FeatureValue.ofInt64List(1, 2, 3));
    assertThat(ValueCodec.decode(HEX.parseHex("7a0909000000000000f83f")))
        .isEqualTo(FeatureValue.ofDoubleList(1.5));
    assertThat(ValueCodec.decode(HEX.parseHex("820104080a1005")))
        .isEqualTo(FeatureValue.ofFloatList());
  }

  @Test
  void mixedPackedAndUnpackedElements_keepTheirOrder() {
    assertThat(ValueCodec.decode(HEX.parseHex("72060a0201020803")))
        .isEqualTo(FeatureValue.ofInt64List(1, 2, 3));
  }

  @Test
  void repeatedMessageField_mergesAsProtobufDoes() {
    assertThat(ValueCodec.decode(HEX.parseHex("72030a0101" + "72030a0102")))
        .isEqualTo(FeatureValue.ofInt64List(1, 2));
  }

  @Test
  void lastOneofField_wins() {
    assertThat(ValueCodec.decode(HEX.parseHex("2001" + "120161")))
        .isEqualTo(FeatureValue.ofString("a"));
    assertThat(ValueCodec.decode(HEX.parseHex("72030a0101" + "2002")))
        .isEqualTo(FeatureValue.ofInt64(2));
    assertThat(ValueCodec.decode(HEX.parseHex("72030a0101" + "2002" + "72030a0103")))
        .isEqualTo(FeatureValue.ofInt64List(3));
  }

  @Test
  void unknownFieldsAndWrongWireTypes_areSkipped() {
    // Field 49 is not in Feast's Value: a newer Feast's type reads as no value, as in older Feasts.
    assertThat(ValueCodec.decode(HEX.parseHex("880301"))).isEqualTo(FeatureValue.empty());
    assertThat(ValueCodec.decode(HEX.parseHex("880301" + "2001")))
        .isEqualTo(FeatureValue.ofInt64(1));
    assertThat(ValueCodec.decode(HEX.parseHex("220161"))).isEqualTo(FeatureValue.empty());
    assertThat(ValueCodec.decode(HEX.parseHex("0b" + "0801" + "0c" + "2001")))
        .isEqualTo(FeatureValue.ofInt64(1));
  }

  @Test
  void mapEntryWithoutKeyOrValue_readsAsEmptyKeyAndEmptyValue() {
    assertThat(ValueCodec.decode(HEX.parseHex("a201020a00")))
        .isEqualTo(FeatureValue.ofMap(Map.of("", FeatureValue.empty())));
  }

  @Test
  void repeatedMapKey_keepsTheLastValue() {
    Map<String, FeatureValue> expected = new LinkedHashMap<>();
    expected.put("k", FeatureValue.ofInt64(2));
    assertThat(ValueCodec.decode(HEX.parseHex("a201120a070a016b12022001" + "0a070a016b12022002")))
        .isEqualTo(FeatureValue.ofMap(expected));
  }

  @Test
  void nullValWithAnUnknownEnumNumber_isStillNull() {
    assertThat(ValueCodec.decode(HEX.parseHex("980107"))).isEqualTo(FeatureValue.nullValue());
  }

  @Test
  void nanFloat_keepsItsBitsThroughARoundTrip() {
    float oddNan = Float.intBitsToFloat(0x7fc00001);
    byte[] bytes = ValueCodec.encode(FeatureValue.ofFloat(oddNan));

    assertThat(HEX.formatHex(bytes)).isEqualTo("350100c07f");
    assertThat(Float.floatToRawIntBits(ValueCodec.decode(bytes).floatValue()))
        .isEqualTo(0x7fc00001);
  }

  @Test
  void valuesNestedToTheProtobufLimit_decode_butDeeperOnesThrow() {
    assertThat(ValueCodec.decode(ValueCodec.encode(nested(100)))).isEqualTo(nested(100));
    assertThatThrownBy(() -> ValueCodec.decode(ValueCodec.encode(nested(101))))
        .isInstanceOf(FeastCodecException.class)
        .hasMessageContaining("deeper than 100");
  }

  @Test
  void deeplyNestedUnknownGroups_throwCodecExceptionNotStackOverflow() {
    byte[] groups = new byte[200_000];
    java.util.Arrays.fill(groups, (byte) 0x0b);

    assertThatThrownBy(() -> ValueCodec.decode(groups)).isInstanceOf(FeastCodecException.class);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "20", // varint missing
        "20ff", // varint truncated
        "20ffffffffffffffffffff01", // varint longer than 10 bytes
        "0a0561", // length beyond the end
        "1201ff", // string_val that is not UTF-8
        "1202eda080", // string_val holding a UTF-16 surrogate
        "0f", // wire type 7
        "0e", // wire type 6
        "0c", // end-group with no group open
        "00", // field number 0
        "29000000", // double cut short
        "7a030a0100", // packed doubles cut inside an element
        "72020a05", // packed length beyond its message
        "a201040a020a01", // map key whose length passes the entry
        "d202020a05", // list_val element beyond its message
        "820304120201ff" // zone that is not UTF-8
      })
  void malformedBytes_throwFeastCodecException(String hex) {
    assertThatThrownBy(() -> ValueCodec.decode(HEX.parseHex(hex)))
        .isInstanceOf(FeastCodecException.class)
        .hasMessageContaining("feast.types.Value");
  }

  private static FeatureValue nested(int depth) {
    FeatureValue value = FeatureValue.ofInt64(7);
    for (int i = 0; i < depth; i++) {
      value = FeatureValue.ofValueList(List.of(value));
    }
    return value;
  }
}
