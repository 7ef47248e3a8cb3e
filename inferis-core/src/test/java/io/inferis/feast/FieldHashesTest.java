package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.apache.commons.codec.digest.MurmurHash3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldHashesTest {

  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest(name = "{0}:{1} = {2}")
  @CsvSource({
    "driver_hourly_stats, conv_rate, 6160e3da",
    "driver_hourly_stats, acc_rate, fa5e58ad",
    "driver_hourly_stats, avg_daily_trips, 18a5e5a3",
    "feature_view_1, feature_10, 266d5f39",
    "feature_view_1, my-feature-view:feature1, 5369864a"
  })
  void featureField_matchesSpecExamples(String view, String feature, String hex) {
    assertThat(HEX.formatHex(FieldHashes.featureField(view, feature))).isEqualTo(hex);
  }

  @Test
  void nonBmpInput_hashesItsUtf8Bytes() {
    String text = "a:😀";
    int direct = MurmurHash3.hash32x86(Samples.utf8(text));

    // e5575d0c was computed independently with a from-scratch MurmurHash3 over the UTF-8 bytes.
    assertThat(HEX.formatHex(FieldHashes.mmh3(text))).isEqualTo("e5575d0c");
    assertThat(FieldHashes.mmh3(text))
        .isEqualTo(
            new byte[] {
              (byte) direct, (byte) (direct >>> 8), (byte) (direct >>> 16), (byte) (direct >>> 24)
            });
  }

  @Test
  void emptyInput_hashesToZero() {
    assertThat(HEX.formatHex(FieldHashes.mmh3(""))).isEqualTo("00000000");
  }

  @Test
  void timestampField_isThePlainUtf8Name_notHashed() {
    assertThat(FieldHashes.timestampField("driver_hourly_stats"))
        .isEqualTo(Samples.utf8("_ts:driver_hourly_stats"));
    assertThat(FieldHashes.timestampField("vué")).isEqualTo(Samples.utf8("_ts:vué"));
  }

  @Test
  void versionedName_addsSuffixOnlyAboveVersionZero() {
    assertThat(FieldHashes.versionedName("fv", 0)).isEqualTo("fv");
    assertThat(FieldHashes.versionedName("fv", 3)).isEqualTo("fv_v3");
    assertThat(FieldHashes.featureField(FieldHashes.versionedName("fv", 2), "f"))
        .isEqualTo(FieldHashes.mmh3("fv_v2:f"));
    assertThatThrownBy(() -> FieldHashes.versionedName("fv", -1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void nameWithAnUnpairedSurrogate_isRejectedRatherThanHashedAsQuestionMark() {
    assertThatThrownBy(() -> FieldHashes.featureField("fv", "\udc00"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("surrogate");
  }
}
