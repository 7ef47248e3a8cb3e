package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValueTypeTest {

  @Test
  void numbers_matchFeastValueTypeEnum() {
    assertThat(ValueType.INVALID.number()).isZero();
    assertThat(ValueType.UNIX_TIMESTAMP.number()).isEqualTo(8);
    assertThat(ValueType.BYTES_LIST.number()).isEqualTo(11);
    assertThat(ValueType.UNIX_TIMESTAMP_LIST.number()).isEqualTo(18);
    assertThat(ValueType.NULL.number()).isEqualTo(19);
    assertThat(ValueType.BYTES_SET.number()).isEqualTo(22);
    assertThat(ValueType.UNIX_TIMESTAMP_SET.number()).isEqualTo(29);
    assertThat(ValueType.JSON.number()).isEqualTo(32);
    assertThat(ValueType.VALUE_LIST.number()).isEqualTo(42);
    assertThat(ValueType.DECIMAL_SET.number()).isEqualTo(46);
    assertThat(ValueType.ZONED_TIMESTAMP.number()).isEqualTo(48);
    assertThat(Arrays.stream(ValueType.values()).mapToInt(ValueType::number))
        .doesNotHaveDuplicates()
        .doesNotContain(9, 10, 30, 31)
        .hasSize(45);
  }

  @Test
  void forNumber_findsEveryType_andRejectsGaps() {
    for (ValueType type : ValueType.values()) {
      assertThat(ValueType.forNumber(type.number())).isSameAs(type);
    }
    for (int gap : new int[] {-1, 9, 10, 30, 31, 49}) {
      assertThatThrownBy(() -> ValueType.forNumber(gap))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "Int32, INT32",
    "Int64, INT64",
    "Float32, FLOAT",
    "Float64, DOUBLE",
    "String, STRING",
    "Bytes, BYTES",
    "Bool, BOOL",
    "UnixTimestamp, UNIX_TIMESTAMP",
    "Json, JSON",
    "Uuid, UUID",
    "TimeUuid, TIME_UUID",
    "Decimal, DECIMAL",
    "Map, MAP",
    "PdfBytes, BYTES",
    "ImageBytes, BYTES",
    "'Struct({\"a\": Int64})', STRUCT",
    "Array(Int64), INT64_LIST",
    "Array(Float32), FLOAT_LIST",
    "Array(UnixTimestamp), UNIX_TIMESTAMP_LIST",
    "Array(Json), JSON_LIST",
    "Array(Map), MAP_LIST",
    "Array(Array(String)), VALUE_LIST",
    "Set(String), STRING_SET",
    "Set(Float64), DOUBLE_SET",
    "Set(Array(Int32)), VALUE_SET",
    "' array( int64 ) ', INT64_LIST",
    "INT64_LIST, INT64_LIST",
    "Int64List, INT64_LIST",
    "unix_timestamp_set, UNIX_TIMESTAMP_SET",
    "FLOAT, FLOAT",
    "DOUBLE, DOUBLE",
    "ZONED_TIMESTAMP, ZONED_TIMESTAMP"
  })
  void parse_readsFeastDtypeNames(String dtype, ValueType expected) {
    assertThat(ValueType.parse(dtype)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {"", "Int128", "Set(Json)", "Array(Null)", "Array()", "List(Int64)", "Array(Int64"})
  void parse_rejectsUnknownNames(String dtype) {
    assertThatThrownBy(() -> ValueType.parse(dtype))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(dtype);
  }

  @Test
  void isCollection_holdsForListsAndSetsOnly() {
    assertThat(ValueType.INT64_SET.isCollection()).isTrue();
    assertThat(ValueType.VALUE_LIST.isCollection()).isTrue();
    assertThat(ValueType.STRUCT_LIST.isCollection()).isTrue();
    assertThat(ValueType.JSON.isCollection()).isFalse();
    assertThat(ValueType.MAP.isCollection()).isFalse();
  }
}
