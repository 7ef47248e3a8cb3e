package io.inferis.server.feast;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.server.Demo;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The freshness gauge follows the newest event time served, whatever order lookups come in. */
class FeatureFreshnessTest {

  private static final String VIEW = "driver_hourly_stats";
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

  @Test
  void anOlderTimeServedLater_leavesTheGaugeOnTheNewest() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FeatureFreshness freshness = new FeatureFreshness(registry, InstantSource.fixed(NOW));
    try (FeatureStore store = FeatureStores.memory(Demo.repo())) {
      serve(store, freshness, 1, NOW.minusSeconds(60));
      assertThat(age(registry)).isEqualTo(60.0);

      serve(store, freshness, 2, NOW.minusSeconds(300));
      assertThat(age(registry)).as("an older time does not move the gauge back").isEqualTo(60.0);

      serve(store, freshness, 3, NOW.minusSeconds(5));
      assertThat(age(registry)).isEqualTo(5.0);
    }
  }

  /**
   * Writes driver {@code id}'s row at {@code eventTime}, reads it and notes what was served (a
   * driver of its own each time: the store keeps the newer of two writes to one row).
   */
  private static void serve(
      FeatureStore store, FeatureFreshness freshness, long id, Instant eventTime) {
    Map<String, FeatureValue> driver = Map.of("driver_id", FeatureValue.ofInt64(id));
    store.writeRows(
        VIEW,
        List.of(new FeatureRow(driver, Map.of("conv_rate", FeatureValue.ofFloat(1f)), eventTime)));
    freshness.served(store.get(List.of(VIEW + ":conv_rate"), List.of(driver)));
  }

  private static double age(SimpleMeterRegistry registry) {
    return registry.get("feast_feature_freshness").tag("feature_view", VIEW).gauge().value();
  }
}
