package io.inferis.feast;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * Feast's event timestamps: the {@code google.protobuf.Timestamp} bytes stored under {@code
 * _ts:<featureView>} ({@code int64 seconds = 1; int32 nanos = 2}, zero fields omitted), and the
 * text the feature server puts in {@code event_timestamps}. Stateless and thread-safe.
 *
 * <p>Instants must lie in the range protobuf's {@code Timestamp} allows, {@link #MIN} to {@link
 * #MAX}. Feast's Python writes microsecond precision (nanos = µs × 1000); {@link #encode} keeps
 * whatever precision it is given, so truncate first to write exactly what Python would.
 */
public final class Timestamps {

  /** The earliest instant a protobuf {@code Timestamp} holds: 0001-01-01T00:00:00Z. */
  public static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");

  /** The latest instant a protobuf {@code Timestamp} holds: 9999-12-31T23:59:59.999999999Z. */
  public static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999999Z");

  private Timestamps() {}

  /**
   * The proto3 binary of {@code instant} as a {@code Timestamp}; the epoch gives an empty array.
   *
   * @throws IllegalArgumentException if {@code instant} is outside {@link #MIN}..{@link #MAX}
   */
  public static byte[] encode(Instant instant) {
    requireInRange(instant);
    long seconds = instant.getEpochSecond();
    int nanos = instant.getNano();
    int size =
        (seconds == 0 ? 0 : CodedOutputStream.computeInt64Size(1, seconds))
            + (nanos == 0 ? 0 : CodedOutputStream.computeInt32Size(2, nanos));
    byte[] bytes = new byte[size];
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      if (seconds != 0) {
        out.writeInt64(1, seconds);
      }
      if (nanos != 0) {
        out.writeInt32(2, nanos);
      }
      out.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new IllegalStateException("encoded size of a Timestamp was miscomputed", e);
    }
    return bytes;
  }

  /**
   * Reads a {@code Timestamp}; an empty array is the epoch. Unknown fields are skipped.
   *
   * @throws FeastCodecException if the bytes are malformed, nanos is outside 0..999,999,999, or the
   *     instant is outside {@link #MIN}..{@link #MAX}
   */
  public static Instant decode(byte[] bytes) {
    Objects.requireNonNull(bytes, "bytes");
    long seconds = 0;
    int nanos = 0;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (tag == ValueDecoder.makeTag(1, WireFormat.WIRETYPE_VARINT)) {
          seconds = in.readInt64();
        } else if (tag == ValueDecoder.makeTag(2, WireFormat.WIRETYPE_VARINT)) {
          nanos = in.readInt32();
        } else {
          ValueDecoder.skip(in, tag);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new FeastCodecException("not a google.protobuf.Timestamp: " + e.getMessage(), e);
    }
    if (nanos < 0 || nanos > 999_999_999) {
      throw new FeastCodecException("Timestamp nanos " + nanos + " is outside 0..999999999");
    }
    if (seconds < MIN.getEpochSecond() || seconds > MAX.getEpochSecond()) {
      throw new FeastCodecException("Timestamp seconds " + seconds + " is outside years 1..9999");
    }
    return Instant.ofEpochSecond(seconds, nanos);
  }

  /**
   * Feast's JSON text for an event time, always UTC: {@code YYYY-MM-DDTHH:MM:SSZ}, with a fraction
   * before the {@code Z} when there are nanos: 3 digits if they are whole milliseconds, 6 if whole
   * microseconds, else 9. So {@code 2021-01-01T00:00:00.500Z}, {@code .123456Z}, {@code
   * .123456789Z}.
   *
   * @throws IllegalArgumentException if {@code instant} is outside {@link #MIN}..{@link #MAX}
   */
  public static String format(Instant instant) {
    requireInRange(instant);
    long seconds = instant.getEpochSecond();
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, 86_400L));
    int secondOfDay = (int) Math.floorMod(seconds, 86_400L);
    // Written digit by digit: every timestamp of a Feast response passes through here.
    char[] text = new char[30];
    digits(text, 0, date.getYear(), 4);
    text[4] = '-';
    digits(text, 5, date.getMonthValue(), 2);
    text[7] = '-';
    digits(text, 8, date.getDayOfMonth(), 2);
    text[10] = 'T';
    digits(text, 11, secondOfDay / 3600, 2);
    text[13] = ':';
    digits(text, 14, secondOfDay / 60 % 60, 2);
    text[16] = ':';
    digits(text, 17, secondOfDay % 60, 2);
    int length = 19;
    int nanos = instant.getNano();
    if (nanos != 0) {
      text[length++] = '.';
      if (nanos % 1_000_000 == 0) {
        length = digits(text, length, nanos / 1_000_000, 3);
      } else if (nanos % 1_000 == 0) {
        length = digits(text, length, nanos / 1_000, 6);
      } else {
        length = digits(text, length, nanos, 9);
      }
    }
    text[length++] = 'Z';
    return new String(text, 0, length);
  }

  /** Writes {@code number} as {@code width} zero-padded digits at {@code at}; returns the end. */
  private static int digits(char[] text, int at, int number, int width) {
    for (int i = at + width - 1; i >= at; i--) {
      text[i] = (char) ('0' + number % 10);
      number /= 10;
    }
    return at + width;
  }

  private static void requireInRange(Instant instant) {
    Objects.requireNonNull(instant, "instant");
    if (instant.isBefore(MIN) || instant.isAfter(MAX)) {
      throw new IllegalArgumentException(
          instant + " is outside the range of a protobuf Timestamp (years 1 to 9999)");
    }
  }
}
