package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityKeysTest {

  private static final HexFormat HEX = HexFormat.of();

  @Test
  void int64Entity_matchesGoVector() {
    byte[] key = EntityKeys.serialize(Map.of("driver_id", FeatureValue.ofInt64(1001)));

    assertThat(HEX.formatHex(key))
        .isEqualTo("0100000002000000090000006472697665725f69640400000008000000e903000000000000");
  }

  @Test
  void int32Entity_inProjectTest_matchesPythonRedisKey() {
    byte[] key = EntityKeys.redisKey(Map.of("entity", FeatureValue.ofInt32(1)), "test");

    assertThat(HEX.formatHex(key))
        .isEqualTo("010000000200000006000000656e7469747903000000040000000100000074657374");
  }

  @Test
  void twoKeyEntity_sortsCustomerBeforeUser_asSpecDerivedExample() {
    Map<String, FeatureValue> key = new LinkedHashMap<>();
    key.put("user", FeatureValue.ofInt64(7));
    key.put("customer", FeatureValue.ofString("c1"));

    assertThat(HEX.formatHex(EntityKeys.serialize(key)))
        .isEqualTo(
            "02000000"
                + "0200000008000000637573746f6d6572"
                + "020000000400000075736572"
                + "02000000020000006331"
                + "04000000080000000700000000000000");
  }

  @Test
  void entitylessKey_inProjectProj_matchesSpecDerivedExample() {
    byte[] key = EntityKeys.redisKey(EntityKeys.entityless(), "proj");

    assertThat(HEX.formatHex(key))
        .isEqualTo("01000000020000000a0000005f5f64756d6d795f6964020000000000000070726f6a");
  }

  @Test
  void keysWithSupplementaryCharacters_sortByUtf8Bytes_notByStringCompareTo() {
    String bmpMax = "\uffff"; // UTF-8 ef bf bf
    String emoji = "😀"; // UTF-8 f0 9f 98 80, but UTF-16 d83d de00 sorts first in Java
    assertThat(emoji.compareTo(bmpMax)).isNegative();
    Map<String, FeatureValue> key = new LinkedHashMap<>();
    key.put(emoji, FeatureValue.ofInt32(2));
    key.put(bmpMax, FeatureValue.ofInt32(1));

    assertThat(HEX.formatHex(EntityKeys.serialize(key)))
        .isEqualTo(
            "02000000"
                + "0200000003000000efbfbf"
                + "0200000004000000f09f9880"
                + "030000000400000001000000"
                + "030000000400000002000000");
  }

  @Test
  void stringValues_areMeasuredInUtf8Bytes() {
    byte[] key = EntityKeys.serialize(Map.of("k", FeatureValue.ofString("é😀")));

    assertThat(HEX.formatHex(key))
        .isEqualTo("0100000002000000010000006b" + "0200000006000000c3a9f09f9880");
  }

  @Test
  void bytesAndUnixTimestampValues_useTags1And8() {
    Map<String, FeatureValue> key = new LinkedHashMap<>();
    key.put("a", FeatureValue.ofBytes(new byte[] {(byte) 0xff}));
    key.put("b", FeatureValue.ofUnixTimestamp(-1));

    assertThat(HEX.formatHex(EntityKeys.serialize(key)))
        .isEqualTo(
            "02000000"
                + "020000000100000061"
                + "020000000100000062"
                + "0100000001000000ff"
                + "0800000008000000ffffffffffffffff");
  }

  @Test
  void int32AndInt64OfTheSameNumber_giveDifferentKeys() {
    assertThat(EntityKeys.serialize(Map.of("id", FeatureValue.ofInt32(1001))))
        .isNotEqualTo(EntityKeys.serialize(Map.of("id", FeatureValue.ofInt64(1001))));
  }

  @Test
  void emptyEntityKey_isFourZeroBytes() {
    assertThat(HEX.formatHex(EntityKeys.serialize(Map.of()))).isEqualTo("00000000");
  }

  @Test
  void redisKey_appendsTheUtf8ProjectWithNoSeparator() {
    byte[] key = EntityKeys.redisKey(Map.of("k", FeatureValue.ofString("")), "prój");

    assertThat(HEX.formatHex(key))
        .isEqualTo("0100000002000000010000006b0200000000000000" + "7072c3b36a");
  }

  @Test
  void keyPrefix_isCountAndSortedNameRecords_asInTheFullKey() {
    Map<String, FeatureValue> key = new LinkedHashMap<>();
    key.put("user", FeatureValue.ofInt64(7));
    key.put("customer", FeatureValue.ofString("c1"));
    byte[] prefix = EntityKeys.keyPrefix(List.of("user", "customer"));

    assertThat(HEX.formatHex(prefix))
        .isEqualTo("02000000" + "0200000008000000637573746f6d6572" + "020000000400000075736572");
    assertThat(HEX.formatHex(EntityKeys.serialize(key))).startsWith(HEX.formatHex(prefix));
  }

  @Test
  void keyPrefix_rejectsRepeatedNames() {
    assertThatThrownBy(() -> EntityKeys.keyPrefix(List.of("a", "a")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("repeat");
  }

  @Test
  void unsupportedValueType_isRejected_namingTheKeyAndType() {
    assertThatThrownBy(() -> EntityKeys.serialize(Map.of("score", FeatureValue.ofFloat(1f))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'score'")
        .hasMessageContaining("FLOAT");
    assertThatThrownBy(() -> EntityKeys.serialize(Map.of("n", FeatureValue.empty())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("INVALID");
  }

  @Test
  void joinKeyWithAnUnpairedSurrogate_isRejected() {
    assertThatThrownBy(() -> EntityKeys.serialize(Map.of("a\ud800", FeatureValue.ofInt32(1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void deserialize_readsBackEveryKeyType() {
    Map<String, FeatureValue> key = new LinkedHashMap<>();
    key.put("a_bytes", FeatureValue.ofBytes(new byte[] {0, 1}));
    key.put("b_string", FeatureValue.ofString("é😀"));
    key.put("c_int32", FeatureValue.ofInt32(-5));
    key.put("d_int64", FeatureValue.ofInt64(Long.MAX_VALUE));
    key.put("e_ts", FeatureValue.ofUnixTimestamp(1_609_459_200L));

    Map<String, FeatureValue> read = EntityKeys.deserialize(EntityKeys.serialize(key));

    assertThat(read).isEqualTo(key);
    assertThat(read.keySet()).containsExactly("a_bytes", "b_string", "c_int32", "d_int64", "e_ts");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "", // no count
        "010000", // count cut short
        "01000000", // count with nothing after it
        "ffffffff", // count far beyond the bytes
        "01000000" + "03000000010000006b" + "0300000004000000" + "01000000", // name tag not 2
        "01000000" + "0200000009000000" + "6b" + "0000000000000000", // name longer than the bytes
        "01000000" + "02000000010000006b", // no value record
        "01000000" + "02000000010000006b" + "0300000004000000" + "010000", // value cut short
        "01000000" + "02000000010000006b" + "030000000400000001000000" + "00", // trailing byte
        "01000000" + "02000000010000006b" + "030000000200000001000000", // int32 of 2 bytes
        "01000000" + "02000000010000006b" + "050000000800000000000000" + "00000000", // tag 5
        "01000000" + "0200000001000000ff" + "030000000400000001000000", // name not UTF-8
        "01000000" + "02000000010000006b" + "0200000001000000ff", // string value not UTF-8
        "02000000"
            + "02000000010000006b"
            + "02000000010000006b"
            + "030000000400000001000000"
            + "030000000400000002000000" // name repeated
      })
  void deserialize_rejectsMalformedKeys_withCodecException(String hex) {
    assertThatThrownBy(() -> EntityKeys.deserialize(HEX.parseHex(hex)))
        .isInstanceOf(FeastCodecException.class);
  }
}
