package io.inferis.cache;

import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisClusterCacheContractTest extends CacheContract {

  @RegisterExtension static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster();

  private static RedisConnector connector;
  private static Cache cache;

  @BeforeAll
  static void connect() {
    connector = RedisConnector.connect(cluster.get().uri());
    cache = Caches.redis(connector);
  }

  @AfterAll
  static void close() {
    cache.close();
    connector.close();
  }

  @Override
  protected Cache cache() {
    return cache;
  }
}
