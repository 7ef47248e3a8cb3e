package io.inferis.features;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.ValueType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The definitions the feature-store tests share. */
final class TestRepo {

  private TestRepo() {}

  static final String PROJECT = "test_proj";

  static FeatureRepo repo() {
    return FeatureRepo.builder(PROJECT)
        .entity(new EntityDef("driver", "driver_id", ValueType.INT64))
        .entity(new EntityDef("customer", "customer_id", ValueType.STRING))
        .view(
            new FeatureViewDef(
                "driver_hourly_stats",
                List.of("driver"),
                List.of(
                    new FeatureDef("conv_rate", ValueType.FLOAT),
                    new FeatureDef("acc_rate", ValueType.FLOAT),
                    new FeatureDef("avg_daily_trips", ValueType.INT64)),
                Duration.ofHours(1)))
        .view(
            new FeatureViewDef(
                "driver_extras",
                List.of("driver"),
                List.of(new FeatureDef("rating", ValueType.DOUBLE)),
                Duration.ZERO))
        .view(
            new FeatureViewDef(
                "customer_profile",
                List.of("customer"),
                List.of(
                    new FeatureDef("name", ValueType.STRING),
                    new FeatureDef("tags", ValueType.STRING_LIST)),
                Duration.ZERO))
        .view(
            new FeatureViewDef(
                "customer_wide",
                List.of("customer"),
                java.util.stream.IntStream.range(0, 8)
                    .mapToObj(i -> new FeatureDef("w" + i, ValueType.INT64))
                    .toList(),
                Duration.ZERO))
        .view(
            new FeatureViewDef(
                "driver_customer",
                List.of("driver", "customer"),
                List.of(new FeatureDef("affinity", ValueType.DOUBLE)),
                Duration.ZERO))
        .build();
  }

  /**
   * Writes {@code driver_hourly_stats:avg_daily_trips = id} for every driver id in {@code [from,
   * to)}, at the current time, in one write; returns the rows written.
   */
  static int writeTrips(FeatureStore store, int from, int to) {
    List<FeatureRow> rows = new java.util.ArrayList<>(Math.max(0, to - from));
    java.time.Instant now = java.time.Instant.now();
    for (int id = from; id < to; id++) {
      rows.add(
          new FeatureRow(driver(id), Map.of("avg_daily_trips", FeatureValue.ofInt64(id)), now));
    }
    return store.writeRows("driver_hourly_stats", rows);
  }

  static Map<String, FeatureValue> driver(long id) {
    return Map.of("driver_id", FeatureValue.ofInt64(id));
  }

  static Map<String, FeatureValue> customer(String id) {
    return Map.of("customer_id", FeatureValue.ofString(id));
  }

  static Map<String, FeatureValue> pair(long driver, String customer) {
    Map<String, FeatureValue> m = new LinkedHashMap<>();
    m.put("driver_id", FeatureValue.ofInt64(driver));
    m.put("customer_id", FeatureValue.ofString(customer));
    return m;
  }
}
