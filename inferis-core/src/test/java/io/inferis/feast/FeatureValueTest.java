package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FeatureValueTest {

  @Test
  void emptyAndNullValue_areBothNull_butDifferentTypes() {
    assertThat(FeatureValue.empty().isNull()).isTrue();
    assertThat(FeatureValue.nullValue().isNull()).isTrue();
    assertThat(FeatureValue.empty().type()).isEqualTo(ValueType.INVALID);
    assertThat(FeatureValue.nullValue().type()).isEqualTo(ValueType.NULL);
    assertThat(FeatureValue.empty()).isNotEqualTo(FeatureValue.nullValue());
    assertThat(FeatureValue.ofInt64(0).isNull()).isFalse();
  }

  @Test
  void accessorOfTheWrongShape_throwsNamingTheType() {
    assertThatThrownBy(() -> FeatureValue.ofInt32(1).int64Value())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("INT32")
        .hasMessageContaining("int64Value");
    assertThatThrownBy(() -> FeatureValue.empty().stringValue())
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void accessors_shareShapesAcrossRelatedTypes() {
    assertThat(FeatureValue.ofUnixTimestamp(5).int64Value()).isEqualTo(5);
    assertThat(FeatureValue.ofZonedTimestamp(6, "UTC").int64Value()).isEqualTo(6);
    assertThat(FeatureValue.ofZonedTimestamp(6, "UTC").zone()).isEqualTo("UTC");
    assertThat(FeatureValue.ofJson("{}").stringValue()).isEqualTo("{}");
    assertThat(FeatureValue.ofDecimalSet(List.of("1")).stringListValue()).containsExactly("1");
    assertThat(FeatureValue.ofUnixTimestampSet(1, 1).int64ListValue()).containsExactly(1, 1);
    assertThat(FeatureValue.ofRawScalarMap(new byte[] {1}).bytesValue()).containsExactly(1);
  }

  @Test
  void arrays_areCopiedOnTheWayInAndOut() {
    long[] longs = {1, 2};
    byte[] bytes = {1};
    List<byte[]> list = new ArrayList<>(List.of(bytes));
    FeatureValue int64s = FeatureValue.ofInt64List(longs);
    FeatureValue bytesValue = FeatureValue.ofBytes(bytes);
    FeatureValue bytesList = FeatureValue.ofBytesList(list);

    longs[0] = 9;
    bytes[0] = 9;
    list.clear();
    int64s.int64ListValue()[1] = 9;
    bytesValue.bytesValue()[0] = 9;
    bytesList.bytesListValue().get(0)[0] = 9;

    assertThat(int64s.int64ListValue()).containsExactly(1, 2);
    assertThat(bytesValue.bytesValue()).containsExactly(1);
    assertThat(bytesList.bytesListValue()).hasSize(1).first().isEqualTo(new byte[] {1});
  }

  @Test
  void setsKeepOrderAndDuplicates() {
    assertThat(FeatureValue.ofStringSet(List.of("b", "a", "b")).stringListValue())
        .containsExactly("b", "a", "b");
    assertThat(FeatureValue.ofInt32Set(2, 1, 2).int32ListValue()).containsExactly(2, 1, 2);
  }

  @Test
  void equals_comparesFloatsByBits_bytesByContent_andMapsInAnyOrder() {
    Map<String, FeatureValue> ab = new LinkedHashMap<>();
    ab.put("a", FeatureValue.ofInt32(1));
    ab.put("b", FeatureValue.ofInt32(2));
    Map<String, FeatureValue> ba =
        new HashMap<>(Map.of("b", FeatureValue.ofInt32(2), "a", FeatureValue.ofInt32(1)));

    assertThat(FeatureValue.ofDouble(Double.NaN)).isEqualTo(FeatureValue.ofDouble(Double.NaN));
    assertThat(FeatureValue.ofDouble(0.0)).isNotEqualTo(FeatureValue.ofDouble(-0.0));
    assertThat(FeatureValue.ofBytesList(List.of(new byte[] {1})))
        .isEqualTo(FeatureValue.ofBytesList(List.of(new byte[] {1})))
        .hasSameHashCodeAs(FeatureValue.ofBytesList(List.of(new byte[] {1})));
    assertThat(FeatureValue.ofMap(ab))
        .isEqualTo(FeatureValue.ofMap(ba))
        .hasSameHashCodeAs(FeatureValue.ofMap(ba));
    assertThat(FeatureValue.ofMap(ab)).isNotEqualTo(FeatureValue.ofStruct(ab));
    assertThat(FeatureValue.ofInt64(1)).isNotEqualTo(FeatureValue.ofUnixTimestamp(1));
    assertThat(FeatureValue.ofStringList(List.of("a")))
        .isNotEqualTo(FeatureValue.ofStringSet(List.of("a")));
    assertThat(FeatureValue.ofFloatList(1f)).isEqualTo(FeatureValue.ofFloatList(1f));
  }

  @Test
  void toString_showsTypeAndPayload() {
    assertThat(FeatureValue.ofInt64(1001)).hasToString("INT64(1001)");
    assertThat(FeatureValue.ofStringList(List.of("a", "b")))
        .hasToString("STRING_LIST[\"a\", \"b\"]");
    assertThat(FeatureValue.ofBytes(new byte[] {0x74})).hasToString("BYTES(0x74)");
    assertThat(FeatureValue.ofMap(Map.of("k", FeatureValue.empty())))
        .hasToString("MAP{\"k\": INVALID}");
    assertThat(FeatureValue.ofZonedTimestamp(1, "UTC")).hasToString("ZONED_TIMESTAMP(1, \"UTC\")");
    assertThat(FeatureValue.nullValue()).hasToString("NULL");
  }

  @Test
  void stringsWithUnpairedSurrogates_areRejected() {
    assertThatThrownBy(() -> FeatureValue.ofString("a\ud83d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
    assertThatThrownBy(() -> FeatureValue.ofStringList(List.of("ok", "\ude00")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> FeatureValue.ofMap(Map.of("\ud800", FeatureValue.empty())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(FeatureValue.ofString("😀").stringValue()).isEqualTo("😀");
  }

  @Test
  void collectionsReturned_areUnmodifiable() {
    FeatureValue list = FeatureValue.ofValueList(List.of(FeatureValue.empty()));
    FeatureValue map = FeatureValue.ofMap(Map.of("k", FeatureValue.empty()));

    assertThatThrownBy(() -> list.valueListValue().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> map.mapValue().clear())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
