package io.inferis.monitoring;

import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * One inference as the caller describes it: a unique id, the latency, a compact {@link Prediction}
 * summary, caller tags and optionally the event time (else the monitor's clock stamps it when it is
 * recorded). The server id and model id are added by the {@link Recorder}. Immutable; thread-safe;
 * built with {@link #builder()}, which validates every field.
 *
 * <p>Bounds, so a stored record stays small: id at most {@link #MAX_ID_LENGTH} characters, at most
 * {@link #MAX_TAGS} tags, tag keys and values at most {@link #MAX_TAG_LENGTH} characters.
 */
public final class InferenceRecord {

  /** Longest inference id. */
  public static final int MAX_ID_LENGTH = 128;

  /** Most tags per record. */
  public static final int MAX_TAGS = 16;

  /** Longest tag key or value. */
  public static final int MAX_TAG_LENGTH = 128;

  private static final long NO_TIME = -1;

  private final String id;
  private final long eventTimeMillis;
  private final long latencyMicros;
  private final Prediction prediction;
  private final Map<String, String> tags;

  private InferenceRecord(Builder b) {
    this.id = b.id != null ? b.id : randomId();
    this.eventTimeMillis = b.eventTimeMillis;
    this.latencyMicros = b.latencyMicros;
    this.prediction = b.prediction;
    this.tags =
        b.tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(b.tags));
  }

  /** A builder: latency zero, no prediction, no tags, a random id, no event time. */
  public static Builder builder() {
    return new Builder();
  }

  /** A record with a random id, the given latency and prediction, and no tags. */
  public static InferenceRecord of(Duration latency, Prediction prediction) {
    return builder().latency(latency).prediction(prediction).build();
  }

  /** The inference id; distinct ids keep records with equal timestamps apart. */
  public String id() {
    return id;
  }

  /** The event time in epoch milliseconds, if the caller set one. */
  public OptionalLong eventTimeMillis() {
    return eventTimeMillis == NO_TIME ? OptionalLong.empty() : OptionalLong.of(eventTimeMillis);
  }

  /** The inference latency in microseconds. */
  public long latencyMicros() {
    return latencyMicros;
  }

  /** The inference latency. */
  public Duration latency() {
    return Duration.ofNanos(latencyMicros * 1000);
  }

  /** The prediction summary. */
  public Prediction prediction() {
    return prediction;
  }

  /** Caller tags, in insertion order. */
  public Map<String, String> tags() {
    return tags;
  }

  long rawEventTimeMillis() {
    return eventTimeMillis;
  }

  /** 96 random bits, URL-safe base64 (16 characters). */
  private static String randomId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    byte[] b = new byte[12];
    long hi = r.nextLong();
    int lo = r.nextInt();
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (hi >>> (8 * i));
    }
    for (int i = 0; i < 4; i++) {
      b[8 + i] = (byte) (lo >>> (8 * i));
    }
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof InferenceRecord r
        && r.id.equals(id)
        && r.eventTimeMillis == eventTimeMillis
        && r.latencyMicros == latencyMicros
        && r.prediction.equals(prediction)
        && r.tags.equals(tags);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, eventTimeMillis, latencyMicros, prediction, tags);
  }

  @Override
  public String toString() {
    return "InferenceRecord["
        + id
        + ", latency="
        + latencyMicros
        + "us, "
        + prediction
        + (tags.isEmpty() ? "" : ", tags=" + tags)
        + "]";
  }

  /** Builder for {@link InferenceRecord}; not thread-safe. Each setter validates its argument. */
  public static final class Builder {
    private @Nullable String id;
    private long eventTimeMillis = NO_TIME;
    private long latencyMicros;
    private Prediction prediction = Prediction.none();
    private final Map<String, String> tags = new LinkedHashMap<>();

    private Builder() {}

    /** Non-blank, at most {@link #MAX_ID_LENGTH} characters; default a random 96-bit id. */
    public Builder id(String id) {
      this.id = Args.notBlank(id, "id", MAX_ID_LENGTH);
      return this;
    }

    /**
     * Not before the epoch; default: stamped by the monitor's clock when recorded. A record older
     * than the monitoring window is trimmed as soon as it is written (the store trims by its own
     * clock).
     */
    public Builder eventTime(Instant time) {
      Args.notNull(time, "eventTime");
      return eventTimeMillis(time.toEpochMilli());
    }

    /** Epoch milliseconds, at least 0. */
    public Builder eventTimeMillis(long epochMillis) {
      if (epochMillis < 0) {
        throw new IllegalArgumentException("eventTime must be >= 0, was " + epochMillis);
      }
      this.eventTimeMillis = epochMillis;
      return this;
    }

    /** Zero or more; microsecond precision. */
    public Builder latency(Duration latency) {
      Args.notNull(latency, "latency");
      if (latency.isNegative()) {
        throw new IllegalArgumentException("latency must be >= 0, was " + latency);
      }
      return latencyMicros(latency.toNanos() / 1000);
    }

    /** Zero or more microseconds. */
    public Builder latencyMicros(long micros) {
      if (micros < 0) {
        throw new IllegalArgumentException("latency must be >= 0, was " + micros + " us");
      }
      this.latencyMicros = micros;
      return this;
    }

    /** The prediction summary; default {@link Prediction#none()}. */
    public Builder prediction(Prediction prediction) {
      this.prediction = Args.notNull(prediction, "prediction");
      return this;
    }

    /** Adds or replaces a tag; key and value non-null, key non-blank, both bounded in length. */
    public Builder tag(String key, String value) {
      Args.notBlank(key, "tag key", MAX_TAG_LENGTH);
      Args.notNull(value, "tag value of '" + key + "'");
      if (value.length() > MAX_TAG_LENGTH) {
        throw new IllegalArgumentException(
            "tag value of '" + key + "' must be at most " + MAX_TAG_LENGTH + " characters");
      }
      if (!tags.containsKey(key) && tags.size() >= MAX_TAGS) {
        throw new IllegalArgumentException("tags must be at most " + MAX_TAGS + " per record");
      }
      tags.put(key, value);
      return this;
    }

    /** Adds every tag of {@code tags}, as {@link #tag} would. */
    public Builder tags(Map<String, String> tags) {
      Args.notNull(tags, "tags");
      tags.forEach(this::tag);
      return this;
    }

    /** The record; a random id is drawn here if none was set. */
    public InferenceRecord build() {
      return new InferenceRecord(this);
    }
  }
}
