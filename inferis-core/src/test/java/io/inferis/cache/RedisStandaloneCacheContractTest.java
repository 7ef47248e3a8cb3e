package io.inferis.cache;

import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisStandaloneCacheContractTest extends CacheContract {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private static RedisConnector connector;
  private static Cache cache;

  @BeforeAll
  static void connect() {
    connector = RedisConnector.connect(redis.get().uri());
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
