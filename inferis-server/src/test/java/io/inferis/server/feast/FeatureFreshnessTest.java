package io.inferis.server.feast;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.ValueType;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.features.FeatureViewDef;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The freshness gauge follows the newest event time served, whatever order lookups come in. */
class FeatureFreshnessTest {

  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final Map<String, FeatureValue> DRIVER =
      Map.of("driver_id", FeatureValue.ofInt64(7));

  @Test
  void anOlderTimeServedLater_leavesTheGaugeOnTheNewest() {
    FeatureRepo repo =
        FeatureRepo.builder("t")
            .entity(new EntityDef("driver", "driver_id", ValueType.INT64))
            .view(
                new FeatureViewDef(
                    "stats",
                    List.of("driver"),
                    List.of(new FeatureDef("f", ValueType.FLOAT)),
                    Duration.ZERO))
            .build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    FeatureFreshness freshness = new FeatureFreshness(registry, InstantSource.fixed(NOW));
    try (FeatureStore store = FeatureStores.memory(repo)) {
      serve(store, freshness, NOW.minusSeconds(60));
      assertThat(age(registry)).isEqualTo(60.0);

      serve(store, freshness, NOW.minusSeconds(300));
      assertThat(age(registry)).as("an older time does not move the gauge back").isEqualTo(60.0);

      serve(store, freshness, NOW.minusSeconds(5));
      assertThat(age(registry)).isEqualTo(5.0);
    }
  }

  /** Writes the driver's row at {@code eventTime}, reads it and notes what was served. */
  private static void serve(FeatureStore store, FeatureFreshness freshness, Instant eventTime) {
    store.writeRows(
        "stats", List.of(new FeatureRow(DRIVER, Map.of("f", FeatureValue.ofFloat(1f)), eventTime)));
    freshness.served(store.get(List.of("stats:f"), List.of(DRIVER)));
  }

  private static double age(SimpleMeterRegistry registry) {
    return registry.get("feast_feature_freshness").tag("feature_view", "stats").gauge().value();
  }
}
