package io.inferis.redis.internal;

import io.inferis.Ticker;
import io.inferis.audit.internal.Keyspace;
import io.inferis.cache.Cache;
import io.inferis.features.internal.HashStore;
import io.inferis.redis.NetTransport;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import java.util.concurrent.Executor;

/**
 * The only public door into this package: the API's factories ({@code RedisConnector.connect},
 * {@code Caches.redis}, {@code FeatureStores.redis}, {@code KeyAudit}) get their Redis parts here,
 * so nothing outside {@code io.inferis.redis} sees Lettuce, Netty or RESP. Not API.
 */
public final class RedisBackends {

  private RedisBackends() {}

  /** See {@link RedisConnector#connect(String, RedisOptions)}. */
  public static RedisConnector connect(String url, RedisOptions options) {
    return LettuceConnector.connect(url, options);
  }

  /** The cache on {@code connector}, which it leaves open when closed. */
  public static Cache cache(RedisConnector connector) {
    return new RedisCache(LettuceConnector.of(connector));
  }

  /** The feature store's hash port on {@code connector}, deadlines read on {@code ticker}. */
  public static HashStore hashStore(RedisConnector connector, Ticker ticker) {
    return new RedisHashStore(LettuceConnector.of(connector), ticker);
  }

  /** The audit's view of {@code connector}'s keyspace (every master of a cluster). */
  public static Keyspace keyspace(RedisConnector connector) {
    return new RedisKeyspace(LettuceConnector.of(connector));
  }

  /** See {@link NetTransport#ofConnections()}. */
  public static NetTransport transport() {
    return ConnectionTransport.current();
  }

  /** See {@link NetTransport#use(NetTransport)}. */
  public static void useTransport(NetTransport transport) {
    ConnectionTransport.use(transport);
  }

  /** See {@link RedisConnector#batchPerLoopTurn(Executor)}. */
  public static void batchPerLoopTurn(Executor sameTurn) {
    LoopTurnBatches.register(sameTurn);
  }
}
