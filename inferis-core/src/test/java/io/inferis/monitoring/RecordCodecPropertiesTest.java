package io.inferis.monitoring;

import static io.inferis.testing.Properties.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Properties of the stored-record codec, each on {@value io.inferis.testing.Properties#TRIES}
 * generated inputs from a fixed seed: exact round trips (also through the UTF-8 bytes Redis holds),
 * with edge-case numbers mixed in, and only {@link IllegalArgumentException} for whatever else a
 * key may hold.
 */
class RecordCodecPropertiesTest {

  private static final double[] EDGES = {
    0.0,
    -0.0,
    Double.MIN_VALUE,
    -Double.MIN_VALUE,
    Double.MAX_VALUE,
    -Double.MAX_VALUE,
    Double.MIN_NORMAL,
    1e-7,
    1e21,
    0.1,
    1.0 / 3
  };

  private static double aFiniteDouble(Random r) {
    if (r.nextInt(3) == 0) {
      return EDGES[r.nextInt(EDGES.length)];
    }
    double d;
    do {
      d = Double.longBitsToDouble(r.nextLong());
    } while (!Double.isFinite(d));
    return d;
  }

  private static StoredRecord aRecord(Random r) {
    StoredRecord base = RecordCodecTest.randomRecord(r);
    InferenceRecord.Builder b =
        InferenceRecord.builder()
            .id(base.record().id())
            .eventTimeMillis(r.nextBoolean() ? 0 : base.eventTimeMillis())
            .latencyMicros(r.nextBoolean() ? Long.MAX_VALUE : base.record().latencyMicros())
            .tags(base.record().tags());
    if (r.nextBoolean()) {
      double[] values = new double[1 + r.nextInt(Prediction.MAX_VALUES)];
      for (int i = 0; i < values.length; i++) {
        values[i] = aFiniteDouble(r);
      }
      b.prediction(Prediction.values(values));
    } else {
      Map<String, Double> classes = new LinkedHashMap<>();
      for (int i = 1 + r.nextInt(Prediction.MAX_CLASSES); i > 0; i--) {
        classes.put("c" + r.nextInt(1000) + "\u00e9\uD83D\uDE00\"\\", aFiniteDouble(r));
      }
      b.prediction(Prediction.classes(classes));
    }
    InferenceRecord rec = b.build();
    return new StoredRecord(
        base.serverId(),
        base.modelId(),
        rec.eventTimeMillis().getAsLong(),
        rec,
        base.errorType(),
        base.errorMessage());
  }

  @Test
  void decodeOfEncode_isTheRecord_alsoThroughUtf8Bytes() {
    forAll(
        201,
        RecordCodecPropertiesTest::aRecord,
        original -> {
          String json = RecordCodec.encode(original);
          assertThat(RecordCodec.decode(json)).isEqualTo(original);
          String viaRedis =
              new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
          assertThat(RecordCodec.decode(viaRedis)).isEqualTo(original);
        });
  }

  @Test
  void arbitraryOrDamagedText_decodesOrThrowsOnlyIllegalArgument() {
    forAll(
        202,
        r -> {
          String json = RecordCodec.encode(aRecord(r));
          return switch (r.nextInt(4)) {
            case 0 -> json.substring(0, r.nextInt(json.length()));
            case 1 -> {
              char[] c = json.toCharArray();
              c[r.nextInt(c.length)] = "{}[]\",:0-e.\\xtn\u0000".charAt(r.nextInt(16));
              yield new String(c);
            }
            case 2 -> "[".repeat(r.nextInt(5000)) + json;
            default ->
                json.replace(
                    "\"t\":",
                    "\"t\":"
                        + pick(
                            r, "1e400", "-5", "\"x\"", "{}", "99999999999999999999", "1.5", "null")
                        + ",\"x\":");
          };
        },
        text -> {
          try {
            RecordCodec.decode(text);
          } catch (IllegalArgumentException expected) {
            assertThat(expected).hasMessageStartingWith("not a monitoring record");
          } catch (RuntimeException | StackOverflowError other) {
            throw new AssertionError("threw " + other, other);
          }
        });
  }

  private static String pick(Random r, String... options) {
    return options[r.nextInt(options.length)];
  }
}
