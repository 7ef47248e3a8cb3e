package io.inferis.server;

import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The feature-server contract with a Redis connector per event loop, on that loop. */
class RedisPerLoopFeatureServerTest extends FeatureServerContract {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.redis(Demo.repo(), redis.connector());
  }

  @Override
  protected FeatureHttpServer.Builder more(FeatureHttpServer.Builder server) {
    return perLoop(server, redis.get().uri());
  }
}
