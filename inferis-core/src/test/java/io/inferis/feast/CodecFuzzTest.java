package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Decoders see whatever is in Redis: on any input they return a value or throw {@link
 * FeastCodecException}, never another exception. Seeds are fixed, so a failure reproduces.
 */
class CodecFuzzTest {

  private static final int RUNS = 20_000;

  @Test
  void randomBytes_decodeToAValueOrThrowCodecExceptionOnly() {
    Random random = new Random(20_260_821L);
    for (int i = 0; i < RUNS; i++) {
      byte[] bytes = new byte[random.nextInt(48)];
      random.nextBytes(bytes);

      assertOnlyCodecException(bytes, ValueCodec::decode);
      assertOnlyCodecException(bytes, Timestamps::decode);
      assertOnlyCodecException(bytes, EntityKeys::deserialize);
    }
  }

  @Test
  void mutatedValidEncodings_decodeToAValueOrThrowCodecExceptionOnly() {
    Random random = new Random(42);
    List<byte[]> valid = new ArrayList<>();
    Samples.oneOfEachType().values().forEach(v -> valid.add(ValueCodec.encode(v)));
    for (int i = 0; i < RUNS; i++) {
      byte[] bytes = valid.get(random.nextInt(valid.size())).clone();
      if (bytes.length == 0) {
        continue;
      }
      int mutations = 1 + random.nextInt(3);
      for (int m = 0; m < mutations; m++) {
        bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
      }
      byte[] cut = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1));

      assertOnlyCodecException(bytes, ValueCodec::decode);
      assertOnlyCodecException(cut, ValueCodec::decode);
    }
  }

  @Test
  void mutatedEntityKeys_decodeOrThrowCodecExceptionOnly() {
    Random random = new Random(5);
    byte[] valid =
        HexFormat.of()
            .parseHex(
                "020000000200000008000000637573746f6d65720200000004000000757365720200000002000000633104000000080000000700000000000000");
    for (int i = 0; i < RUNS; i++) {
      byte[] bytes = valid.clone();
      bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);

      assertOnlyCodecException(bytes, EntityKeys::deserialize);
    }
  }

  @Test
  void randomValues_roundTripThroughTheCodec() {
    Random random = new Random(99);
    for (int i = 0; i < 5_000; i++) {
      FeatureValue value = Samples.random(random, 3);
      byte[] bytes = ValueCodec.encode(value);

      assertThat(ValueCodec.decode(bytes)).as(value.toString()).isEqualTo(value);
      assertThat(ValueCodec.encode(ValueCodec.decode(bytes))).isEqualTo(bytes);
    }
  }

  private static void assertOnlyCodecException(byte[] bytes, Consumer<byte[]> decoder) {
    try {
      decoder.accept(bytes);
    } catch (FeastCodecException expected) {
      // Rejecting garbage is the contract.
    } catch (Throwable other) {
      fail("decoding " + HexFormat.of().formatHex(bytes) + " threw " + other, other);
    }
  }
}
