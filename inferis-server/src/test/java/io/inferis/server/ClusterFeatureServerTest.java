package io.inferis.server;

import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterFeatureServerTest extends FeatureServerContract {

  @RegisterExtension static final RedisFixture<RedisCluster> redis = RedisFixture.cluster();

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.redis(Demo.repo(), redis.connector());
  }
}
