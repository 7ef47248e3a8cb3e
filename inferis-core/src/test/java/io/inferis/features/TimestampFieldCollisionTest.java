package io.inferis.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import io.inferis.feast.ValueType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Regression: hash field names were cached JVM-wide under {@code "<view>:<feature>"} and {@code
 * "_ts:<view>"}, so feature {@code speed} of a view named {@code _ts} and the timestamp field of
 * view {@code speed} shared the key {@code "_ts:speed"}; whichever was computed first was read for
 * both, and the other answered the wrong field.
 */
class TimestampFieldCollisionTest {

  private static final Instant SPEED_TIME = Instant.parse("2026-01-02T03:04:05Z");
  private static final Instant TS_VIEW_TIME = Instant.parse("2026-02-03T04:05:06Z");

  private static FeatureRepo repo() {
    return FeatureRepo.builder("collide")
        .entity(new EntityDef("driver", "driver_id", ValueType.INT64))
        .view(
            new FeatureViewDef(
                "_ts",
                List.of("driver"),
                List.of(new FeatureDef("speed", ValueType.DOUBLE)),
                Duration.ZERO))
        .view(
            new FeatureViewDef(
                "speed",
                List.of("driver"),
                List.of(new FeatureDef("kmh", ValueType.DOUBLE)),
                Duration.ZERO))
        .build();
  }

  @Test
  void viewNamedTs_andTimestampOfAnotherView_readTheirOwnFields() {
    try (FeatureStore store = FeatureStores.memory(repo())) {
      Map<String, FeatureValue> driver = Map.of("driver_id", FeatureValue.ofInt64(1));
      store.writeRows(
          "speed",
          List.of(new FeatureRow(driver, Map.of("kmh", FeatureValue.ofDouble(88.0)), SPEED_TIME)));
      store.writeRows(
          "_ts",
          List.of(
              new FeatureRow(driver, Map.of("speed", FeatureValue.ofDouble(7.5)), TS_VIEW_TIME)));

      // The order a shared cache would be poisoned in: "_ts:speed" is first the feature of view
      // "_ts", then the timestamp field of view "speed".
      OnlineFeatures r = store.get(List.of("_ts:speed", "speed:kmh"), List.of(driver));

      assertThat(r.status(0, 0)).isEqualTo(FieldStatus.PRESENT);
      assertThat(r.value(0, 0)).isEqualTo(FeatureValue.ofDouble(7.5));
      assertThat(r.eventTime(0, 0)).isEqualTo(TS_VIEW_TIME);
      assertThat(r.status(0, 1)).isEqualTo(FieldStatus.PRESENT);
      assertThat(r.value(0, 1)).isEqualTo(FeatureValue.ofDouble(88.0));
      assertThat(r.eventTime(0, 1)).isEqualTo(SPEED_TIME);
    }
  }
}
