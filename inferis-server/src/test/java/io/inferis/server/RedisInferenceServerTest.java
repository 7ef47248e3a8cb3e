package io.inferis.server;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** On the cluster: monitoring keys and feature hashes spread over the masters. */
class RedisInferenceServerTest extends InferenceServerContract {

  @RegisterExtension static final RedisFixture<RedisCluster> redis = RedisFixture.cluster();

  private static RedisConnector connector;

  @BeforeAll
  static void connect() {
    connector = RedisConnector.connect(redis.get().uri());
  }

  @AfterAll
  static void close() {
    connector.close();
  }

  @Override
  protected FeatureStore newStore() {
    return FeatureStores.redis(Demo.repo(), connector);
  }

  @Override
  protected Cache newCache() {
    return Caches.redis(connector);
  }
}
