package io.inferis.cache;

import io.inferis.redis.RedisConnector;
import io.inferis.redis.internal.RedisBackends;

/** Creates {@link Cache} backends. */
public final class Caches {

  private Caches() {}

  /** The in-memory cache (the embedded default) with {@link MemoryCacheOptions#defaults()}. */
  public static Cache memory() {
    return memory(MemoryCacheOptions.defaults());
  }

  /** The in-memory cache with the given options. */
  public static Cache memory(MemoryCacheOptions options) {
    return new MemoryCache(options);
  }

  /**
   * A cache on Redis (standalone, Sentinel or Cluster) over a shared connector. Closing the cache
   * leaves the connector open; close the connector last.
   */
  public static Cache redis(RedisConnector connector) {
    return RedisBackends.cache(connector);
  }
}
