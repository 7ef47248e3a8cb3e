package io.inferis.server;

import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The feature-server contract on a cluster, with a cluster connector per event loop. */
class ClusterPerLoopFeatureServerTest extends FeatureServerContract {

  @RegisterExtension static final RedisFixture<RedisCluster> redis = RedisFixture.cluster();

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.redis(Demo.repo(), redis.connector());
  }

  @Override
  protected FeatureHttpServer.Builder more(FeatureHttpServer.Builder server) {
    return perLoop(server, redis.get().uri());
  }
}
