package io.inferis;

import java.time.Duration;
import java.util.stream.LongStream;

/**
 * The bucket bounds of every latency histogram inferis exports (requests, lookups, inferences,
 * Redis commands), 0.1 ms to 10 s in steps of about 2×: a Redis command answers in a fraction of a
 * millisecond, a lookup in a millisecond or two, a deadline is a second or a few, and 20 buckets
 * per series keep each histogram small. The same on every pod and for every meter, so histograms
 * sum across pods and {@code histogram_quantile} gives a fleet's p99.
 */
public final class LatencyBuckets {

  private static final Duration[] BOUNDS =
      LongStream.of(
              100,
              250,
              500,
              1_000,
              2_000,
              3_000,
              5_000,
              7_500,
              10_000,
              15_000,
              25_000,
              50_000,
              100_000,
              250_000,
              500_000,
              1_000_000,
              2_500_000,
              5_000_000,
              10_000_000)
          .mapToObj(micros -> Duration.ofNanos(micros * 1_000))
          .toArray(Duration[]::new);

  private LatencyBuckets() {}

  /** The bounds, shortest first (a copy). */
  public static Duration[] bounds() {
    return BOUNDS.clone();
  }
}
