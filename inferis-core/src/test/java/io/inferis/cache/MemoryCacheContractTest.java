package io.inferis.cache;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

class MemoryCacheContractTest extends CacheContract {

  private Cache cache;

  @BeforeEach
  void create() {
    cache = Caches.memory();
  }

  @AfterEach
  void close() {
    cache.close();
  }

  @Override
  protected Cache cache() {
    return cache;
  }
}
