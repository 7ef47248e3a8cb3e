package io.inferis.server;

import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureStore;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
final class LoopStores extends ForwardingStore {

  /** What each loop connects to, and the store made over its connector. */
  record Redis(
      String url, RedisOptions options, Function<RedisConnector, FeatureStore> storeOver) {}

  private final Redis redis;
  private volatile Map<Thread, FeatureStore> byLoop = Map.of();

  /** The loops' stores, then their connectors: what {@link #close} closes, in that order. */
  private final List<AutoCloseable> opened = new ArrayList<>();

  LoopStores(FeatureStore shared, Redis redis) {
    super(shared);
    this.redis = redis;
  }

  /**
   * Connects to Redis once per event loop of {@code vertx}, on that loop (the options with {@link
   * RedisOptions.Builder#eventLoop}), and makes each loop's store over its connector; from now on
   * lookups made on a loop go to its store. If one cannot be made, those made are closed and the
   * failure is thrown. Call it once, off the loops (it waits for each to name its thread, and
   * connecting waits for the loop).
   */
  synchronized void open(Vertx vertx) {
    Map<Thread, FeatureStore> stores = new HashMap<>();
    List<RedisConnector> connectors = new ArrayList<>();
    try {
      for (io.netty.util.concurrent.EventExecutor loop :
          ((VertxInternal) vertx).nettyEventLoopGroup()) {
        Thread thread = loop.submit(Thread::currentThread).get();
        RedisConnector connector =
            RedisConnector.connect(
                redis.url(), redis.options().toBuilder().eventLoop(loop).build());
        connectors.add(connector);
        stores.put(thread, redis.storeOver().apply(connector));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeAll(storesThenConnectors(stores, connectors));
      throw new IllegalStateException("interrupted while connecting the event loops", e);
    } catch (ExecutionException | RuntimeException e) {
      closeAll(storesThenConnectors(stores, connectors));
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    }
    opened.addAll(storesThenConnectors(stores, connectors));
    byLoop = Map.copyOf(stores);
  }

  /** The store of the calling thread's loop, else the shared one. */
  @Override
  protected FeatureStore delegate() {
    FeatureStore mine = byLoop.get(Thread.currentThread());
    return mine != null ? mine : super.delegate();
  }

  /** The shared store's definitions, wherever the call is made. */
  @Override
  public FeatureRepo repo() {
    return super.delegate().repo();
  }

  /** Closes the loops' stores, then their connectors (the shared store stays its owner's). */
  @Override
  public synchronized void close() {
    byLoop = Map.of();
    List<AutoCloseable> all = List.copyOf(opened);
    opened.clear();
    closeAll(all);
  }

  /** Closes each in turn; throws the first failure, the others suppressed. */
  private static void closeAll(List<AutoCloseable> all) {
    List<Exception> failures = new ArrayList<>();
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        failures.add(e);
      }
    }
    if (!failures.isEmpty()) {
      RuntimeException thrown =
          failures.get(0) instanceof RuntimeException r
              ? r
              : new IllegalStateException(failures.get(0));
      failures.subList(1, failures.size()).forEach(thrown::addSuppressed);
      throw thrown;
    }
  }

  /** The loops' stores, then their connectors. */
  private static List<AutoCloseable> storesThenConnectors(
      Map<Thread, FeatureStore> stores, List<RedisConnector> connectors) {
    List<AutoCloseable> all = new ArrayList<>(stores.values());
    all.addAll(connectors);
    return all;
  }
}
