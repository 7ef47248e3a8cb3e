package io.inferis.bench;

import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.server.FeatureHttpServer;
import io.inferis.server.ServerOptions;
import io.inferis.testing.RedisNode;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;

/**
 * {@code POST /get-online-features} through the Vert.x server on a number of event loops, over a
 * Redis connector of its own, driven by {@code wrk} (64 connections, 2 threads, a random driver per
 * request).
 */
final class HttpServerPath implements MeasuredPath {

  private final RedisNode redis;
  private final Scenario sc;
  private final RedisConnector connector;
  private final FeatureStore store;
  private final Vertx vertx;
  private final FeatureHttpServer server;
  private final String base;
  private final String name;

  /** Starts the server on {@code loops} event loops, on a free port. */
  HttpServerPath(RedisNode redis, FeatureRepo repo, Scenario sc, int loops) {
    this.redis = redis;
    this.sc = sc;
    this.connector = RedisConnector.connect(redis.uri());
    this.store = store(repo, connector);
    ServerOptions options = ServerOptions.builder().eventLoops(loops).build();
    this.vertx = FeatureHttpServer.newVertx(options);
    this.server = FeatureHttpServer.builder(vertx, store).options(options).build();
    this.base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    this.name =
        "HTTP /get-online-features (wrk), " + loops + " event loop" + (loops > 1 ? "s" : "");
  }

  /** The store each path reads through. */
  static FeatureStore store(FeatureRepo repo, RedisConnector connector) {
    return FeatureStores.redis(repo, connector, options());
  }

  /** The store options of the benches' servers: a deadline no run reaches. */
  static FeatureStoreOptions options() {
    return FeatureStoreOptions.builder()
        .inFlightLimit(256)
        .requestDeadline(Duration.ofSeconds(30))
        .build();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Row run(double seconds) throws Exception {
    Cpu cpu = Cpu.start(List.of(redis));
    Row row = wrk(seconds);
    cpu.print(name, (long) (row.lookupsPerSecond() * Math.ceil(seconds)), "server");
    return row;
  }

  @Override
  public void close() {
    server.close();
    vertx.close().await();
    store.close();
    connector.close();
  }

  private Row wrk(double seconds) throws Exception {
    String features = "[\\\"" + String.join("\\\",\\\"", sc.refs()) + "\\\"]";
    String body = "{\\\"features\\\":" + features + ",\\\"entities\\\":{\\\"driver_id\\\":[%d]}}";
    return Wrk.run(
        base + "/get-online-features", body, "math.random(0, 999)", seconds, sc.name(), name);
  }
}
