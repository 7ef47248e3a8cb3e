package io.inferis.feast;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The decoder reads a lone scalar field itself ({@link ValueDecoder#singleScalar}) instead of
 * through protobuf's parser; on every input it must give what the parser gives.
 */
class ValueDecoderShortcutTest {

  @Test
  void scalarsFeastWrites_takeTheShortcut_andReadAsProtobufReadsThem() {
    FeatureValue[] scalars = {
      FeatureValue.ofFloat(1.5f),
      FeatureValue.ofFloat(Float.NaN),
      FeatureValue.ofDouble(-0.0),
      FeatureValue.ofInt32(-1),
      FeatureValue.ofInt32(Integer.MIN_VALUE),
      FeatureValue.ofInt64(Long.MIN_VALUE),
      FeatureValue.ofInt64(300),
      FeatureValue.ofUnixTimestamp(1_700_000_000L),
      FeatureValue.ofBool(true),
      FeatureValue.ofBool(false),
      FeatureValue.ofString("driver-1001"),
      FeatureValue.ofBytes(new byte[] {0, -1, 2}),
    };
    for (FeatureValue v : scalars) {
      byte[] bytes = ValueCodec.encode(v);

      assertThat(ValueDecoder.singleScalar(bytes)).as(v.toString()).isEqualTo(v);
      assertThat(ValueDecoder.decodeFully(bytes)).as(v.toString()).isEqualTo(v);
    }
  }

  @Test
  void whatTheShortcutLeavesToProtobuf() {
    String[] hex = {
      "", // no field: the empty Value
      "2a", // a tag and nothing else
      "350000c03f35000000 40".replace(" ", ""), // two float fields: the last one wins
      "350000c0", // a float cut short
      "2080", // an int64 whose varint does not end
      "2001ff", // bytes after the varint
      "1203c3a96c", // a non-ASCII string ("él")
      "980100", // null_val: a two-byte tag
      "a2061000", // a two-byte tag
      "4a0101", // field 9, which Value does not have
      "6a0a0a080000803f0000803f", // a list: a message, not a scalar
    };
    for (String h : hex) {
      assertThat(ValueDecoder.singleScalar(HexFormat.of().parseHex(h))).as(h).isNull();
    }
  }

  @Test
  void randomSingleFields_readAsProtobufReadsThem() {
    Random random = new Random(7_2026);
    int shortcuts = 0;
    for (int i = 0; i < 200_000; i++) {
      byte[] bytes = randomField(random);
      FeatureValue shortcut = ValueDecoder.singleScalar(bytes);
      if (shortcut == null) {
        continue;
      }
      shortcuts++;
      String what = HexFormat.of().formatHex(bytes);
      FeatureValue parsed;
      try {
        parsed = ValueDecoder.decodeFully(bytes);
      } catch (FeastCodecException e) {
        fail(what + " is malformed for protobuf, but the shortcut read " + shortcut, e);
        continue;
      }
      assertThat(shortcut).as(what).isEqualTo(parsed);
    }
    assertThat(shortcuts).isGreaterThan(50_000);
  }

  /**
   * One of Value's scalar fields (1 to 8), mostly with its own wire type, and a payload that is
   * often the right size and sometimes one byte off: random varints of 1 to 11 bytes, ASCII or
   * binary strings.
   */
  private static byte[] randomField(Random random) {
    int field = 1 + random.nextInt(9);
    ValueType type = ValueType.byNumber(field);
    int wireType =
        random.nextInt(5) > 0 && type != null
            ? switch (field) {
              case 1, 2 -> 2;
              case 5 -> 1;
              case 6 -> 5;
              default -> 0;
            }
            : random.nextInt(6);
    int off = random.nextInt(4) == 0 ? random.nextInt(3) - 1 : 0;
    byte[] payload;
    switch (wireType) {
      case 0 -> {
        payload = new byte[Math.max(1, 1 + random.nextInt(11) + off)];
        random.nextBytes(payload);
        for (int k = 0; k < payload.length; k++) {
          payload[k] = (byte) (payload[k] | 0x80);
        }
        if (off == 0) {
          payload[payload.length - 1] &= 0x7F;
        }
      }
      case 1 -> payload = randomBytes(random, 8 + off, false);
      case 5 -> payload = randomBytes(random, 4 + off, false);
      default -> {
        byte[] text = randomBytes(random, random.nextInt(20), random.nextBoolean());
        payload = new byte[text.length + 1];
        payload[0] = (byte) Math.max(0, text.length + off);
        System.arraycopy(text, 0, payload, 1, text.length);
      }
    }
    byte[] bytes = new byte[1 + payload.length];
    bytes[0] = (byte) (field << 3 | wireType);
    System.arraycopy(payload, 0, bytes, 1, payload.length);
    return bytes;
  }

  private static byte[] randomBytes(Random random, int length, boolean ascii) {
    byte[] b = new byte[Math.max(0, length)];
    random.nextBytes(b);
    if (ascii) {
      for (int k = 0; k < b.length; k++) {
        b[k] &= 0x7F;
      }
    }
    return b;
  }
}
