package io.inferis.features;

import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisClusterFeatureStoreTest extends FeatureStoreContract {

  @RegisterExtension static final RedisFixture<RedisCluster> redis = RedisFixture.cluster();

  private final FeatureStore store = FeatureStores.redis(TestRepo.repo(), redis.connector());

  @Override
  protected FeatureStore store() {
    return store;
  }
}
