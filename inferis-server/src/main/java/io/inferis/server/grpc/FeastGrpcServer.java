package io.inferis.server.grpc;

import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import io.inferis.features.FeatureStore;
import io.inferis.redis.RedisConnector;
import io.inferis.registry.FeastRegistry;
import io.inferis.server.ServerOptions;
import io.inferis.server.feast.FeastOnline;
import io.inferis.server.feast.FeatureFreshness;
import io.inferis.server.feast.Statuses;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Feast's gRPC serving API on one port ({@link FeastGrpcService}), with {@code grpc.health.v1}
 * (serving while the server runs, {@code NOT_SERVING} once it drains) and server reflection, on
 * grpc-java's Netty transport. The same {@link ServerOptions} as the HTTP server bound it: the
 * bearer token ({@link GrpcAuth}), the largest message ({@code maxBodyBytes}), rows and features
 * per request, and calls at once. Build with {@link #builder}, then {@link #start}; {@link #close}
 * drains.
 */
public final class FeastGrpcServer implements AutoCloseable {

  private final FeastGrpcService service;
  private final ServerOptions options;
  private final HealthStatusManager health = new HealthStatusManager();
  private final @Nullable MeterRegistry metrics;
  private @Nullable Server server;
  private @Nullable GrpcLoops loops;
  private final @Nullable RedisConnector redisLoops;
  private final @Nullable Vertx vertxLoops;

  private FeastGrpcServer(Builder b) {
    this.options = b.options;
    this.metrics = b.metrics;
    this.redisLoops = b.redisLoops;
    this.vertxLoops = b.vertxLoops;
    this.service =
        new FeastGrpcService(
            new FeastOnline(
                b.store,
                b.feastRegistry,
                options.maxEntities(),
                options.maxFeatures(),
                b.freshness),
            b.statuses,
            options.maxConcurrentRequests(),
            b.version);
  }

  /** A server over {@code store}. */
  public static Builder builder(FeatureStore store) {
    return new Builder(store);
  }

  /** What a {@link FeastGrpcServer} serves and how. */
  public static final class Builder {
    private final FeatureStore store;
    private @Nullable Supplier<FeastRegistry> feastRegistry;
    private Statuses statuses = Statuses.PRECISE;
    private ServerOptions options = ServerOptions.defaults();
    private String version = "inferis";
    private @Nullable MeterRegistry metrics;
    private @Nullable FeatureFreshness freshness;
    private @Nullable RedisConnector redisLoops;
    private @Nullable Vertx vertxLoops;

    private Builder(FeatureStore store) {
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The Feast registry served (feature services, push sources, write schemas). */
    public Builder feastRegistry(Supplier<FeastRegistry> registry) {
      this.feastRegistry = registry;
      return this;
    }

    /** How answers report statuses. */
    public Builder statuses(Statuses statuses) {
      this.statuses = Objects.requireNonNull(statuses, "statuses");
      return this;
    }

    /** Limits and auth. */
    public Builder options(ServerOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** What {@code GetFeastServingInfo} answers. */
    public Builder version(String version) {
      this.version = Objects.requireNonNull(version, "version");
      return this;
    }

    /** Where call latencies are recorded ({@code inferis.grpc.requests}); none by default. */
    public Builder metrics(MeterRegistry registry) {
      this.metrics = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Notes the event times lookups serve (shared with the HTTP server). */
    public Builder freshness(FeatureFreshness freshness) {
      this.freshness = Objects.requireNonNull(freshness, "freshness");
      return this;
    }

    /**
     * Serves on {@code connector}'s event loops (the store's connector), so that a call is answered
     * on the thread that read its Redis reply; without one, or where the connector offers none, on
     * loops of the server's own ({@link ServerOptions#eventLoops()}). Close the server before the
     * connector.
     */
    public Builder serveOnLoopsOf(@Nullable RedisConnector connector) {
      this.redisLoops = connector;
      return this;
    }

    /**
     * Serves on {@code vertx}'s event loops, those of an HTTP server built with {@code
     * FeatureHttpServer.Builder.redisPerLoop}; with that server's {@code FeatureHttpServer.store()}
     * as this server's store, a call is read, looked up on its loop's own Redis connector and
     * answered on one thread. Wins over {@link #serveOnLoopsOf}. Close this server before the HTTP
     * server (which closes the loops' connectors) and before {@code vertx}.
     */
    public Builder serveOnVertxLoops(Vertx vertx) {
      this.vertxLoops = Objects.requireNonNull(vertx, "vertx");
      return this;
    }

    /** The server, not yet listening. */
    public FeastGrpcServer build() {
      return new FeastGrpcServer(this);
    }
  }

  /**
   * Listens on {@code host:port} (0: any free port).
   *
   * @return the port bound
   * @throws UncheckedIOException when the port cannot be bound
   */
  public synchronized int start(String host, int port) {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    GrpcLoops ownLoops =
        vertxLoops != null
            ? GrpcLoops.of(vertxLoops)
            : GrpcLoops.of(redisLoops, options.eventLoops());
    NettyServerBuilder b =
        ownLoops
            .serve(NettyServerBuilder.forAddress(new InetSocketAddress(host, port)))
            // The handlers never block: no hop to another thread pool per call.
            .directExecutor()
            .maxInboundMessageSize(options.maxBodyBytes())
            .maxInboundMetadataSize(options.maxHeaderBytes())
            .intercept(new GrpcAuth(options))
            .addService(health.getHealthService())
            .addService(ProtoReflectionServiceV1.newInstance());
    if (metrics != null) {
      // Added last, so it runs first: auth failures are timed too.
      b.intercept(new GrpcMetrics(metrics));
    }
    for (ServerServiceDefinition d : service.definitions()) {
      b.addService(d);
      health.setStatus(
          d.getServiceDescriptor().getName(),
          io.grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING);
    }
    try {
      server = b.build().start();
    } catch (IOException e) {
      ownLoops.close();
      throw new UncheckedIOException("cannot listen for gRPC on " + host + ":" + port, e);
    } catch (RuntimeException e) {
      ownLoops.close();
      throw e;
    }
    loops = ownLoops;
    return server.getPort();
  }

  /** Calls being handled. */
  public int inFlight() {
    return service.inFlight();
  }

  /**
   * Stops taking calls (health turns {@code NOT_SERVING}), lets the ones in flight finish within
   * {@code drain}, then cancels what is left.
   */
  public synchronized void close(Duration drain) {
    Server s = server;
    if (s == null) {
      return;
    }
    health.enterTerminalState();
    s.shutdown();
    try {
      if (!s.awaitTermination(drain.toNanos(), TimeUnit.NANOSECONDS)) {
        s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      s.shutdownNow();
    }
    server = null;
    if (loops != null) {
      loops.close();
      loops = null;
    }
  }

  /** {@link #close(Duration)} with 10 s to drain. */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
