package io.inferis.bench;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.ValueType;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.features.FeatureViewDef;
import io.inferis.redis.RedisConnector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data set the lookup and HTTP benchmarks read: {@value #ENTITIES} drivers, each with {@value
 * #VIEWS} feature views of {@value #FEATURES_PER_VIEW} float features, written in Feast's layout.
 */
final class BenchData {

  static final int ENTITIES = 1000;
  static final int VIEWS = 25;
  static final int FEATURES_PER_VIEW = 10;

  private BenchData() {}

  static FeatureRepo repo() {
    FeatureRepo.Builder b =
        FeatureRepo.builder("bench").entity(new EntityDef("driver", "driver_id", ValueType.INT64));
    for (int v = 0; v < VIEWS; v++) {
      List<FeatureDef> features = new ArrayList<>();
      for (int f = 0; f < FEATURES_PER_VIEW; f++) {
        features.add(new FeatureDef("f" + f, ValueType.FLOAT));
      }
      b.view(
          new FeatureViewDef(
              String.format("view_%02d", v), List.of("driver"), features, Duration.ZERO));
    }
    return b.build();
  }

  /** Every feature of the first {@code views} views, as {@code view:feature} references. */
  static List<String> refs(int views) {
    List<String> refs = new ArrayList<>();
    for (int v = 0; v < views; v++) {
      for (int f = 0; f < FEATURES_PER_VIEW; f++) {
        refs.add(String.format("view_%02d:f%d", v, f));
      }
    }
    return refs;
  }

  /** Writes every entity's row of every view to the Redis at {@code url}. */
  static void load(String url, FeatureRepo repo) {
    try (RedisConnector connector = RedisConnector.connect(url);
        FeatureStore store =
            FeatureStores.redis(
                repo,
                connector,
                FeatureStoreOptions.builder().requestDeadline(Duration.ofSeconds(30)).build())) {
      load(store);
    }
  }

  /** Writes every entity's row of every view to {@code store}. */
  static void load(FeatureStore store) {
    Instant now = Instant.now();
    for (int v = 0; v < VIEWS; v++) {
      List<FeatureRow> rows = new ArrayList<>(ENTITIES);
      for (int e = 0; e < ENTITIES; e++) {
        Map<String, FeatureValue> values = new LinkedHashMap<>();
        for (int f = 0; f < FEATURES_PER_VIEW; f++) {
          values.put("f" + f, FeatureValue.ofFloat(e * 0.001f + f));
        }
        rows.add(new FeatureRow(Map.of("driver_id", FeatureValue.ofInt64(e)), values, now));
      }
      store.writeRows(String.format("view_%02d", v), rows);
    }
  }
}
