package io.inferis.server;

import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The fuzz run, shorter, on a real Redis: the decoders there read what Redis really holds. */
class RedisHttpFuzzTest extends HttpFuzzContract {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.redis(Demo.repo(), redis.connector());
  }

  @Override
  protected int requests() {
    return 600;
  }
}
