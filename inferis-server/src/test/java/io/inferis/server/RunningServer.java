package io.inferis.server;

import io.inferis.features.FeatureStore;
import io.vertx.core.Vertx;
import java.util.function.UnaryOperator;

/** A started {@link FeatureHttpServer} on a Vert.x of its own, for tests; close stops both. */
final class RunningServer implements AutoCloseable {

  private final Vertx vertx;
  private final FeatureHttpServer server;
  private final int port;

  private RunningServer(Vertx vertx, FeatureHttpServer server) {
    this.vertx = vertx;
    this.server = server;
    this.port = server.start("127.0.0.1", 0);
  }

  /** A server over {@code store} with {@code options} and nothing else. */
  static RunningServer start(FeatureStore store, ServerOptions options) {
    return start(store, options, b -> b);
  }

  /** A server over {@code store} with {@code options}, built further by {@code more}. */
  static RunningServer start(
      FeatureStore store, ServerOptions options, UnaryOperator<FeatureHttpServer.Builder> more) {
    Vertx vertx = FeatureHttpServer.newVertx(options);
    try {
      return new RunningServer(
          vertx, more.apply(FeatureHttpServer.builder(vertx, store).options(options)).build());
    } catch (RuntimeException e) {
      vertx.close().await();
      throw e;
    }
  }

  FeatureHttpServer server() {
    return server;
  }

  int port() {
    return port;
  }

  String base() {
    return "http://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    server.close();
    vertx.close().await();
  }
}
