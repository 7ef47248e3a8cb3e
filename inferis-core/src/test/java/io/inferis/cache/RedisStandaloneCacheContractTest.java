package io.inferis.cache;

import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisStandaloneCacheContractTest extends CacheContract {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private final Cache cache = Caches.redis(redis.connector());

  @Override
  protected Cache cache() {
    return cache;
  }
}
