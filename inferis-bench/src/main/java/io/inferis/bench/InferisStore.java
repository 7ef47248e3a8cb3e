package io.inferis.bench;

import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The inferis store an inferis client under test reads through, on a connector of its own. */
record InferisStore(RedisConnector connector, FeatureStore store) implements AutoCloseable {

  /**
   * Command timeout as long as the baselines' (Lettuce's 60 s default), so (c) does not time out.
   */
  private static final RedisOptions BENCH_REDIS =
      RedisOptions.builder().commandTimeout(Duration.ofSeconds(60)).build();

  /** Connects to {@code url}; {@code coalesce} shares reads of entities already in flight. */
  static InferisStore open(String url, FeatureRepo repo, boolean coalesce) {
    RedisConnector connector = RedisConnector.connect(url, BENCH_REDIS);
    FeatureStore store =
        FeatureStores.redis(
            repo,
            connector,
            FeatureStoreOptions.builder()
                .inFlightLimit(256)
                .requestDeadline(Duration.ofSeconds(30))
                .coalesceReads(coalesce)
                .build());
    return new InferisStore(connector, store);
  }

  /** A request's entity rows, one {@code driver_id} each. */
  static List<Map<String, FeatureValue>> rows(List<Integer> entities) {
    List<Map<String, FeatureValue>> rows = new ArrayList<>(entities.size());
    for (int e : entities) {
      rows.add(Map.of("driver_id", FeatureValue.ofInt64(e)));
    }
    return rows;
  }

  @Override
  public void close() {
    store.close();
    connector.close();
  }
}
