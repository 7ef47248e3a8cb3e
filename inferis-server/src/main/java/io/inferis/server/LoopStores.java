package io.inferis.server;

import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.OnlineFeatures;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/**
 * The HTTP server's store: each lookup and write goes to the store of the event loop it is made on
 * ({@link #open}: one per loop of the server's Vert.x instance, on a Redis connector of its own on
 * that very loop), and to the shared store on any other thread or before {@link #open}. A lookup is
 * then read, sent to Redis, answered and rendered on one thread. The definitions are the shared
 * store's.
 *
 * <p>Vert.x hands out its event loops as Netty types, so this is one of the few classes outside
 * {@code io.inferis.redis} that touches Netty (it passes them on as plain executors). Thread-safe:
 * the loops' stores are published once, before the server listens.
 */
final class LoopStores implements FeatureStore {

  private final FeatureStore shared;
  private volatile Map<Thread, FeatureStore> byLoop = Map.of();

  LoopStores(FeatureStore shared) {
    this.shared = shared;
  }

  /**
   * Connects to {@code url} once per event loop of {@code vertx}, on that loop ({@code options}
   * with {@link RedisOptions.Builder#eventLoop}), and makes each loop's store with {@code
   * storeOver}; from now on lookups made on a loop go to its store. If one cannot be made, those
   * made are closed and the failure is thrown. Call it once, off the loops (it waits for each to
   * name its thread, and connecting waits for the loop).
   */
  void open(
      Vertx vertx,
      String url,
      RedisOptions options,
      Function<RedisConnector, FeatureStore> storeOver) {
    Map<Thread, FeatureStore> stores = new HashMap<>();
    try {
      for (io.netty.util.concurrent.EventExecutor loop :
          ((VertxInternal) vertx).nettyEventLoopGroup()) {
        Thread thread = loop.submit(Thread::currentThread).get();
        RedisConnector connector =
            RedisConnector.connect(url, options.toBuilder().eventLoop(loop).build());
        try {
          stores.put(thread, new Owning(storeOver.apply(connector), connector));
        } catch (RuntimeException e) {
          connector.close();
          throw e;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeAll(stores.values());
      throw new IllegalStateException("interrupted while connecting the event loops", e);
    } catch (ExecutionException | RuntimeException e) {
      closeAll(stores.values());
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
    byLoop = Map.copyOf(stores);
  }

  /** The store of the calling thread's loop, else the shared one. */
  private FeatureStore here() {
    FeatureStore mine = byLoop.get(Thread.currentThread());
    return mine != null ? mine : shared;
  }

  @Override
  public FeatureRepo repo() {
    return shared.repo();
  }

  @Override
  public CompletableFuture<OnlineFeatures> getOnlineFeatures(
      List<String> featureRefs, List<Map<String, FeatureValue>> entityRows, Duration deadline) {
    return here().getOnlineFeatures(featureRefs, entityRows, deadline);
  }

  @Override
  public CompletableFuture<OnlineFeatures> getOnlineFeatures(
      List<String> featureRefs, List<Map<String, FeatureValue>> entityRows) {
    return here().getOnlineFeatures(featureRefs, entityRows);
  }

  @Override
  public CompletableFuture<Integer> write(String view, List<FeatureRow> rows) {
    return here().write(view, rows);
  }

  /** A loop's store and the connector it alone uses, closed after it. */
  private record Owning(FeatureStore store, RedisConnector connector) implements FeatureStore {
    @Override
    public FeatureRepo repo() {
      return store.repo();
    }

    @Override
    public CompletableFuture<OnlineFeatures> getOnlineFeatures(
        List<String> featureRefs, List<Map<String, FeatureValue>> entityRows, Duration deadline) {
      return store.getOnlineFeatures(featureRefs, entityRows, deadline);
    }

    @Override
    public CompletableFuture<OnlineFeatures> getOnlineFeatures(
        List<String> featureRefs, List<Map<String, FeatureValue>> entityRows) {
      return store.getOnlineFeatures(featureRefs, entityRows);
    }

    @Override
    public CompletableFuture<Integer> write(String view, List<FeatureRow> rows) {
      return store.write(view, rows);
    }

    @Override
    public void close() {
      try {
        store.close();
      } finally {
        connector.close();
      }
    }
  }

  /** Closes the loops' stores and connectors (the shared store stays its owner's); idempotent. */
  @Override
  public void close() {
    Map<Thread, FeatureStore> stores = byLoop;
    byLoop = Map.of();
    closeAll(stores.values());
  }

  private static void closeAll(Iterable<FeatureStore> stores) {
    List<RuntimeException> failures = new ArrayList<>();
    for (FeatureStore s : stores) {
      try {
        s.close();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }
}
