package io.inferis.cache;

import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisClusterCacheContractTest extends CacheContract {

  @RegisterExtension static final RedisFixture<RedisCluster> redis = RedisFixture.cluster();

  private final Cache cache = Caches.redis(redis.connector());

  @Override
  protected Cache cache() {
    return cache;
  }
}
