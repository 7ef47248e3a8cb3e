package io.inferis.features;

import io.inferis.features.internal.HashStore;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.internal.RedisBackends;
import java.util.function.Supplier;

/** Creates {@link FeatureStore}s. */
public final class FeatureStores {

  private FeatureStores() {}

  /** The in-memory store (the embedded default): same layout and semantics as Redis. */
  public static FeatureStore memory(FeatureRepo repo, FeatureStoreOptions options) {
    return new DefaultFeatureStore(repo, new MemoryHashStore(options.clock()), options);
  }

  /** {@link #memory(FeatureRepo, FeatureStoreOptions)} with default options. */
  public static FeatureStore memory(FeatureRepo repo) {
    return memory(repo, FeatureStoreOptions.defaults());
  }

  /**
   * A store on Redis (standalone, Sentinel or Cluster) in Feast's layout, over a shared connector
   * (left open when the store closes).
   */
  public static FeatureStore redis(
      FeatureRepo repo, RedisConnector connector, FeatureStoreOptions options) {
    HashStore store = RedisBackends.hashStore(connector, options.ticker());
    return new DefaultFeatureStore(
        repo, options.coalesceReads() ? new CoalescingHashStore(store) : store, options);
  }

  /**
   * A store on Redis whose definitions come from {@code repos} at each request, such as a Feast
   * registry read again in the background ({@code io.inferis.registry.RefreshingRegistry}): a
   * request uses the repository it finds when it begins; nothing waits for a new one. {@code repos}
   * must answer at once and never null.
   */
  public static FeatureStore redis(
      Supplier<FeatureRepo> repos, RedisConnector connector, FeatureStoreOptions options) {
    HashStore store = RedisBackends.hashStore(connector, options.ticker());
    return new DefaultFeatureStore(
        repos, options.coalesceReads() ? new CoalescingHashStore(store) : store, options);
  }

  /**
   * The in-memory store with definitions from {@code repos}; see {@link #redis(Supplier,
   * RedisConnector, FeatureStoreOptions)}.
   */
  public static FeatureStore memory(Supplier<FeatureRepo> repos, FeatureStoreOptions options) {
    return new DefaultFeatureStore(repos, new MemoryHashStore(options.clock()), options);
  }

  /** {@link #redis(FeatureRepo, RedisConnector, FeatureStoreOptions)} with default options. */
  public static FeatureStore redis(FeatureRepo repo, RedisConnector connector) {
    return redis(repo, connector, FeatureStoreOptions.defaults());
  }
}
