package io.inferis.server.cli;

import io.inferis.audit.KeyAudit;
import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.monitoring.Monitor;
import io.inferis.monitoring.Monitoring;
import io.inferis.monitoring.MonitoringOptions;
import io.inferis.redis.NetTransport;
import io.inferis.redis.RedisConnector;
import io.inferis.server.Demo;
import io.inferis.server.FeatureHttpServer;
import io.inferis.server.KeyTtlWatch;
import io.inferis.server.ServerOptions;
import io.inferis.server.feast.FeatureFreshness;
import io.inferis.server.feast.Statuses;
import io.inferis.server.grpc.FeastGrpcServer;
import io.inferis.server.model.Models;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inferis serve}: Feast's feature-server API over the in-memory store or Redis, for a Feast
 * repository as it is, an inferis YAML, or the demo.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = "Serve Feast's feature-server HTTP API (in memory, or on Redis with --redis).")
public final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RedisSecurityFlags redisSecurity;

  @Mixin FeastRepoFlags feastRepo;

  @Option(
      names = "--statuses",
      defaultValue = "${env:INFERIS_STATUSES:-python}",
      converter = StatusesConverter.class,
      description =
          "python: every value PRESENT, as Feast's Python server answers; precise: NOT_FOUND,"
              + " NULL_VALUE, OUTSIDE_MAX_AGE as Feast's serving protobuf (env INFERIS_STATUSES;"
              + " default ${DEFAULT-VALUE}).")
  Statuses statuses;

  @Option(
      names = "--port",
      defaultValue = "${env:INFERIS_PORT:-6566}",
      description = "HTTP port (env INFERIS_PORT; default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--grpc-port",
      defaultValue = "${env:INFERIS_GRPC_PORT:-50051}",
      description =
          "gRPC port of Feast's serving API (feast.serving.ServingService, GrpcFeatureServer);"
              + " 'off' serves HTTP only (env INFERIS_GRPC_PORT; default ${DEFAULT-VALUE}, as"
              + " feast listen).")
  String grpcPort;

  @Option(
      names = "--host",
      defaultValue = "${env:INFERIS_HOST:-0.0.0.0}",
      description = "Bind address (env INFERIS_HOST; default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--redis",
      defaultValue = "${env:INFERIS_REDIS_URL}",
      description = "Redis URL (env INFERIS_REDIS_URL); absent: in-memory store.")
  @Nullable String redis;

  @Option(
      names = "--repo",
      defaultValue = "${env:INFERIS_REPO}",
      description = "feature_repo.yaml (env INFERIS_REPO).")
  @Nullable Path repo;

  @Option(
      names = "--demo",
      description = "Serve the driver-stats demo project, loaded into the store.")
  boolean demo;

  @Option(
      names = "--server-id",
      defaultValue = "${env:INFERIS_SERVER_ID}",
      description = "This server's id (env INFERIS_SERVER_ID).")
  @Nullable String serverId;

  @Option(
      names = "--models",
      defaultValue = "${env:INFERIS_MODELS}",
      description = "Directory of model files (*.json; env INFERIS_MODELS).")
  @Nullable Path modelsDir;

  @Option(
      names = "--metrics-interval",
      defaultValue = "${env:INFERIS_METRICS_INTERVAL:-60}",
      description =
          "Monitoring report interval in seconds; the window is twice it (default ${DEFAULT-VALUE}).")
  long metricsIntervalSeconds;

  @Option(
      names = "--key-watch-interval",
      defaultValue = "${env:INFERIS_KEY_WATCH_INTERVAL:-window}",
      description =
          "Seconds between counts of the monitoring keys without a TTL (one server of a fleet"
              + " scans, every server exports the count), at most the monitoring window so the"
              + " watch's own keys expire with it; 'window' (default) or 0 (off).")
  String keyWatch;

  @Option(
      names = "--report-url",
      defaultValue = "${env:INFERIS_REPORT_URL}",
      description = "Where to POST each window's monitoring report (env INFERIS_REPORT_URL).")
  @Nullable String reportUrl;

  @Option(
      names = "--max-body-bytes",
      defaultValue = "${env:INFERIS_MAX_BODY_BYTES:-1048576}",
      description = "Largest request body; larger gets 413 (default ${DEFAULT-VALUE}).")
  int maxBodyBytes;

  @Option(
      names = "--max-entities",
      defaultValue = "${env:INFERIS_MAX_ENTITIES:-1000}",
      description = "Most entity rows per request (default ${DEFAULT-VALUE}).")
  int maxEntities;

  @Option(
      names = "--max-features",
      defaultValue = "${env:INFERIS_MAX_FEATURES:-1000}",
      description = "Most features per lookup, inputs per /infer row (default ${DEFAULT-VALUE}).")
  int maxFeatures;

  @Option(
      names = "--max-header-bytes",
      defaultValue = "${env:INFERIS_MAX_HEADER_BYTES:-16384}",
      description = "Largest request header block; larger gets 431 (default ${DEFAULT-VALUE}).")
  int maxHeaderBytes;

  @Option(
      names = "--max-request-line-bytes",
      defaultValue = "${env:INFERIS_MAX_REQUEST_LINE_BYTES:-8192}",
      description =
          "Longest request line (method, URI); longer gets 414 (default ${DEFAULT-VALUE}).")
  int maxRequestLineBytes;

  @Option(
      names = "--max-concurrent-requests",
      defaultValue = "${env:INFERIS_MAX_CONCURRENT_REQUESTS:-512}",
      description =
          "Requests handled at once; one more gets 429 + Retry-After (default ${DEFAULT-VALUE}).")
  int maxConcurrentRequests;

  @Option(
      names = "--idle-timeout",
      defaultValue = "${env:INFERIS_IDLE_TIMEOUT:-60}",
      description = "Close connections idle this many seconds (default ${DEFAULT-VALUE}).")
  long idleTimeoutSeconds;

  @Option(
      names = "--body-timeout",
      defaultValue = "${env:INFERIS_BODY_TIMEOUT_MS:-10000}",
      description =
          "408 when a request body has not arrived this many ms after its headers"
              + " (default ${DEFAULT-VALUE}).")
  long bodyTimeoutMs;

  @Option(
      names = "--event-loops",
      defaultValue = "${env:INFERIS_EVENT_LOOPS:-0}",
      description = "HTTP event loops (env INFERIS_EVENT_LOOPS; default: one per processor).")
  int eventLoops;

  // No ${DEFAULT-VALUE} in these two descriptions: help output must never show the token.
  @Option(
      names = "--auth-token",
      defaultValue = "${env:INFERIS_AUTH_TOKEN}",
      description =
          "Require 'Authorization: Bearer <token>' (env INFERIS_AUTH_TOKEN; prefer"
              + " --auth-token-file, argv is visible to other users).")
  @Nullable String authToken;

  @Option(
      names = "--auth-token-file",
      defaultValue = "${env:INFERIS_AUTH_TOKEN_FILE}",
      description = "Read the bearer token from this file (env INFERIS_AUTH_TOKEN_FILE).")
  @Nullable Path authTokenFile;

  @Option(
      names = "--open-health",
      negatable = true,
      defaultValue = "${env:INFERIS_OPEN_HEALTH:-true}",
      fallbackValue = "true",
      description =
          "With auth on, /health still answers without a token (default ${DEFAULT-VALUE}).")
  boolean openHealth;

  @Option(
      names = "--open-metrics",
      negatable = true,
      defaultValue = "${env:INFERIS_OPEN_METRICS:-false}",
      fallbackValue = "true",
      description = "With auth on, /metrics answers without a token (default ${DEFAULT-VALUE}).")
  boolean openMetrics;

  @Option(
      names = "--in-flight-limit",
      defaultValue = "${env:INFERIS_IN_FLIGHT_LIMIT:-256}",
      description = "Lookups in flight at once (default ${DEFAULT-VALUE}).")
  int inFlightLimit;

  @Option(
      names = "--coalesce-reads",
      negatable = true,
      defaultValue = "${env:INFERIS_COALESCE_READS:-false}",
      fallbackValue = "true",
      description =
          "Concurrent lookups of the same entity and features share one Redis read"
              + " (default ${DEFAULT-VALUE}).")
  boolean coalesceReads;

  @Option(
      names = "--redis-per-loop",
      negatable = true,
      defaultValue = "${env:INFERIS_REDIS_PER_LOOP:-true}",
      fallbackValue = "true",
      description =
          "Each HTTP event loop reads Redis on a connection per node of its own, on that loop:"
              + " a lookup runs on one thread (default ${DEFAULT-VALUE}; off: one shared"
              + " connection per node, the in-flight limit and read coalescing process-wide).")
  boolean redisPerLoop;

  @Option(
      names = "--transport",
      defaultValue = "${env:INFERIS_TRANSPORT:-auto}",
      description =
          "Network transport of Redis connections, HTTP and gRPC: auto (io_uring where the kernel"
              + " allows it, else epoll, else nio), io_uring, epoll or nio (env INFERIS_TRANSPORT;"
              + " default ${DEFAULT-VALUE}).")
  String transport;

  @Option(
      names = "--request-timeout",
      defaultValue = "${env:INFERIS_REQUEST_TIMEOUT_MS:-1000}",
      description = "Lookup deadline in ms (default ${DEFAULT-VALUE}).")
  long requestTimeoutMs;

  /** The HTTP limits and access control from the flags; usage errors never echo the token. */
  private ServerOptions serverOptions() {
    if (authToken != null && !authToken.isEmpty() && authTokenFile != null) {
      throw new ParameterException(
          spec.commandLine(), "give --auth-token or --auth-token-file, not both");
    }
    String token = authToken != null && !authToken.isEmpty() ? authToken : null;
    if (authTokenFile != null) {
      try {
        token = Files.readString(authTokenFile).strip();
      } catch (IOException | RuntimeException e) {
        throw new ParameterException(
            spec.commandLine(), "cannot read --auth-token-file " + authTokenFile);
      }
    }
    try {
      return ServerOptions.builder()
          .maxBodyBytes(maxBodyBytes)
          .maxEntities(maxEntities)
          .maxFeatures(maxFeatures)
          .maxHeaderBytes(maxHeaderBytes)
          .maxInitialLineLength(maxRequestLineBytes)
          .maxConcurrentRequests(maxConcurrentRequests)
          .eventLoops(eventLoops == 0 ? ServerOptions.DEFAULT_EVENT_LOOPS : eventLoops)
          .idleTimeout(Duration.ofSeconds(idleTimeoutSeconds))
          .bodyTimeout(Duration.ofMillis(bodyTimeoutMs))
          .authToken(token)
          .openHealth(openHealth)
          .openMetrics(openMetrics)
          .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** Fixes the process's transport as {@code --transport} says, before anything connects. */
  private void chooseTransport() {
    String t = transport.trim().toLowerCase(Locale.ROOT);
    NetTransport wanted = null;
    if (!t.equals("auto")) {
      try {
        wanted = NetTransport.valueOf(t.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(
            spec.commandLine(),
            "--transport must be auto, io_uring, epoll or nio, was '" + transport + "'");
      }
    }
    if (wanted != null) {
      try {
        NetTransport.use(wanted);
      } catch (IllegalStateException e) {
        throw new ParameterException(
            spec.commandLine(), "--transport " + t + ": " + e.getMessage() + " (try auto)");
      }
    }
  }

  /** The gRPC port asked for, or null for {@code off}. */
  private @Nullable Integer grpcPort() {
    if (grpcPort.equalsIgnoreCase("off")) {
      return null;
    }
    try {
      int p = Integer.parseInt(grpcPort.trim());
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new ParameterException(
        spec.commandLine(), "--grpc-port must be 0-65535 or off, was '" + grpcPort + "'");
  }

  /** {@code --key-watch-interval}: the window, zero (off), or seconds up to the window. */
  private Duration keyWatchPeriod(Duration window) {
    if (keyWatch.equals("window")) {
      return window;
    }
    try {
      long seconds = Long.parseLong(keyWatch);
      if (seconds >= 0 && seconds <= window.toSeconds()) {
        return Duration.ofSeconds(seconds);
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw new ParameterException(
        spec.commandLine(),
        "--key-watch-interval must be 'window', 0 (off) or 1-"
            + window.toSeconds()
            + " seconds (the monitoring window), was '"
            + keyWatch
            + "'");
  }

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port must be 0-65535, was " + port);
    }
    chooseTransport();
    Integer grpcPortNumber = grpcPort();
    if (inFlightLimit < 1 || requestTimeoutMs < 1 || metricsIntervalSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "limits must be positive");
    }
    ServerOptions serverOptions = serverOptions();
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ServedStore served =
        ServedStore.open(
            spec,
            demo,
            repo,
            feastRepo,
            redis,
            redisSecurity,
            FeatureStoreOptions.builder()
                .inFlightLimit(inFlightLimit)
                .requestDeadline(Duration.ofMillis(requestTimeoutMs))
                .coalesceReads(coalesceReads)
                .meterRegistry(metrics),
            metrics);
    RedisConnector connector = served.connector;
    FeatureStore store = served.store;
    Models models;
    try {
      models = modelsDir != null ? Models.load(modelsDir) : new Models();
    } catch (IllegalArgumentException | IOException e) {
      throw new ParameterException(spec.commandLine(), "--models: " + e.getMessage());
    }
    if (demo) {
      models.register(Models.driverRisk());
    }
    Cache monitorCache = connector == null ? Caches.memory() : Caches.redis(connector);
    MonitoringOptions.Builder monitorOptions =
        MonitoringOptions.builder()
            .serverId(serverId)
            .reportInterval(Duration.ofSeconds(metricsIntervalSeconds))
            .meterRegistry(metrics);
    if (reportUrl != null && !reportUrl.isBlank()) {
      try {
        monitorOptions.reportUrl(URI.create(reportUrl));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--report-url: " + e.getMessage());
      }
    }
    MonitoringOptions builtMonitorOptions;
    try {
      builtMonitorOptions = monitorOptions.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    Duration keyWatchPeriod = keyWatchPeriod(builtMonitorOptions.window());
    Monitor monitor = Monitoring.start(monitorCache, builtMonitorOptions);
    KeyTtlWatch keyWatch =
        connector == null || keyWatchPeriod.isZero()
            ? null
            : new KeyTtlWatch(
                monitorCache,
                builtMonitorOptions.prefix(),
                keyWatchPeriod,
                KeyAudit.of(connector)::scan,
                metrics);
    Vertx vertx = FeatureHttpServer.newVertx(serverOptions);
    FeatureHttpServer.Builder builder = FeatureHttpServer.builder(vertx, store);
    FeatureFreshness freshness = new FeatureFreshness(metrics, java.time.InstantSource.system());
    if (served.registry != null) {
      builder.feastRegistry(served.registry);
    }
    // Each HTTP event loop reads Redis on a connector of its own, on that loop (docs/DESIGN.md).
    if (redisPerLoop) {
      served.servePerLoop(builder, serverOptions.eventLoops());
    }
    FeatureHttpServer server =
        builder
            .models(models)
            .recorder(monitor)
            .monitoring(monitor)
            .metrics(metrics)
            .freshness(freshness)
            .statuses(statuses)
            .options(
                serverOptions.toBuilder()
                    .summaryWindow(Duration.ofSeconds(2 * metricsIntervalSeconds))
                    .build())
            .build();
    int bound = server.start(host, port);
    String base = "http://localhost:" + bound;
    FeastGrpcServer grpc = null;
    if (grpcPortNumber != null) {
      // With a connector per HTTP loop, gRPC serves on those loops through the same stores.
      FeastGrpcServer.Builder grpcBuilder =
          FeastGrpcServer.builder(server.store())
              .statuses(statuses)
              .options(serverOptions)
              .metrics(metrics)
              .freshness(freshness)
              .serveOnLoopsOf(connector)
              .version(new InferisCommand.Version().getVersion()[0]);
      if (connector != null && redisPerLoop) {
        grpcBuilder.serveOnVertxLoops(vertx);
      }
      if (served.registry != null) {
        grpcBuilder.feastRegistry(served.registry);
      }
      grpc = grpcBuilder.build();
      try {
        grpcPortNumber = grpc.start(host, grpcPortNumber);
      } catch (java.io.UncheckedIOException e) {
        server.close(Duration.ZERO);
        vertx.close().await();
        monitor.close();
        monitorCache.close();
        served.close();
        throw new ParameterException(
            spec.commandLine(),
            "--grpc-port "
                + grpcPort
                + ": "
                + e.getCause().getMessage()
                + " (another port, or --grpc-port off)");
      }
    }
    var out = spec.commandLine().getOut();
    out.println(
        "inferis serving project '"
            + served.project
            + "' on "
            + base
            + " (store: "
            + served.describe()
            + ")");
    if (served.registry != null) {
      var r = served.registry.get();
      out.println(
          "Feast registry "
              + served.registry.source()
              + ": "
              + r.repo().views().size()
              + " feature views, "
              + r.featureServices().size()
              + " feature services, "
              + r.pushSources().size()
              + " push sources"
              + (r.unservable().isEmpty() ? "" : "; not served: " + r.unservable().keySet())
              + "; statuses "
              + statuses.name().toLowerCase(java.util.Locale.ROOT));
    }
    if (grpc != null) {
      out.println(
          "gRPC on localhost:"
              + grpcPortNumber
              + ": feast.serving.ServingService, GrpcFeatureServer, grpc.health.v1.Health,"
              + " reflection");
    }
    out.println(
        "network: "
            + NetTransport.ofConnections().label()
            + " (Redis, HTTP and gRPC), "
            + serverOptions.eventLoops()
            + " event loops");
    out.println("monitoring as server '" + monitor.serverId() + "'; models: " + models.names());
    out.println(
        serverOptions.authRequired()
            ? "auth: bearer token required (open without it: "
                + (openHealth ? "/health " : "")
                + (openMetrics ? "/metrics " : "")
                + "and the dashboard page / with its chart library)"
            : "auth: off (every route is open; set --auth-token-file to require a token)");
    if (demo) {
      out.println("Try:");
      out.println(Demo.curlLines(base));
    }
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    FeastGrpcServer grpcServer = grpc;
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  // SIGTERM: both servers stop accepting and drain their requests at once, then
                  // the store closes.
                  Thread grpcDrain =
                      new Thread(
                          () -> {
                            if (grpcServer != null) {
                              grpcServer.close(Duration.ofSeconds(10));
                            }
                          },
                          "inferis-grpc-drain");
                  grpcDrain.start();
                  server.close(Duration.ofSeconds(10));
                  try {
                    grpcDrain.join();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                  vertx.close().await();
                  if (keyWatch != null) {
                    keyWatch.close();
                  }
                  monitor.close(); // flushes queued records and sends the final report
                  monitorCache.close();
                  served.close();
                  stopped.countDown();
                },
                "inferis-shutdown"));
    stopped.await();
    return 0;
  }
}
