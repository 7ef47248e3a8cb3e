package io.inferis.features;

import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisStandaloneFeatureStoreTest extends FeatureStoreContract {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private final FeatureStore store = FeatureStores.redis(TestRepo.repo(), redis.connector());

  @Override
  protected FeatureStore store() {
    return store;
  }
}
