package io.inferis.features;

import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisClusterFeatureStoreTest extends FeatureStoreContract {

  @RegisterExtension static final RedisFixture<RedisCluster> redis = RedisFixture.cluster();

  private static RedisConnector connector;
  private static FeatureStore store;

  @BeforeAll
  static void connect() {
    connector = RedisConnector.connect(redis.get().uri());
    store = FeatureStores.redis(TestRepo.repo(), connector);
  }

  @AfterAll
  static void close() {
    store.close();
    connector.close();
  }

  @Override
  protected FeatureStore store() {
    return store;
  }
}
