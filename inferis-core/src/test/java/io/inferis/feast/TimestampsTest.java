package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {

  private static final HexFormat HEX = HexFormat.of();

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "2021-01-01T00:00:00Z, 0880ccb9ff05",
    "1970-01-01T00:00:00Z, ''",
    "1970-01-01T00:00:00.000001Z, 10e807",
    "1969-12-31T23:59:59.500Z, 08ffffffffffffffffff011080cab5ee01"
  })
  void encode_omitsZeroFields_andMatchesHandDerivedBytes(String instant, String hex) {
    assertThat(HEX.formatHex(Timestamps.encode(Instant.parse(instant)))).isEqualTo(hex);
    assertThat(Timestamps.decode(HEX.parseHex(hex))).isEqualTo(Instant.parse(instant));
  }

  @Test
  void randomInstantsInRange_roundTrip() {
    Random random = new Random(7);
    long min = Timestamps.MIN.getEpochSecond();
    long max = Timestamps.MAX.getEpochSecond();
    for (int i = 0; i < 5_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              min + (long) (random.nextDouble() * (max - min)), random.nextInt(1_000_000_000));

      assertThat(Timestamps.decode(Timestamps.encode(instant))).isEqualTo(instant);
    }
    assertThat(Timestamps.decode(Timestamps.encode(Timestamps.MIN))).isEqualTo(Timestamps.MIN);
    assertThat(Timestamps.decode(Timestamps.encode(Timestamps.MAX))).isEqualTo(Timestamps.MAX);
  }

  @Test
  void decode_skipsUnknownFields() {
    assertThat(Timestamps.decode(HEX.parseHex("1801" + "0880ccb9ff05" + "220161")))
        .isEqualTo(Instant.parse("2021-01-01T00:00:00Z"));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "08", // seconds missing
        "0a05", // length beyond the end
        "10ffffffff0f", // nanos -1
        "1080943dc2", // truncated varint
        "108094ebdc03", // nanos 1e9
        "08ffffffffffffff7f" + "", // seconds far beyond year 9999
        "0c" // end-group with no group open
      })
  void decode_rejectsMalformedOrOutOfRangeBytes(String hex) {
    assertThatThrownBy(() -> Timestamps.decode(HEX.parseHex(hex)))
        .isInstanceOf(FeastCodecException.class);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z",
    "2021-01-01T00:00:00.5Z, 2021-01-01T00:00:00.500Z",
    "2021-01-01T00:00:00.010Z, 2021-01-01T00:00:00.010Z",
    "2021-01-01T00:00:00.123456Z, 2021-01-01T00:00:00.123456Z",
    "2021-01-01T00:00:00.000001Z, 2021-01-01T00:00:00.000001Z",
    "2021-01-01T00:00:00.123456789Z, 2021-01-01T00:00:00.123456789Z",
    "2021-01-01T00:00:00.000000001Z, 2021-01-01T00:00:00.000000001Z",
    "2021-12-31T23:00:00Z, 2021-12-31T23:00:00Z",
    "0001-01-01T00:00:00Z, 0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999999Z, 9999-12-31T23:59:59.999999999Z"
  })
  void format_followsFeastFractionRules(String instant, String text) {
    assertThat(Timestamps.format(Instant.parse(instant))).isEqualTo(text);
  }

  @Test
  void format_readsBackAsTheSameInstant_acrossTheWholeRange() {
    SplittableRandom random = new SplittableRandom(20261122);
    long min = Timestamps.MIN.getEpochSecond();
    long max = Timestamps.MAX.getEpochSecond();
    for (int i = 0; i < 100_000; i++) {
      Instant instant =
          Instant.ofEpochSecond(
              random.nextLong(min, max + 1),
              random.nextBoolean() ? 0 : random.nextInt(1_000_000_000));
      String text = Timestamps.format(instant);
      assertThat(Instant.parse(text)).as(text).isEqualTo(instant);
      assertThat(text).as("%s", instant).startsWith(instant.toString().substring(0, 19));
    }
  }

  @Test
  void instantsOutsideProtobufRange_areRejected() {
    Instant tooLate = Timestamps.MAX.plusNanos(1);
    Instant tooEarly = Timestamps.MIN.minusNanos(1);

    assertThatThrownBy(() -> Timestamps.encode(tooLate))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Timestamps.format(tooEarly))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
