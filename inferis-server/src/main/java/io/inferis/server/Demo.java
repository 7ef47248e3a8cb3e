package io.inferis.server;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.ValueType;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureViewDef;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** The demo project: Feast's driver-stats example, ten drivers with deterministic values. */
public final class Demo {

  private Demo() {}

  /** Entity {@code driver_id}; view {@code driver_hourly_stats}. */
  public static FeatureRepo repo() {
    return FeatureRepo.builder("driver_ranking")
        .entity(new EntityDef("driver", "driver_id", ValueType.INT64))
        .view(
            new FeatureViewDef(
                "driver_hourly_stats",
                List.of("driver"),
                List.of(
                    new FeatureDef("conv_rate", ValueType.FLOAT),
                    new FeatureDef("acc_rate", ValueType.FLOAT),
                    new FeatureDef("avg_daily_trips", ValueType.INT64)),
                Duration.ofDays(1)))
        .build();
  }

  /** Writes drivers 1001–1010 (values from a fixed seed) and returns how many rows were new. */
  public static int load(FeatureStore store) {
    Random random = new Random(1001);
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<FeatureRow> rows = new ArrayList<>();
    for (long id = 1001; id <= 1010; id++) {
      rows.add(
          new FeatureRow(
              Map.of("driver_id", FeatureValue.ofInt64(id)),
              Map.of(
                  "conv_rate", FeatureValue.ofFloat(Math.round(random.nextFloat() * 1000) / 1000f),
                  "acc_rate", FeatureValue.ofFloat(Math.round(random.nextFloat() * 1000) / 1000f),
                  "avg_daily_trips", FeatureValue.ofInt64(random.nextInt(1000))),
              now));
    }
    return store.writeRows("driver_hourly_stats", rows);
  }

  /** Ready-to-paste requests against {@code base}. */
  public static String curlLines(String base) {
    return String.join(
        "\n",
        "curl -s " + base + "/health -o /dev/null -w '%{http_code}\\n'",
        "curl -s -X POST "
            + base
            + "/get-online-features -H 'Content-Type: application/json' -d '"
            + "{\"features\":[\"driver_hourly_stats:conv_rate\",\"driver_hourly_stats:acc_rate\","
            + "\"driver_hourly_stats:avg_daily_trips\"],\"entities\":{\"driver_id\":[1001,1002,4242]}}'",
        "curl -s -X POST "
            + base
            + "/push -H 'Content-Type: application/json' -d '"
            + "{\"push_source_name\":\"driver_hourly_stats\",\"to\":\"online\",\"df\":{\"driver_id\":[1001],"
            + "\"conv_rate\":[0.99],\"acc_rate\":[0.5],\"avg_daily_trips\":[7],"
            + "\"event_timestamp\":[\""
            + Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS)
            + "\"]}}'",
        "curl -s -X POST "
            + base
            + "/infer/driver-risk -H 'Content-Type: application/json' -d '"
            + "{\"entities\":{\"driver_id\":[1001,1002]}}'",
        "curl -s '" + base + "/monitor/summary?scope=all'",
        "curl -s " + base + "/metrics | grep inferis_");
  }
}
