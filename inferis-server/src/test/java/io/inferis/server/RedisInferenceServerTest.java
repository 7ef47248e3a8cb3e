package io.inferis.server;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On the cluster: monitoring keys and feature hashes spread over the masters. */
class RedisInferenceServerTest extends InferenceServerContract {

  @RegisterExtension static final RedisFixture<RedisCluster> redis = RedisFixture.cluster();

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.redis(Demo.repo(), redis.connector());
  }

  @Override
  protected Cache newCache() {
    return Caches.redis(redis.connector());
  }
}
