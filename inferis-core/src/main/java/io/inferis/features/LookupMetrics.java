package io.inferis.features;

import io.inferis.LatencyBuckets;
import io.inferis.feast.FieldStatus;
import io.inferis.redis.RedisUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code inferis.features.lookups}: the latency of every lookup by outcome, as a histogram on
 * {@link LatencyBuckets}; {@code inferis.features.values}: the values answered, by status. Six
 * outcomes, made at start, so recording is a field read and a bucket increment. A no-op without a
 * registry. Thread-safe.
 */
final class LookupMetrics {

  /** How a lookup ended; the {@code outcome} tag. */
  enum Outcome {
    /** Answered (values may still be missing or expired). */
    OK,
    /** Refused before reaching the store: unknown feature, bad entities. */
    INVALID,
    /** No in-flight slot in time. */
    OVERLOADED,
    /** The deadline passed. */
    DEADLINE,
    /** Redis did not answer: down, failing over, timing out. */
    UNAVAILABLE,
    /** Anything else. */
    ERROR;

    static Outcome of(@Nullable Throwable failure) {
      Throwable t =
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      if (t == null) {
        return OK;
      }
      if (t instanceof InvalidRequestException || t instanceof UnknownFeatureException) {
        return INVALID;
      }
      if (t instanceof OverloadedException) {
        return OVERLOADED;
      }
      if (t instanceof DeadlineExceededException) {
        return DEADLINE;
      }
      if (t instanceof RedisUnavailableException) {
        return UNAVAILABLE;
      }
      return ERROR;
    }
  }

  private final Timer @Nullable [] timers;
  private final Counter @Nullable [] values;

  LookupMetrics(@Nullable MeterRegistry registry) {
    if (registry == null) {
      this.timers = null;
      this.values = null;
      return;
    }
    FieldStatus[] statuses = FieldStatus.values();
    this.values = new Counter[statuses.length];
    for (FieldStatus s : statuses) {
      values[s.ordinal()] =
          Counter.builder("inferis.features.values")
              .description("values served by status (what the store found, before --statuses)")
              .tag("status", s.name())
              .register(registry);
    }
    Outcome[] outcomes = Outcome.values();
    this.timers = new Timer[outcomes.length];
    for (Outcome o : outcomes) {
      timers[o.ordinal()] =
          Timer.builder("inferis.features.lookups")
              .description("feature lookups by outcome, deadline wait and retries included")
              .tag("outcome", o.name().toLowerCase(java.util.Locale.ROOT))
              .serviceLevelObjectives(LatencyBuckets.bounds())
              .register(registry);
    }
  }

  /**
   * Records a lookup that took {@code nanos}: its outcome, and the values of {@code answer} by
   * status when it was answered ({@code failure} null).
   */
  void record(@Nullable OnlineFeatures answer, @Nullable Throwable failure, long nanos) {
    Timer[] timers = this.timers;
    Counter[] values = this.values;
    if (timers == null || values == null) {
      return;
    }
    timers[Outcome.of(failure).ordinal()].record(nanos, TimeUnit.NANOSECONDS);
    if (answer != null) {
      countByStatus(values, answer);
    }
  }

  private static void countByStatus(Counter[] values, OnlineFeatures answer) {
    int[] counts = new int[values.length];
    int features = answer.features().size();
    for (int r = 0; r < answer.rowCount(); r++) {
      for (int f = 0; f < features; f++) {
        counts[answer.status(r, f).ordinal()]++;
      }
    }
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] > 0) {
        values[i].increment(counts[i]);
      }
    }
  }

  boolean enabled() {
    return timers != null;
  }
}
