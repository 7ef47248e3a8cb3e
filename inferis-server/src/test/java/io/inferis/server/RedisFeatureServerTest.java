package io.inferis.server;

import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisFeatureServerTest extends FeatureServerContract {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.redis(Demo.repo(), redis.connector());
  }
}
