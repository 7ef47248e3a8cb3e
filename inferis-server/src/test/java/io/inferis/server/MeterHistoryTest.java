package io.inferis.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.LatencyBuckets;
import io.inferis.monitoring.MonitoringQuery;
import io.inferis.redis.RedisUnavailableException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The dashboard's history: rates and quantiles between two reads, and a point of this server's own
 * meters even while the fleet summary (Redis) fails.
 */
class MeterHistoryTest {

  @Test
  void whileTheFleetSummaryFails_thisServersMetersStillGetPoints() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MonitoringQuery down =
        (scope, window) -> {
          throw new RedisUnavailableException(
              "redis://127.0.0.1:1 is down", new java.io.IOException("connection refused"));
        };
    Counter inferences =
        Counter.builder("inferis.monitoring.inferences").tag("model", "m").register(registry);
    Timer latency =
        Timer.builder("inferis.monitoring.latency")
            .tag("model", "m")
            .serviceLevelObjectives(LatencyBuckets.bounds())
            .register(registry);
    // A step of an hour: the test drives every read itself.
    try (MeterHistory history =
        new MeterHistory(registry, down, Duration.ofHours(1), Duration.ofMinutes(2))) {
      history.watched();
      inferences.increment(7200);
      for (int i = 0; i < 100; i++) {
        latency.record(i < 99 ? 2 : 40, TimeUnit.MILLISECONDS);
      }
      history.sample();
      MeterHistory.HistoryJson json = history.json();
      assertThat(json.t()).isNotEmpty();
      MeterHistory.SeriesJson rate = series(json, "models.rate", "m");
      assertThat(rate.values().get(rate.values().size() - 1)).isEqualTo(2.0); // 7200 in an hour
      MeterHistory.SeriesJson p99 = series(json, "models.p99", "m");
      // 99 of 100 at 2 ms: the 99th lands in the (1.0, 2.0] ms bucket, at its upper bound.
      assertThat(p99.values().get(p99.values().size() - 1)).isEqualTo(2.0);
    }
  }

  @Test
  void quantile_interpolatesWithinTheBucketAsHistogramQuantileDoes() {
    double[] bounds = {1, 2, 4};
    double[] cumulative = {0, 50, 100, 100}; // the last is the total
    assertThat(MeterHistory.quantile(0.5, bounds, cumulative)).isEqualTo(2.0);
    assertThat(MeterHistory.quantile(0.75, bounds, cumulative)).isEqualTo(3.0);
    assertThat(MeterHistory.quantile(0.5, bounds, new double[] {0, 0, 0, 0})).isNaN();
  }

  private static MeterHistory.SeriesJson series(
      MeterHistory.HistoryJson json, String chart, String label) {
    return json.charts().stream()
        .filter(c -> c.id().equals(chart))
        .flatMap(c -> c.series().stream())
        .filter(s -> s.label().equals(label))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + label + " in " + chart + ": " + json));
  }
}
