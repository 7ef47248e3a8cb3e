package io.inferis.features;

import static io.inferis.features.TestRepo.driver;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.feast.FieldStatus;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.redis.RedisUnavailableException;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StandaloneRestartLookupTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  @Test
  void restartedServer_lookupsRecoverWithoutANewClient() {
    RedisOptions options = RedisOptions.builder().commandTimeout(Duration.ofMillis(500)).build();
    try (RedisConnector connector = RedisConnector.connect(redis.get().uri(), options);
        FeatureStore store =
            FeatureStores.redis(
                TestRepo.repo(),
                connector,
                FeatureStoreOptions.builder().requestDeadline(Duration.ofMillis(800)).build())) {
      List<String> refs = List.of("driver_hourly_stats:avg_daily_trips");
      TestRepo.writeTrips(store, 1, 2);
      assertThat(store.get(refs, List.of(driver(1))).status(0, 0)).isEqualTo(FieldStatus.PRESENT);

      redis.get().kill();
      assertThatThrownBy(() -> store.get(refs, List.of(driver(1))))
          .isInstanceOf(RedisUnavailableException.class);
      redis.get().restart();

      // Nothing is persisted, so the recovered server answers NOT_FOUND: an answer, not an error.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .ignoreExceptions()
          .until(() -> store.get(refs, List.of(driver(1))).status(0, 0) == FieldStatus.NOT_FOUND);
    }
  }
}
