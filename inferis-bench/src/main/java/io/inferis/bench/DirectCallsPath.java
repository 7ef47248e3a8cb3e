package io.inferis.bench;

import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureStore;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The baseline of the HTTP overhead: direct {@code FeatureStore.getOnlineFeatures} calls, 64 in
 * flight from an {@link AsyncLoop}.
 */
final class DirectCallsPath implements MeasuredPath {

  private final RedisNode redis;
  private final Scenario sc;
  private final AsyncLoop loop;
  private final RedisConnector connector;
  private final FeatureStore store;
  private final AsyncClient client;

  DirectCallsPath(RedisNode redis, FeatureRepo repo, Scenario sc, AsyncLoop loop) {
    this.redis = redis;
    this.sc = sc;
    this.loop = loop;
    this.connector = RedisConnector.connect(redis.uri());
    this.store = HttpServerPath.store(repo, connector);
    this.client = client(store, sc);
  }

  @Override
  public String name() {
    return "direct library calls";
  }

  @Override
  public Row run(double seconds) throws Exception {
    return loop.run("redis", sc, name(), client, List.of(redis), 64, seconds);
  }

  /** A client over {@code store} that leaves it open: the path closes it. */
  private static AsyncClient client(FeatureStore store, Scenario sc) {
    return new AsyncClient() {
      @Override
      public CompletableFuture<?> lookup(List<Integer> entities) {
        List<Map<String, FeatureValue>> rows = new ArrayList<>();
        for (int e : entities) {
          rows.add(Map.of("driver_id", FeatureValue.ofInt64(e)));
        }
        return store.getOnlineFeatures(sc.refs(), rows);
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public void close() {
    store.close();
    connector.close();
  }
}
