package io.inferis.server.feast;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The meters of Feast's Python feature server, by its names and labels, so a dashboard or alert
 * written for Feast works on inferis: {@code feast_feature_server_request_latency_seconds{endpoint,
 * feature_count,feature_view_count}} (a histogram on Feast's buckets, 5 ms to 10 s) and {@code
 * feast_feature_server_request_total{endpoint,status}} ({@code success} or {@code error}).
 *
 * <p>One difference, for a bound on the series: Feast labels the exact counts; here a count above 5
 * is labelled by the next of 10, 20, 50, 100, 200, 500, 1000 or {@code +Inf} at or above it, so
 * whatever clients request, a route has at most 12 × 9 label pairs. A no-op without a registry.
 * Thread-safe.
 */
public final class FeastMetrics {

  private static final Duration[] FEAST_BUCKETS =
      java.util.stream.DoubleStream.of(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
          .mapToObj(s -> Duration.ofNanos((long) (s * 1e9)))
          .toArray(Duration[]::new);
  private static final int[] STEPS = {1, 2, 3, 4, 5, 10, 20, 50, 100, 200, 500, 1000};

  /** The labels of counts: none, each step, then above the last. */
  private static final String[] LABELS = labels();

  /** A timer's labels; counts as {@link #count(int)} labels them (shared strings, hashed once). */
  private record Key(String endpoint, String features, String views) {}

  /** A counter's labels. */
  private record Total(String endpoint, boolean success) {}

  private final @Nullable MeterRegistry registry;
  private final Map<Key, Timer> latency = new ConcurrentHashMap<>();
  private final Map<Total, Counter> total = new ConcurrentHashMap<>();

  /** Meters on {@code registry}, or none when it is null. */
  public FeastMetrics(@Nullable MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Records a request to {@code endpoint} of {@code features} features from {@code views} views (0
   * when the request has none, such as a push), begun at {@code startNanos}.
   */
  void record(String endpoint, int features, int views, long startNanos, boolean success) {
    if (registry == null) {
      return;
    }
    long nanos = System.nanoTime() - startNanos;
    latency
        .computeIfAbsent(
            new Key(endpoint, count(features), count(views)),
            k ->
                Timer.builder("feast_feature_server_request_latency")
                    .description("Latency of requests to the Feast feature server in seconds")
                    .tag("endpoint", k.endpoint())
                    .tag("feature_count", k.features())
                    .tag("feature_view_count", k.views())
                    .serviceLevelObjectives(FEAST_BUCKETS)
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
    total
        .computeIfAbsent(
            new Total(endpoint, success),
            k ->
                Counter.builder("feast_feature_server_request")
                    .description("Total number of requests to the Feast feature server")
                    .tag("endpoint", endpoint)
                    .tag("status", success ? "success" : "error")
                    .register(registry))
        .increment();
  }

  private static String[] labels() {
    String[] labels = new String[STEPS.length + 2];
    labels[0] = "";
    for (int i = 0; i < STEPS.length; i++) {
      labels[i + 1] = Integer.toString(STEPS[i]);
    }
    labels[labels.length - 1] = "+Inf";
    return labels;
  }

  /** Feast's empty label for no count, the count up to 5, then the step at or above it. */
  static String count(int n) {
    if (n <= 0) {
      return LABELS[0];
    }
    for (int i = 0; i < STEPS.length; i++) {
      if (n <= STEPS[i]) {
        return LABELS[i + 1];
      }
    }
    return LABELS[LABELS.length - 1];
  }
}
