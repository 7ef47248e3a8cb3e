package io.inferis.server;

import io.inferis.features.FeatureStore;
import io.inferis.monitoring.InferenceRecord;
import io.inferis.monitoring.MonitoringQuery;
import io.inferis.monitoring.Recorder;
import io.inferis.redis.NetTransport;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.registry.FeastRegistry;
import io.inferis.server.HttpRoutes.Access;
import io.inferis.server.feast.FeastHttpApi;
import io.inferis.server.feast.FeastMetrics;
import io.inferis.server.feast.FeastOnline;
import io.inferis.server.feast.FeatureFreshness;
import io.inferis.server.feast.Statuses;
import io.inferis.server.model.Models;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Feast's feature-server endpoints, {@code /infer/{model}}, {@code /health},
 * {@code /metrics}, {@code /monitor/summary} and the dashboard, on the {@link Vertx} it is given,
 * within the limits and authentication of its {@link ServerOptions}. Built with {@link #builder}.
 *
 * <p>A request passes, in order: {@link RequestLimits#admit} (429), {@link HttpRoutes} (404, 405),
 * {@link BearerAuth} (401), the body limits (413, 408), {@link JsonBodies} (400), then its route;
 * every failure is answered by {@link ErrorResponses}, every answer timed by {@link HttpMetrics}.
 * Undecodable requests are answered by {@link InvalidRequests}. {@link #close} stops accepting,
 * then waits for requests in flight; the Vert.x instance stays its owner's. Thread-safe.
 */
public final class FeatureHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FeatureHttpServer.class);

  /**
   * The dashboard page, served from the jar (no CDN): it polls {@code /monitor/summary} and {@code
   * /monitor/history} and draws the history with uPlot (from its WebJar, also in the jar).
   */
  private static final byte[] DASHBOARD = resource("/io/inferis/server/dashboard/index.html");

  private static final String UPLOT = "/META-INF/resources/webjars/uplot/1.6.30/dist/";

  /** The negative port this process's next server on a free port asks Vert.x for. */
  private static final AtomicInteger FREE_PORT_KEYS = new AtomicInteger();

  private final Vertx vertx;
  private final ServerOptions options;
  private final HttpRoutes routes;
  private final ErrorResponses errors;
  private final BearerAuth auth;
  private final RequestLimits limits;
  private final JsonBodies json;
  private final HttpMetrics metrics;
  private final InvalidRequests invalid;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final @Nullable MeterHistory history;
  private final @Nullable LoopStores loopStores;
  private final FeatureStore store;

  private FeatureHttpServer(Builder b) {
    this.vertx = b.vertx;
    this.options = b.options;
    this.loopStores = b.redisPerLoop == null ? null : new LoopStores(b.store, b.redisPerLoop);
    this.store = loopStores == null ? b.store : loopStores;
    this.errors = new ErrorResponses(b.feastRegistry != null);
    this.auth = new BearerAuth(options, errors);
    this.limits = new RequestLimits(vertx, options, errors);
    this.json = new JsonBodies(options.maxBodyBytes());
    this.metrics = new HttpMetrics(b.metrics);
    this.invalid = new InvalidRequests(options, errors);
    FeastHttpApi feast =
        new FeastHttpApi(
            new FeastOnline(
                store, b.feastRegistry, options.maxEntities(), options.maxFeatures(), b.freshness),
            b.statuses,
            new FeastMetrics(b.metrics));
    InferenceApi inference =
        new InferenceApi(store, b.models, b.recorder, options.maxEntities(), options.maxFeatures());
    this.routes =
        new HttpRoutes(options)
            .get("/health", Access.HEALTH, req -> req.response().setStatusCode(200).end())
            .post("/get-online-features", (rest, body, on) -> feast.getOnlineFeatures(body, on))
            .post("/push", (rest, body, on) -> feast.push(body.tree()).thenApply(n -> new byte[0]))
            .post(
                "/write-to-online-store",
                (rest, body, on) ->
                    feast
                        .writeToOnlineStore(body.tree())
                        .thenApply(n -> "null".getBytes(StandardCharsets.US_ASCII)))
            .postUnder("/infer/", (model, body, on) -> inference.infer(model, body.tree(), on));
    PrometheusMeterRegistry registry = b.metrics;
    MonitoringQuery monitoring = b.monitoring;
    this.history =
        registry == null
            ? null
            : new MeterHistory(
                registry, monitoring, options.historyStep(), options.summaryWindow());
    if (history != null) {
      MeterHistory h = history;
      routes.get(
          "/monitor/history",
          Access.TOKEN,
          req -> {
            h.watched();
            byte[] body;
            try {
              body = json.mapper().writeValueAsBytes(h.json());
            } catch (IOException e) {
              errors.fail(req, e);
              return;
            }
            req.response()
                .setStatusCode(200)
                .putHeader("Content-Type", "application/json")
                .putHeader("Cache-Control", "no-store")
                .end(Buffer.buffer(body));
          });
    }
    if (registry != null) {
      routes.get(
          "/metrics",
          Access.METRICS,
          req ->
              req.response()
                  .setStatusCode(200)
                  .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                  .end(registry.scrape()));
    }
    if (monitoring != null) {
      SummaryRoute summary =
          new SummaryRoute(vertx, monitoring, options.summaryWindow(), json.mapper(), errors);
      routes
          .get("/monitor/summary", Access.TOKEN, summary::answer)
          .get(
              "/",
              Access.OPEN,
              req ->
                  req.response()
                      .setStatusCode(200)
                      .putHeader("Content-Type", "text/html; charset=utf-8")
                      .putHeader("Cache-Control", "no-store")
                      .end(Buffer.buffer(DASHBOARD)))
          .get(
              "/assets/uplot.js",
              Access.OPEN,
              asset(UPLOT + "uPlot.iife.min.js", "text/javascript"))
          .get("/assets/uplot.css", Access.OPEN, asset(UPLOT + "uPlot.min.css", "text/css"));
    }
  }

  /** A builder for a server over {@code store} on {@code vertx}. */
  public static Builder builder(Vertx vertx, FeatureStore store) {
    return new Builder(vertx, store);
  }

  /**
   * A Vert.x instance for a server with {@code options}: one event loop per HTTP server instance
   * ({@link ServerOptions#eventLoops()}; Vert.x's default of two per core leaves the rest idle), on
   * the transport of the process's Redis connections ({@link NetTransport#ofConnections()}:
   * io_uring where available, then epoll), which a Redis connector per loop needs. The caller
   * closes it, after the server.
   */
  public static Vertx newVertx(ServerOptions options) {
    return Vertx.builder()
        .with(new VertxOptions().setEventLoopPoolSize(options.eventLoops()))
        .withTransport(vertxTransport(NetTransport.ofConnections()))
        .build();
  }

  private static Transport vertxTransport(NetTransport transport) {
    return switch (transport) {
      case IO_URING -> Transport.IO_URING;
      case EPOLL -> Transport.EPOLL;
      case NIO -> Transport.NIO;
    };
  }

  /**
   * Listens on {@code host:port} (0 picks a free port) with one server per event loop: Vert.x
   * spreads the connections of one port over the servers that share it. With {@link
   * Builder#redisPerLoop}, first connects each loop to Redis; call it off the event loops, which
   * connecting waits for.
   *
   * @return the bound port
   */
  public int start(String host, int port) {
    if (loopStores != null) {
      loopStores.open(vertx);
    }
    HttpServerOptions http =
        new HttpServerOptions()
            .setMaxHeaderSize(options.maxHeaderBytes())
            .setMaxInitialLineLength(options.maxInitialLineLength())
            // HTTP/1.1 only (as Feast's server): the header, request-line and invalid-request
            // handling above are HTTP/1.x settings, and an h2c upgrade would bypass them.
            .setHttp2ClearTextEnabled(false)
            .setIdleTimeout((int) options.idleTimeout().toSeconds())
            .setIdleTimeoutUnit(TimeUnit.SECONDS)
            .setCompressionSupported(false)
            // No WebSocket routes: without these Vert.x leaves its WebSocket extension handler,
            // which looks at every request and response, out of the pipeline.
            .setPerMessageWebSocketCompressionSupported(false)
            .setPerFrameWebSocketCompressionSupported(false);
    // Vert.x shares a random port among the servers of one Vert.x that ask for the same negative
    // port: this server's instances share one, and another server on the same Vert.x gets its own.
    int listen = port == 0 ? FREE_PORT_KEYS.decrementAndGet() : port;
    AtomicInteger actual = new AtomicInteger();
    try {
      deploy(http, host, listen, actual);
    } catch (Exception e) { // Vert.x rethrows a failed bind's checked exception unchecked
      if (loopStores != null) {
        loopStores.close(); // a port in use: the loops' connectors must not outlive the failure
      }
      throw e;
    }
    return actual.get();
  }

  /**
   * One server per event loop, listening on {@code host:listen}; the bound port into {@code
   * actual}.
   */
  private void deploy(HttpServerOptions http, String host, int listen, AtomicInteger actual) {
    vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    // Lookups made on this event loop leave once per loop turn (Redis batching).
                    Context loop = context;
                    RedisConnector.batchPerLoopTurn(task -> loop.runOnContext(v -> task.run()));
                    return vertx
                        .createHttpServer(http)
                        .requestHandler(FeatureHttpServer.this::handle)
                        .invalidRequestHandler(invalid::answer)
                        .listen(listen, host)
                        .onSuccess(
                            s -> {
                              servers.add(s);
                              actual.set(s.actualPort());
                            });
                  }
                },
            new DeploymentOptions().setInstances(options.eventLoops()))
        .await();
  }

  private void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    HttpRoutes.Match match = routes.match(req.method(), req.path());
    try {
      if (!limits.admit(req, () -> metrics.record(req, match.label(), start))) {
        return;
      }
      if (!auth.admit(req, match.open())) {
        return;
      }
      if (match instanceof HttpRoutes.Get get) {
        get.route().answer(req);
      } else if (match instanceof HttpRoutes.Post post) {
        limits.readBody(req, body -> dispatch(req, body, post));
      } else if (match instanceof HttpRoutes.NoRoute none) {
        errors.send(req, none.status(), "no route for " + req.method() + " " + req.path());
      }
    } catch (RuntimeException e) {
      // Whatever went wrong, the client gets an answer rather than a hung connection.
      errors.fail(req, e);
    }
  }

  /** Runs a POST route on its parsed body; the answer is written on the request's event loop. */
  private void dispatch(HttpServerRequest req, Buffer body, HttpRoutes.Post post) {
    Context ctx = Vertx.currentContext();
    Executor onContext = task -> ctx.runOnContext(x -> task.run());
    inFlight.incrementAndGet();
    CompletableFuture<byte[]> result;
    try {
      result = post.route().answer(post.rest(), json.body(body.getBytes()), onContext);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete(
        (bytes, err) -> {
          if (Vertx.currentContext() == ctx) {
            respond(req, bytes, err);
          } else {
            ctx.runOnContext(x -> respond(req, bytes, err));
          }
        });
  }

  private void respond(HttpServerRequest req, byte @Nullable [] bytes, @Nullable Throwable err) {
    try {
      if (err == null) {
        req.response()
            .setStatusCode(200)
            .putHeader("Content-Type", "application/json")
            .end(Buffer.buffer(bytes));
      } else {
        errors.fail(req, err);
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /**
   * The store requests use: with {@link Builder#redisPerLoop}, the one that sends a lookup made on
   * an event loop of this server's Vert.x to that loop's own store (a gRPC server on the same loops
   * serves through it); else the store the server was built with.
   */
  public FeatureStore store() {
    return store;
  }

  /** Requests being read or handled: what {@link ServerOptions#maxConcurrentRequests()} bounds. */
  public int activeRequests() {
    return limits.active();
  }

  /** Requests accepted and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Graceful stop: stops accepting connections and lets requests in flight finish, up to {@code
   * drain} (Vert.x's {@code HttpServer.shutdown}). Leaves the Vert.x instance running.
   */
  public void close(Duration drain) {
    Future.all(servers.stream().map(s -> s.shutdown(drain)).toList()).await();
    servers.clear();
    if (history != null) {
      history.close();
    }
    if (loopStores != null) {
      loopStores.close();
    }
    LOG.debug("HTTP server stopped");
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /** A static file from the jar, cached by browsers for a day. */
  private static HttpRoutes.GetRoute asset(String name, String type) {
    byte[] bytes = resource(name);
    return req ->
        req.response()
            .setStatusCode(200)
            .putHeader("Content-Type", type + "; charset=utf-8")
            .putHeader("Cache-Control", "max-age=86400")
            .end(Buffer.buffer(bytes));
  }

  private static byte[] resource(String name) {
    try (InputStream in = FeatureHttpServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Builder of a {@link FeatureHttpServer}: the Vert.x instance and the store are required; models,
   * the monitoring recorder and query, the metrics registry are each optional (their routes are
   * absent without them); options default to {@link ServerOptions#defaults()}. Not thread-safe.
   */
  public static final class Builder {
    private final Vertx vertx;
    private final FeatureStore store;
    private Models models = new Models();
    private Recorder recorder = NO_RECORDS;
    private @Nullable MonitoringQuery monitoring;
    private @Nullable PrometheusMeterRegistry metrics;
    private @Nullable FeatureFreshness freshness;
    private ServerOptions options = ServerOptions.defaults();
    private @Nullable Supplier<FeastRegistry> feastRegistry;
    private Statuses statuses = Statuses.PYTHON;
    private LoopStores.@Nullable Redis redisPerLoop;

    private Builder(Vertx vertx, FeatureStore store) {
      this.vertx = Objects.requireNonNull(vertx, "vertx");
      this.store = Objects.requireNonNull(store, "store");
    }

    /** The models {@code /infer/{model}} runs; none by default. */
    public Builder models(Models models) {
      this.models = Objects.requireNonNull(models, "models");
      return this;
    }

    /** Records every inference; by default nothing is recorded. */
    public Builder recorder(Recorder recorder) {
      this.recorder = Objects.requireNonNull(recorder, "recorder");
      return this;
    }

    /** Answers {@code /monitor/summary} and enables the dashboard {@code /}. */
    public Builder monitoring(MonitoringQuery monitoring) {
      this.monitoring = Objects.requireNonNull(monitoring, "monitoring");
      return this;
    }

    /** Answers {@code /metrics} and records request latencies. */
    public Builder metrics(PrometheusMeterRegistry metrics) {
      this.metrics = Objects.requireNonNull(metrics, "metrics");
      return this;
    }

    /** Notes the event times lookups serve (shared with the gRPC server). */
    public Builder freshness(FeatureFreshness freshness) {
      this.freshness = Objects.requireNonNull(freshness, "freshness");
      return this;
    }

    /**
     * The Feast registry served (read anew at each request, so a background refresh takes effect at
     * once): adds feature services and push sources, and Feast's own error bodies for Feast's own
     * errors. None by default (inferis's own definitions).
     */
    public Builder feastRegistry(Supplier<FeastRegistry> registry) {
      this.feastRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** How values' statuses are answered; default {@link Statuses#PYTHON}, as Feast's server. */
    public Builder statuses(Statuses statuses) {
      this.statuses = Objects.requireNonNull(statuses, "statuses");
      return this;
    }

    /**
     * Gives each event loop of the server's Vert.x instance a Redis connector of its own, on that
     * loop ({@code url}, {@code options} with {@link RedisOptions.Builder#eventLoop}), and a store
     * over it made by {@code storeOver}, at {@link FeatureHttpServer#start}: the requests a loop
     * reads are looked up, sent to Redis, answered and rendered on that one thread. The store given
     * to {@link FeatureHttpServer#builder} keeps the definitions and serves any other thread. The
     * server closes the stores and connectors it made when it closes. None by default: every
     * request uses the one store.
     */
    public Builder redisPerLoop(
        String url, RedisOptions options, Function<RedisConnector, FeatureStore> storeOver) {
      this.redisPerLoop =
          new LoopStores.Redis(
              Objects.requireNonNull(url, "url"),
              Objects.requireNonNull(options, "options"),
              Objects.requireNonNull(storeOver, "storeOver"));
      return this;
    }

    /** Limits and access control. */
    public Builder options(ServerOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The server; call {@link FeatureHttpServer#start}. */
    public FeatureHttpServer build() {
      return new FeatureHttpServer(this);
    }
  }

  private static final Recorder NO_RECORDS =
      new Recorder() {
        @Override
        public void record(String modelId, InferenceRecord record) {}

        @Override
        public void recordError(String modelId, InferenceRecord request, Throwable error) {}

        @Override
        public String serverId() {
          return "none";
        }
      };
}
