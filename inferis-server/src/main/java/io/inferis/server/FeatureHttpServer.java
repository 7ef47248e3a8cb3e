package io.inferis.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.inferis.features.DeadlineExceededException;
import io.inferis.features.FeatureStore;
import io.inferis.features.OverloadedException;
import io.inferis.features.UnknownFeatureException;
import io.inferis.monitoring.MonitoringQuery;
import io.inferis.monitoring.Recorder;
import io.inferis.monitoring.Scope;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisUnavailableException;
import io.inferis.server.model.Models;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server: Feast's feature-server endpoints plus {@code /health}, on Vert.x, with the
 * limits and bearer-token authentication of its {@link ServerOptions}. Statuses: malformed JSON,
 * bad query strings and undecodable requests 400, a missing or wrong token 401, unknown routes,
 * views, features or models 404, wrong method 405, body or rows over a limit 413, request line too
 * long 414, a valid JSON body that is not a valid request 422, header block too large 431, more
 * requests at once than {@code maxConcurrentRequests} 429 with {@code Retry-After}, store overload
 * or Redis unavailable 503 with {@code Retry-After}, deadline 504; every error body is {@code
 * {"error": "..."}}. {@link #close} stops accepting, then waits for in-flight requests.
 * Thread-safe.
 */
public final class FeatureHttpServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(FeatureHttpServer.class);

  private final Vertx vertx;
  private final FeastHttpApi feast;
  private final InferenceApi inference;
  private final @Nullable MonitoringQuery monitoring;
  private final @Nullable PrometheusMeterRegistry metrics;
  private final ServerOptions options;
  private final Duration summaryWindow;
  private final int maxBodyBytes;
  private final ObjectMapper json;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger active = new AtomicInteger();
  // Registering a meter per request (tags, id, registry lookup) sat on the hot path.
  private final java.util.Map<TimerKey, Timer> timers =
      new java.util.concurrent.ConcurrentHashMap<>();
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();

  /** A server over {@code store} alone (no models, monitoring or metrics); call {@link #start}. */
  public FeatureHttpServer(FeatureStore store, int maxBodyBytes, int maxEntities) {
    this(
        store,
        new Models(),
        null,
        null,
        null,
        ServerOptions.builder().maxBodyBytes(maxBodyBytes).maxEntities(maxEntities).build());
  }

  /** A server over {@code store} alone (no models, monitoring or metrics); call {@link #start}. */
  public FeatureHttpServer(FeatureStore store, ServerOptions options) {
    this(store, new Models(), null, null, null, options);
  }

  /**
   * As {@link #FeatureHttpServer(FeatureStore, Models, Recorder, MonitoringQuery,
   * PrometheusMeterRegistry, ServerOptions)} with the default options but for these three.
   */
  public FeatureHttpServer(
      FeatureStore store,
      Models models,
      @Nullable Recorder recorder,
      @Nullable MonitoringQuery monitoring,
      @Nullable PrometheusMeterRegistry metrics,
      Duration summaryWindow,
      int maxBodyBytes,
      int maxEntities) {
    this(
        store,
        models,
        recorder,
        monitoring,
        metrics,
        ServerOptions.builder()
            .summaryWindow(summaryWindow)
            .maxBodyBytes(maxBodyBytes)
            .maxEntities(maxEntities)
            .build());
  }

  /**
   * A server over {@code store} that also runs {@code models} (recording each inference with {@code
   * recorder}), answers {@code /monitor/summary} from {@code monitoring} and {@code /metrics} from
   * {@code metrics} (each optional), within {@code options}.
   */
  public FeatureHttpServer(
      FeatureStore store,
      Models models,
      @Nullable Recorder recorder,
      @Nullable MonitoringQuery monitoring,
      @Nullable PrometheusMeterRegistry metrics,
      ServerOptions options) {
    this.options = java.util.Objects.requireNonNull(options, "options");
    this.summaryWindow = options.summaryWindow();
    // As many loops as HTTP servers: Vert.x's default (2 per core) leaves the rest idle.
    this.vertx =
        Vertx.vertx(
            new VertxOptions()
                .setEventLoopPoolSize(options.eventLoops())
                .setPreferNativeTransport(true));
    this.feast = new FeastHttpApi(store, options.maxEntities(), options.maxFeatures());
    this.inference =
        new InferenceApi(
            store,
            models,
            recorder != null ? recorder : NO_RECORDS,
            options.maxEntities(),
            options.maxFeatures());
    this.monitoring = monitoring;
    this.metrics = metrics;
    this.maxBodyBytes = options.maxBodyBytes();
    this.json = new ObjectMapper();
    json.getFactory()
        .setStreamReadConstraints(
            StreamReadConstraints.builder()
                .maxNestingDepth(64)
                .maxNumberLength(64)
                .maxStringLength(maxBodyBytes)
                .build());
  }

  /** The dashboard page, served from the jar (no CDN): it polls {@code /monitor/summary}. */
  private static final byte[] DASHBOARD = resource("/io/inferis/server/dashboard/index.html");

  private static byte[] resource(String name) {
    try (java.io.InputStream in = FeatureHttpServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + name);
      }
      return in.readAllBytes();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static final Recorder NO_RECORDS =
      new Recorder() {
        @Override
        public void record(String modelId, io.inferis.monitoring.InferenceRecord record) {}

        @Override
        public void recordError(
            String modelId, io.inferis.monitoring.InferenceRecord request, Throwable error) {}

        @Override
        public String serverId() {
          return "none";
        }
      };

  /**
   * Listens on {@code host:port} (0 picks a free port) with one server per event loop: Vert.x
   * spreads the connections of one port over the servers that share it.
   *
   * @return the bound port
   */
  public int start(String host, int port) {
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
    // Vert.x shares a random port among servers that ask for the same negative port.
    return listen(http, host, port == 0 ? -1 : port, options.eventLoops());
  }

  private int listen(HttpServerOptions http, String host, int port, int instances) {
    AtomicInteger actual = new AtomicInteger();
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
                        .invalidRequestHandler(FeatureHttpServer.this::invalid)
                        .listen(port, host)
                        .onSuccess(
                            s -> {
                              servers.add(s);
                              actual.set(s.actualPort());
                            });
                  }
                },
            new DeploymentOptions().setInstances(instances))
        .await();
    return actual.get();
  }

  /**
   * A request Netty could not decode: Vert.x's own mapping (414, 431, else 400) with our error
   * body; the connection is closed afterwards, since its framing can no longer be trusted.
   */
  private void invalid(HttpServerRequest req) {
    Throwable cause = req.decoderResult().cause();
    int status;
    String message;
    if (cause instanceof io.netty.handler.codec.http.TooLongHttpLineException) {
      status = 414;
      message = "request line over " + options.maxInitialLineLength() + " bytes";
    } else if (cause instanceof io.netty.handler.codec.http.TooLongHttpHeaderException) {
      status = 431;
      message = "request headers over " + options.maxHeaderBytes() + " bytes";
    } else {
      status = 400;
      message = "malformed HTTP request";
    }
    req.response().putHeader("Connection", "close");
    error(req, status, message);
    req.connection().close();
  }

  private void handle(HttpServerRequest req) {
    long start = System.nanoTime();
    AtomicBoolean released = new AtomicBoolean();
    Runnable release =
        () -> {
          if (released.compareAndSet(false, true)) {
            active.decrementAndGet();
          }
        };
    int now = active.incrementAndGet();
    req.response()
        .endHandler(
            v -> {
              release.run();
              timeRequest(req, start);
            });
    req.response().closeHandler(v -> release.run());
    try {
      if (now > options.maxConcurrentRequests()) {
        req.response().putHeader("Retry-After", "1");
        error(
            req, 429, "too many requests at once (limit " + options.maxConcurrentRequests() + ")");
      } else if (authorized(req)) {
        route(req);
      }
    } catch (RuntimeException e) {
      // Whatever went wrong, the client gets an answer rather than a hung connection.
      LOG.error("request {} {} failed", req.method(), req.path(), e);
      if (!req.response().ended()) {
        error(req, 500, "internal error: " + e.getClass().getSimpleName());
      }
    }
  }

  /**
   * With auth on, true if the request may proceed; otherwise answers 401. The header's value is
   * never echoed or logged.
   */
  private boolean authorized(HttpServerRequest req) {
    if (!options.authRequired() || isOpen(req)) {
      return true;
    }
    String header = req.getHeader("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      req.response().putHeader("WWW-Authenticate", "Bearer realm=\"inferis\"");
      error(req, 401, "this server needs 'Authorization: Bearer <token>'");
      return false;
    }
    if (!options.tokenMatches(header.substring(7).trim())) {
      req.response()
          .putHeader("WWW-Authenticate", "Bearer realm=\"inferis\", error=\"invalid_token\"");
      error(req, 401, "the bearer token is not valid");
      return false;
    }
    return true;
  }

  /** Routes that answer without the token: probes, scrapers, and the static dashboard page. */
  private boolean isOpen(HttpServerRequest req) {
    if (req.method() != HttpMethod.GET) {
      return false;
    }
    return switch (req.path()) {
      case "/health" -> options.openHealth();
      case "/metrics" -> options.openMetrics();
      case "/" -> true;
      default -> false;
    };
  }

  private void route(HttpServerRequest req) {
    String path = req.path();
    if (req.method() == HttpMethod.GET && path.equals("/health")) {
      req.response().setStatusCode(200).end();
      return;
    }
    if (req.method() == HttpMethod.GET && path.equals("/") && monitoring != null) {
      req.response()
          .setStatusCode(200)
          .putHeader("Content-Type", "text/html; charset=utf-8")
          .putHeader("Cache-Control", "no-store")
          .end(Buffer.buffer(DASHBOARD));
      return;
    }
    if (req.method() == HttpMethod.GET && path.equals("/metrics") && metrics != null) {
      req.response()
          .setStatusCode(200)
          .putHeader("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
          .end(metrics.scrape());
      return;
    }
    if (req.method() == HttpMethod.GET && path.equals("/monitor/summary") && monitoring != null) {
      summary(req);
      return;
    }
    if (req.method() != HttpMethod.POST) {
      error(
          req,
          req.method() == HttpMethod.GET && isPost(path) ? 405 : 404,
          "no route for " + req.method() + " " + path);
      return;
    }
    BiFunction<JsonNode, Executor, CompletableFuture<byte[]>> route;
    switch (path) {
      case "/get-online-features" -> route = feast::getOnlineFeatures;
      case "/push" -> route = (body, on) -> feast.push(body).thenApply(n -> new byte[0]);
      case "/write-to-online-store" ->
          route = (body, on) -> feast.writeToOnlineStore(body).thenApply(n -> "null".getBytes());
      default -> {
        if (path.startsWith("/infer/") && path.length() > "/infer/".length()) {
          String model = path.substring("/infer/".length());
          route = (body, on) -> inference.infer(model, body, on);
        } else {
          error(req, 404, "no route for POST " + path);
          return;
        }
      }
    }
    String length = req.getHeader("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.trim()) > maxBodyBytes) {
          error(req, 413, "request body over " + maxBodyBytes + " bytes");
          return;
        }
      } catch (NumberFormatException e) {
        error(req, 400, "bad Content-Length");
        return;
      }
    }
    Buffer body = Buffer.buffer();
    boolean[] rejected = {false};
    req.handler(
        chunk -> {
          if (rejected[0]) {
            return;
          }
          if (body.length() + chunk.length() > maxBodyBytes) {
            rejected[0] = true;
            error(req, 413, "request body over " + maxBodyBytes + " bytes");
            return;
          }
          body.appendBuffer(chunk);
        });
    // A body still arriving after bodyTimeout holds a concurrency slot for a slow (or malicious)
    // sender: answer 408 and drop the connection. The timer is armed only while a body is awaited.
    long timer =
        req.isEnded()
            ? -1
            : vertx.setTimer(
                Math.max(1, options.bodyTimeout().toMillis()),
                id -> {
                  if (!req.isEnded() && !req.response().ended()) {
                    rejected[0] = true;
                    req.response().putHeader("Connection", "close");
                    error(
                        req,
                        408,
                        "request body not received within "
                            + options.bodyTimeout().toMillis()
                            + " ms");
                    req.connection().close();
                  }
                });
    req.endHandler(
        v -> {
          if (timer >= 0) {
            vertx.cancelTimer(timer);
          }
          if (!rejected[0]) {
            dispatch(req, body, route);
          }
        });
  }

  private void dispatch(
      HttpServerRequest req,
      Buffer body,
      BiFunction<JsonNode, Executor, CompletableFuture<byte[]>> route) {
    JsonNode node;
    byte[] raw = body.getBytes();
    if (!isUtf8(raw)) {
      // JSON is UTF-8 (RFC 8259). Jackson lets some invalid sequences through in field names (an
      // overlong 0xC0 0x80 became a character), so a name could differ from what the client meant.
      error(req, 400, "the request body is not valid UTF-8");
      return;
    }
    try {
      node = raw.length == 0 ? JsonNodeFactory.instance.nullNode() : json.readTree(raw);
    } catch (JsonProcessingException e) {
      error(req, 400, "malformed JSON: " + e.getOriginalMessage());
      return;
    } catch (java.io.IOException e) {
      error(req, 400, "unreadable body");
      return;
    }
    Context ctx = Vertx.currentContext();
    Executor onContext = task -> ctx.runOnContext(x -> task.run());
    inFlight.incrementAndGet();
    CompletableFuture<byte[]> result;
    try {
      result = route.apply(node, onContext);
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
        failure(req, err);
      }
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void failure(HttpServerRequest req, Throwable err) {
    Throwable e =
        err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
    if (e instanceof BadRequestException b) {
      error(req, b.status(), b.getMessage());
    } else if (e instanceof UnknownFeatureException) {
      error(req, 404, e.getMessage());
    } else if (e instanceof IllegalArgumentException) {
      error(req, 422, e.getMessage());
    } else if (e instanceof OverloadedException) {
      req.response().putHeader("Retry-After", "1");
      error(req, 503, e.getMessage());
    } else if (e instanceof DeadlineExceededException) {
      error(req, 504, e.getMessage());
    } else if (e instanceof RedisUnavailableException) {
      req.response().putHeader("Retry-After", "1");
      error(req, 503, e.getMessage());
    } else {
      LOG.error("request {} {} failed", req.method(), req.path(), e);
      error(req, 500, "internal error: " + e.getClass().getSimpleName());
    }
  }

  private void summary(HttpServerRequest req) {
    Scope scope;
    String scopeParam;
    String w;
    try {
      scopeParam = req.getParam("scope", "server");
      w = req.getParam("window");
    } catch (IllegalArgumentException e) {
      // Vert.x decodes the query lazily and throws on bad percent-encoding.
      error(req, 400, "malformed query string");
      return;
    }
    switch (scopeParam) {
      case "server" -> scope = Scope.SERVER;
      case "all" -> scope = Scope.ALL;
      default -> {
        error(req, 400, "scope must be server or all, was '" + scopeParam + "'");
        return;
      }
    }
    Duration window;
    try {
      window = w == null ? null : parseWindow(w);
    } catch (IllegalArgumentException e) {
      error(req, 400, e.getMessage());
      return;
    }
    Duration chosen = window != null ? window : summaryWindow;
    Context ctx = Vertx.currentContext();
    // The summary reads Redis: off the event loop.
    vertx
        .executeBlocking(() -> json.writeValueAsBytes(monitoring.summary(scope, chosen)))
        .onComplete(
            ar ->
                ctx.runOnContext(
                    x -> {
                      if (ar.succeeded()) {
                        req.response()
                            .setStatusCode(200)
                            .putHeader("Content-Type", "application/json")
                            .end(Buffer.buffer(ar.result()));
                      } else {
                        failure(req, ar.cause());
                      }
                    }));
  }

  /** {@code 90s}, {@code 5m}, {@code 1h} or seconds; between 1 s and 1 day. */
  static Duration parseWindow(String w) {
    try {
      Duration d;
      if (w.matches("\\d+")) {
        d = Duration.ofSeconds(Long.parseLong(w));
      } else if (w.matches("\\d+[smh]")) {
        long v = Long.parseLong(w.substring(0, w.length() - 1));
        char unit = w.charAt(w.length() - 1);
        d =
            unit == 's'
                ? Duration.ofSeconds(v)
                : unit == 'm' ? Duration.ofMinutes(v) : Duration.ofHours(v);
      } else {
        throw new IllegalArgumentException();
      }
      if (d.compareTo(Duration.ofSeconds(1)) < 0 || d.compareTo(Duration.ofDays(1)) > 0) {
        throw new IllegalArgumentException();
      }
      return d;
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException(
          "window must be like 90s, 5m or 1h (1 s to 1 day), was '" + w + "'");
    }
  }

  private void timeRequest(HttpServerRequest req, long start) {
    if (metrics == null) {
      return;
    }
    String path = req.path();
    String route =
        path.startsWith("/infer/")
            ? "/infer"
            : switch (path) {
              case "/",
                  "/get-online-features",
                  "/push",
                  "/write-to-online-store",
                  "/health",
                  "/metrics",
                  "/monitor/summary" ->
                  path;
              default -> "other";
            };
    TimerKey key = new TimerKey(route, methodTag(req.method()), req.response().getStatusCode());
    timers
        .computeIfAbsent(
            key,
            k ->
                Timer.builder("inferis.http.requests")
                    .description("HTTP requests by route and status")
                    .tag("route", k.route())
                    .tag("method", k.method())
                    .tag("status", Integer.toString(k.status()))
                    .register(metrics))
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }

  /** A request timer's tags; routes, methods and statuses are closed sets, so the map is small. */
  private record TimerKey(String route, String method, int status) {}

  /** Known methods by name, any other as {@code other}: clients must not mint meters. */
  private static String methodTag(HttpMethod method) {
    return switch (method.name()) {
      case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH" -> method.name();
      default -> "other";
    };
  }

  private void error(HttpServerRequest req, int status, String message) {
    if (req.response().ended() || req.response().closed()) {
      return; // answered already (say, 413 mid-body), or the client went away
    }
    String body = json.createObjectNode().put("error", message).toString();
    req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body);
  }

  private static boolean isUtf8(byte[] bytes) {
    // Request bodies are nearly always ASCII: check that without decoding the body a second time
    // (Jackson decodes it anyway); only other bodies go through the strict decoder.
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return true;
    }
    try {
      java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
          .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (java.nio.charset.CharacterCodingException e) {
      return false;
    }
  }

  private static boolean isPost(String path) {
    return path.equals("/get-online-features")
        || path.equals("/push")
        || path.equals("/write-to-online-store");
  }

  /** Requests being read or handled: what {@code maxConcurrentRequests} bounds. */
  public int activeRequests() {
    return active.get();
  }

  /** Requests accepted and not yet answered. */
  public int inFlight() {
    return inFlight.get();
  }

  /**
   * Graceful stop: stops accepting connections, lets requests in flight finish (up to {@code
   * drain}; Vert.x's {@code HttpServer.shutdown}), then stops Vert.x.
   */
  public void close(Duration drain) {
    Future.all(servers.stream().map(s -> s.shutdown(drain)).toList()).await();
    vertx.close().await();
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }
}
