package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeastJsonTest {

  @Test
  void float32_isWidenedToDouble_thenPrintedShortest() {
    assertThat(FeastJson.toJson(FeatureValue.ofFloat(0.7037263512611389f)))
        .isEqualTo("0.7037263512611389");
    assertThat(FeastJson.toJson(FeatureValue.ofFloat(0.1f))).isEqualTo("0.10000000149011612");
    assertThat(FeastJson.toJson(FeatureValue.ofFloatList(2.5f, 1f))).isEqualTo("[2.5,1.0]");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "2e23, 2e+23",
    "1e23, 1e+23",
    "4.9e-324, 5e-324",
    "0.002, 0.002",
    "1e-5, 1e-05",
    "0.0001, 0.0001",
    "1e16, 1e+16",
    "9999999999999998, 9999999999999998.0",
    "123, 123.0",
    "-0.0, -0.0",
    "1.7976931348623157e308, 1.7976931348623157e+308"
  })
  void doubles_printAsPythonRepr_evenWhereJdk17DoubleToStringIsNotShortest(
      double value, String text) {
    assertThat(FeastJson.toJson(FeatureValue.ofDouble(value))).isEqualTo(text);
  }

  @Test
  void pythonRepr_matchesPythonForThousandsOfDoubles() throws IOException {
    int checked = 0;
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(
                Objects.requireNonNull(
                    getClass().getResourceAsStream("/feast-compat/python-float-repr.txt")),
                StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split(" ");
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(parts[0], 16));

        assertThat(PythonFloats.repr(value)).as(parts[0]).isEqualTo(parts[1]);
        checked++;
      }
    }
    assertThat(checked).isEqualTo(3000);
  }

  /**
   * The fast path (Schubfach digits) against the exact BigDecimal search, which the Python vectors
   * above pin down: a million random bit patterns, every 16411th float32 bit pattern widened to
   * double (what FLOAT features hold; every exponent, both signs, subnormals), short decimals,
   * uniform values of both signs across 10^-3 to 10^7 (where Java's text is returned as it is), and
   * the neighbours of every power of ten, where the layout switches. Every float32 is checked
   * against Python itself by {@link Float32ReprCheck}, too slow to run here.
   */
  @Test
  void pythonRepr_fastPathAgreesWithExactSearch() {
    SplittableRandom random = new SplittableRandom(20261122);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 1_000_000; i++) {
      values.add(Double.longBitsToDouble(random.nextLong()));
    }
    for (long bits = 0; bits <= 0xFFFF_FFFFL; bits += 16411) {
      values.add((double) Float.intBitsToFloat((int) bits));
    }
    for (int i = 0; i < 100_000; i++) {
      values.add(random.nextInt(1_000_000) / Math.pow(10, random.nextInt(12)));
    }
    for (int i = 0; i < 200_000; i++) {
      double scale = Math.pow(10, random.nextInt(-3, 7));
      values.add((random.nextBoolean() ? -1 : 1) * random.nextDouble(1, 10) * scale);
    }
    for (int e = -325; e <= 309; e++) {
      double power = Double.parseDouble("1e" + e);
      values.addAll(List.of(power, Math.nextUp(power), Math.nextDown(power), -power));
    }
    values.addAll(List.of(Double.MIN_VALUE, Double.MIN_NORMAL, Math.nextDown(Double.MIN_NORMAL)));
    int checked = 0;
    for (double value : values) {
      if (Double.isFinite(value)) {
        String fast = PythonFloats.repr(value);
        if (!fast.equals(PythonFloats.reprExact(value))) {
          assertThat(fast)
              .as("%s (bits %x)", value, Double.doubleToRawLongBits(value))
              .isEqualTo(PythonFloats.reprExact(value));
        }
        checked++;
      }
    }
    assertThat(checked).isGreaterThan(1_550_000);
  }

  @Test
  void nanOrInfinity_throwCodecException_asFeastAnswers500() {
    assertThatThrownBy(() -> FeastJson.toJson(FeatureValue.ofDouble(Double.NaN)))
        .isInstanceOf(FeastCodecException.class)
        .hasMessageContaining("NaN");
    assertThatThrownBy(
            () -> FeastJson.toJson(FeatureValue.ofFloatList(1f, Float.POSITIVE_INFINITY)))
        .isInstanceOf(FeastCodecException.class)
        .hasMessageContaining("Infinity");
  }

  @Test
  void numbersAndBooleans_areJsonNumbersAndBooleans() {
    assertThat(FeastJson.toJson(FeatureValue.ofInt64(Long.MIN_VALUE)))
        .isEqualTo("-9223372036854775808");
    assertThat(FeastJson.toJson(FeatureValue.ofInt32List(1, -2))).isEqualTo("[1,-2]");
    assertThat(FeastJson.toJson(FeatureValue.ofInt64Set(3, 3))).isEqualTo("[3,3]");
    assertThat(FeastJson.toJson(FeatureValue.ofUnixTimestampSet(5))).isEqualTo("[5]");
    assertThat(FeastJson.toJson(FeatureValue.ofDoubleList(0.5, -1e-7))).isEqualTo("[0.5,-1e-07]");
    assertThat(FeastJson.toJson(FeatureValue.ofBoolList(true, false))).isEqualTo("[true,false]");
    assertThat(FeastJson.toJson(FeatureValue.ofBoolSet(false))).isEqualTo("[false]");
  }

  @Test
  void nullsAndScalarMaps_areJsonNull() {
    assertThat(FeastJson.toJson(FeatureValue.empty())).isEqualTo("null");
    assertThat(FeastJson.toJson(FeatureValue.nullValue())).isEqualTo("null");
    assertThat(FeastJson.toJson(FeatureValue.ofRawScalarMap(new byte[] {0x0a, 0})))
        .isEqualTo("null");
  }

  @Test
  void bytes_arePaddedBase64_alsoInsideSets() {
    assertThat(FeastJson.toJson(FeatureValue.ofBytes(new byte[] {0, 1, 2, 3})))
        .isEqualTo("\"AAECAw==\"");
    assertThat(
            FeastJson.toJson(
                FeatureValue.ofBytesSet(List.of(new byte[] {(byte) 0xfb}, new byte[0]))))
        .isEqualTo("[\"+w==\",\"\"]");
  }

  @Test
  void textTypes_areJsonStrings_withJsonValKeptRaw() {
    assertThat(FeastJson.toJson(FeatureValue.ofJson("{\"a\": [1]}")))
        .isEqualTo("\"{\\\"a\\\": [1]}\"");
    assertThat(FeastJson.toJson(FeatureValue.ofJsonList(List.of("1", "{}"))))
        .isEqualTo("[\"1\",\"{}\"]");
    assertThat(FeastJson.toJson(FeatureValue.ofDecimal("1.50"))).isEqualTo("\"1.50\"");
    assertThat(FeastJson.toJson(FeatureValue.ofUuidSet(List.of("u")))).isEqualTo("[\"u\"]");
    assertThat(FeastJson.toJson(FeatureValue.ofStringList(List.of("é", "😀"))))
        .isEqualTo("[\"é\",\"😀\"]");
  }

  @Test
  void mapsStructsAndValueLists_nestInStoredOrder() {
    Map<String, FeatureValue> map = new LinkedHashMap<>();
    map.put("z", FeatureValue.ofInt32(1));
    map.put("a", FeatureValue.ofValueSet(List.of(FeatureValue.empty(), FeatureValue.ofBool(true))));

    assertThat(FeastJson.toJson(FeatureValue.ofStruct(map)))
        .isEqualTo("{\"z\":1,\"a\":[null,true]}");
    assertThat(FeastJson.toJson(FeatureValue.ofMapList(List.of(map, Map.of()))))
        .isEqualTo("[{\"z\":1,\"a\":[null,true]},{}]");
  }

  @ParameterizedTest(name = "{0} in ''{1}'' -> {2}")
  @CsvSource({
    "1781020800, America/Los_Angeles, 2026-06-09T09:00:00-07:00",
    "1781020800, '', 2026-06-09T16:00:00+00:00",
    "1781020800, UTC, 2026-06-09T16:00:00+00:00",
    "1781020800, Asia/Kolkata, 2026-06-09T21:30:00+05:30",
    "-5364662400, America/Los_Angeles, 1799-12-31T16:07:02-07:52:58"
  })
  void zonedTimestamps_renderAsPythonIsoformat(long seconds, String zone, String text) {
    assertThat(FeastJson.toJson(FeatureValue.ofZonedTimestamp(seconds, zone)))
        .isEqualTo("\"" + text + "\"");
  }

  @Test
  void zonedTimestamp_withUnknownZoneOrYearOutOfRange_throwsCodecException() {
    assertThatThrownBy(() -> FeastJson.toJson(FeatureValue.ofZonedTimestamp(0, "Mars/Olympus")))
        .isInstanceOf(FeastCodecException.class);
    assertThatThrownBy(() -> FeastJson.toJson(FeatureValue.ofZonedTimestamp(Long.MAX_VALUE, "")))
        .isInstanceOf(FeastCodecException.class);
    assertThatThrownBy(() -> FeastJson.toJson(FeatureValue.ofZonedTimestamp(-62135596801L, "")))
        .isInstanceOf(FeastCodecException.class);
  }

  @Test
  void everyValueType_renders() {
    Samples.oneOfEachType()
        .forEach(
            (type, value) -> {
              if (type != ValueType.FLOAT_SET) { // its sample holds a NaN
                assertThat(FeastJson.toJson(value)).as(type.name()).isNotEmpty();
              }
            });
  }
}
