package io.inferis.bench;

import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.NetTransport;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.server.FeatureHttpServer;
import io.inferis.server.ServerOptions;
import io.inferis.server.feast.FeatureFreshness;
import io.inferis.server.grpc.FeastGrpcMethods;
import io.inferis.server.grpc.FeastGrpcServer;
import io.inferis.testing.RedisNode;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The wire costs of one lookup, side by side in one run (issue 17): direct async calls, HTTP {@code
 * /get-online-features} (wrk), gRPC {@code GetOnlineFeatures} (a Java client on a fixed number of
 * channels) and the same server's {@code GET /health} (wrk), on the same data and 64 requests in
 * flight, for (a) 1 entity × 3 features and (b) 100 entities × 10 features; and the same HTTP
 * lookups of the in-memory store, which part of a lookup's cost is Redis's. The server (HTTP and
 * gRPC, one store) runs in this JVM and every client in a process of its own, so this JVM's CPU per
 * request is the server's. Then the three lookup paths again, paced at the same rate, for their p99
 * at equal load.
 */
public final class WireLoad {

  private WireLoad() {}

  public static void main(String[] args) {
    CliMain.run(new Cli(), args);
  }

  @Command(
      name = "WireLoad",
      mixinStandardHelpOptions = true,
      description =
          "Direct calls, HTTP, gRPC and their servers' floors side by side (needs wrk, h2load).")
  private static final class Cli implements Callable<Integer> {
    @Option(names = "--seconds", defaultValue = "8", description = "Measured seconds per run.")
    double seconds;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; tables show medians.")
    int rounds;

    @Option(
        names = "--scenarios",
        split = ",",
        defaultValue = "a,b",
        description = "a: 1 entity x 3 features; b: 100 entities x 10 features.")
    List<String> scenarios;

    @Option(
        names = "--warmup",
        defaultValue = "15",
        description = "Seconds of a discarded first run of each path (the server's JIT).")
    double warmup;

    @Option(
        names = "--rate",
        defaultValue = "2000",
        description =
            "Paced requests/s for the p99 comparison, at most half the slowest path's closed-loop"
                + " rate: a load every client sustains on 2 cores (paced clients spend 90-240 µs of"
                + " CPU per request here, on the cores the server uses).")
    double rate;

    @Option(
        names = "--paths",
        split = ",",
        defaultValue = "health,http,shared,memory,grpc,direct,h2,h2shared,h2health",
        description =
            "Some of health, http, memory (HTTP lookups of the in-memory store: the lookup"
                + " without Redis), shared (HTTP on one Redis connector, not one per event loop),"
                + " grpc, direct, h2 (gRPC by h2load), h2shared (h2 on the shared connector's"
                + " loops), h2health (gRPC Health/Check"
                + " by h2load), metered (HTTP with every meter on; with http alone: the on/off"
                + " ratio); the paced comparison and the ratios need health, http, grpc, direct.")
    List<String> paths;

    @Option(names = "--out", defaultValue = "target/wire.md", description = "The markdown table.")
    Path out;

    @Override
    public Integer call() throws Exception {
      if (seconds <= 0 || rounds < 1 || warmup < 0 || rate <= 0) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--seconds, --rounds, --rate must be positive");
      }
      // Fixed before the bench's own Redis clients connect, as serve fixes it.
      System.out.println("network transport: " + NetTransport.ofConnections().label());
      String table = run(this);
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, table, StandardCharsets.UTF_8);
      System.out.println("tables written to " + out); // each printed as its scenario ended
      return 0;
    }
  }

  /** The paced rate's bound: this share of the slowest lookup path's closed-loop rate. */
  private static final double PACED_SHARE = 0.5;

  /** One measured run: requests/s, p50, p99 and CPU per request (server's, or the library's). */
  private record Run(double perSecond, double p50Ms, double p99Ms, double cpuMicros) {}

  private static String run(Cli o) throws Exception {
    FeatureRepo repo = BenchData.repo();
    StringBuilder md = new StringBuilder();
    try (RedisNode redis = RedisNode.start("bench-wire")) {
      BenchData.load(redis.uri(), repo);
      PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      RedisOptions meteredRedis = RedisOptions.builder().meterRegistry(meters).build();
      FeatureStoreOptions meteredOptions =
          HttpServerPath.options().toBuilder().meterRegistry(meters).build();
      try (RedisConnector connector = RedisConnector.connect(redis.uri());
          FeatureStore store = HttpServerPath.store(repo, connector);
          RedisConnector meteredConnector = RedisConnector.connect(redis.uri(), meteredRedis);
          FeatureStore memoryStore = FeatureStores.memory(repo, HttpServerPath.options());
          FeatureStore meteredStore = FeatureStores.redis(repo, meteredConnector, meteredOptions)) {
        ServerOptions options = ServerOptions.defaults();
        Vertx vertx = FeatureHttpServer.newVertx(options);
        // As `inferis serve` runs: each event loop reads Redis on a connector of its own, on it.
        FeatureHttpServer http =
            FeatureHttpServer.builder(vertx, store)
                .options(options)
                .redisPerLoop(
                    redis.uri(), RedisOptions.defaults(), c -> HttpServerPath.store(repo, c))
                .build();
        // The same server on the one shared connector (its own loops): what a loop's own connector
        // saves.
        FeatureHttpServer shared = FeatureHttpServer.builder(vertx, store).options(options).build();
        // The same server over the same rows in memory: what a lookup costs without Redis.
        BenchData.load(memoryStore);
        FeatureHttpServer inMemory =
            FeatureHttpServer.builder(vertx, memoryStore).options(options).build();
        // The same server with every meter on: requests, Feast's meters, freshness, lookups by
        // outcome, Redis commands per node, and the dashboard's history sampling them.
        FeatureHttpServer metered =
            FeatureHttpServer.builder(vertx, meteredStore)
                .options(options)
                .redisPerLoop(
                    redis.uri(), meteredRedis, c -> FeatureStores.redis(repo, c, meteredOptions))
                .metrics(meters)
                .freshness(new FeatureFreshness(meters, java.time.InstantSource.system()))
                .build();
        // Its own registry: h2load counts HTTP statuses, gRPC's codes are read here.
        PrometheusMeterRegistry grpcMeters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // As `inferis serve` runs: on the HTTP server's loops, through their own connectors.
        FeastGrpcServer grpc =
            FeastGrpcServer.builder(http.store())
                .options(options)
                .metrics(grpcMeters)
                .serveOnVertxLoops(vertx)
                .build();
        // On the one shared connector's loops: what the loops' own connectors save.
        FeastGrpcServer grpcShared =
            FeastGrpcServer.builder(store)
                .options(options)
                .metrics(grpcMeters)
                .serveOnLoopsOf(connector)
                .build();
        String base = "http://127.0.0.1:" + http.start("127.0.0.1", 0);
        String meteredBase = "http://127.0.0.1:" + metered.start("127.0.0.1", 0);
        String memoryBase = "http://127.0.0.1:" + inMemory.start("127.0.0.1", 0);
        String sharedBase = "http://127.0.0.1:" + shared.start("127.0.0.1", 0);
        String grpcTarget = "127.0.0.1:" + grpc.start("127.0.0.1", 0);
        String grpcSharedTarget = "127.0.0.1:" + grpcShared.start("127.0.0.1", 0);
        Server server =
            new Server(
                redis,
                base,
                grpcTarget,
                grpcSharedTarget,
                meteredBase,
                memoryBase,
                sharedBase,
                grpcMeters);
        try {
          md.append("median of ")
              .append(o.rounds)
              .append(" rounds of ")
              .append(o.seconds)
              .append(" s, 64 in flight; server on ")
              .append(options.eventLoops())
              .append(" event loops\n");
          System.out.print(md);
          for (String name : o.scenarios) {
            String table = scenario(server, WireScenario.named(name), o);
            System.out.println(table); // a later scenario's failure must not lose this one
            md.append(table);
          }
        } finally {
          grpc.close();
          grpcShared.close();
          http.close(java.time.Duration.ofSeconds(5));
          metered.close(java.time.Duration.ofSeconds(5));
          inMemory.close(java.time.Duration.ofSeconds(5));
          shared.close(java.time.Duration.ofSeconds(5));
          vertx.close().await();
        }
      }
    }
    return md.toString();
  }

  /** Where the server listens. */
  private record Server(
      RedisNode redis,
      String base,
      String grpcTarget,
      String grpcSharedTarget,
      String meteredBase,
      String memoryBase,
      String sharedBase,
      PrometheusMeterRegistry grpcMeters) {}

  private static String scenario(Server s, WireScenario sc, Cli o) throws Exception {
    Map<String, List<Run>> runs = new LinkedHashMap<>();
    for (String path : o.paths) {
      runs.put(path, new ArrayList<>());
      run(s, sc, path, o.warmup, 0); // the server's JIT warms for this path
    }
    for (int r = 0; r < o.rounds; r++) {
      for (String path : runs.keySet()) {
        runs.get(path).add(run(s, sc, path, o.seconds, 0));
      }
    }
    Map<String, Run> median = new LinkedHashMap<>();
    runs.forEach((path, list) -> median.put(path, median(list)));
    // The paced comparison is (a)'s: (b) keeps a paced client's JVM busy for 1-1.5 ms of CPU per
    // call on the server's cores, and its stalls overflow the store's in-flight limit at any rate.
    if (!median.keySet().containsAll(List.of("health", "http", "grpc", "direct"))
        || sc.entities() > 1) {
      StringBuilder md = new StringBuilder("\n### " + sc.name() + "\n\n");
      pairedRatios(md, runs);
      median.forEach(
          (path, m) ->
              md.append(
                  String.format(
                      Locale.ROOT,
                      "%s: %,.0f requests/s, p50 %s ms, p99 %s ms, %.1f µs CPU/request%n",
                      label(path),
                      m.perSecond(),
                      millis(m.p50Ms(), path),
                      millis(m.p99Ms(), path),
                      m.cpuMicros())));
      return md.toString();
    }
    // Paced below what every path sustains here: (b) serves ~1-2k requests/s closed loop, and a
    // path paced beyond its capacity measures its queue, not its latency.
    double rate =
        Math.min(
            o.rate,
            PACED_SHARE
                * List.of("direct", "http", "grpc").stream()
                    .mapToDouble(p -> median.get(p).perSecond())
                    .min()
                    .orElseThrow());
    Map<String, List<Run>> paced = new LinkedHashMap<>();
    for (int r = 0; r < o.rounds; r++) {
      for (String path : List.of("direct", "http", "grpc")) {
        paced.computeIfAbsent(path, k -> new ArrayList<>()).add(run(s, sc, path, o.seconds, rate));
      }
    }
    StringBuilder md = new StringBuilder();
    md.append("\n### ").append(sc.name()).append("\n\n");
    md.append(
        "| path | requests/s | p50 ms | p99 ms | CPU µs per request | ratio |\n"
            + "| --- | ---: | ---: | ---: | ---: | --- |\n");
    Run health = median.get("health");
    Run direct = median.get("direct");
    for (Map.Entry<String, Run> e : median.entrySet()) {
      Run m = e.getValue();
      String ratio =
          switch (e.getKey()) {
            // Server CPU per request, /health's over the lookup's: the ratio the throughput one
            // tends to where the clients and Redis have cores of their own.
            case "http", "memory", "shared" -> vsFloor(m, health, "/health");
            // h2health: the gRPC transport's own ceiling here, no lookup can pass the empty call.
            case "grpc", "h2health", "h2shared" -> vsDirect(m, direct);
            case "h2" ->
                vsDirect(m, direct)
                    + (median.containsKey("h2health")
                        ? ", " + vsFloor(m, median.get("h2health"), "Health/Check")
                        : "");
            default -> "";
          };
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %s | %s | %.1f%s | %s |%n",
              label(e.getKey()),
              m.perSecond(),
              millis(m.p50Ms(), e.getKey()),
              millis(m.p99Ms(), e.getKey()),
              m.cpuMicros(),
              e.getKey().equals("direct") ? " (library)" : " (server)",
              ratio));
    }
    md.append('\n');
    pairedRatios(md, runs);
    md.append(
        String.format(
            Locale.ROOT,
            "%nPaced at %,.0f requests/s each (p99 from the scheduled send):%n%n"
                + "| path | p50 ms | p99 ms | p99 / direct p99 |%n| --- | ---: | ---: | ---: |%n",
            rate));
    Run pacedDirect = median(paced.get("direct"));
    for (Map.Entry<String, List<Run>> e : paced.entrySet()) {
      Run m = median(e.getValue());
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.2f | %.2f× |%n",
              label(e.getKey()),
              m.p50Ms(),
              m.p99Ms(),
              m.p99Ms() / pacedDirect.p99Ms()));
    }
    return md.toString();
  }

  /** The paired-by-round ratios of the paths that ran. */
  private static void pairedRatios(StringBuilder md, Map<String, List<Run>> runs) {
    ratio(md, runs, "metered", "http", "every meter on / off");
    ratio(md, runs, "http", "health", "HTTP lookups / GET /health");
    ratio(md, runs, "memory", "health", "HTTP lookups in memory / GET /health");
    ratio(md, runs, "http", "shared", "HTTP lookups, a connector per loop / one shared");
    ratio(md, runs, "h2", "h2health", "gRPC lookups / gRPC Health/Check (h2load)");
    ratio(md, runs, "h2", "h2shared", "gRPC lookups, a connector per loop / one shared (h2load)");
  }

  /**
   * Appends {@code what}: the requests/s of path {@code top} over {@code bottom}'s, if both ran,
   * paired by round (the two ran back to back, so the machine's drift between rounds cancels), and
   * the same for server CPU per request; medians and the range over the rounds.
   */
  private static void ratio(
      StringBuilder md, Map<String, List<Run>> runs, String top, String bottom, String what) {
    List<Run> a = runs.get(top);
    List<Run> b = runs.get(bottom);
    if (a == null || b == null) {
      return;
    }
    double[] rate = new double[a.size()];
    double[] cpu = new double[a.size()];
    for (int r = 0; r < rate.length; r++) {
      rate[r] = a.get(r).perSecond() / b.get(r).perSecond();
      cpu[r] = a.get(r).cpuMicros() / b.get(r).cpuMicros();
    }
    md.append(what)
        .append(", paired by round: ")
        .append(spread(rate, "requests/s"))
        .append(", ")
        .append(spread(cpu, "server CPU per request"))
        .append("\n\n");
  }

  /** Ratios of {@code what} as their median and range: {@code 0.944× requests/s (0.909–1.062)}. */
  private static String spread(double[] ratios, String what) {
    java.util.DoubleSummaryStatistics range = java.util.Arrays.stream(ratios).summaryStatistics();
    return String.format(
        Locale.ROOT,
        "%.3f× %s (%.3f–%.3f)",
        medianOf(ratios.clone()),
        what,
        range.getMin(),
        range.getMax());
  }

  /**
   * A lookup path's requests/s as a multiple of its transport's cheapest answer's ({@code floor},
   * named {@code name}), and the floor's server CPU per request as a multiple of the path's.
   */
  private static String vsFloor(Run m, Run floor, String name) {
    return String.format(
        Locale.ROOT,
        "%.2f× %s (server CPU %.2f×)",
        m.perSecond() / floor.perSecond(),
        name,
        floor.cpuMicros() / m.cpuMicros());
  }

  /** A path's requests/s as a multiple of direct calls'. */
  private static String vsDirect(Run m, Run direct) {
    return String.format(Locale.ROOT, "%.2f× direct", m.perSecond() / direct.perSecond());
  }

  /** A latency in ms; h2load reports a mean, not percentiles (marked, and no p99). */
  private static String millis(double ms, String path) {
    if (Double.isNaN(ms)) {
      return "—";
    }
    return String.format(Locale.ROOT, path.startsWith("h2") ? "%.2f (mean)" : "%.2f", ms);
  }

  private static String label(String path) {
    return switch (path) {
      case "health" -> "GET /health (wrk)";
      case "http" -> "HTTP /get-online-features (wrk; paced: Vert.x client)";
      case "grpc" -> "gRPC GetOnlineFeatures (Java client, 2 channels)";
      case "metered" -> "HTTP /get-online-features, every meter on (wrk)";
      case "memory" -> "HTTP /get-online-features, in-memory store (wrk)";
      case "shared" -> "HTTP /get-online-features, one shared connector (wrk)";
      case "h2" -> "gRPC GetOnlineFeatures (h2load; one request repeated)";
      case "h2health" -> "gRPC grpc.health.v1.Health/Check (h2load)";
      case "h2shared" -> "gRPC GetOnlineFeatures, one shared connector's loops (h2load)";
      default -> "direct async calls";
    };
  }

  /** Medians of each figure over the runs. */
  private static Run median(List<Run> runs) {
    return new Run(
        medianOf(runs.stream().mapToDouble(Run::perSecond).toArray()),
        medianOf(runs.stream().mapToDouble(Run::p50Ms).toArray()),
        medianOf(runs.stream().mapToDouble(Run::p99Ms).toArray()),
        medianOf(runs.stream().mapToDouble(Run::cpuMicros).toArray()));
  }

  private static double medianOf(double[] values) {
    java.util.Arrays.sort(values);
    return values[values.length / 2];
  }

  /**
   * One run of {@code path}: closed loop, or paced at {@code rate} (HTTP then by the Vert.x client,
   * since wrk does not pace).
   */
  private static Run run(Server s, WireScenario sc, String path, double seconds, double rate)
      throws Exception {
    if (rate == 0 && List.of("health", "http", "metered", "memory", "shared").contains(path)) {
      return wrk(s, sc, path, seconds);
    }
    if (path.startsWith("h2")) {
      return h2load(s, sc, path, seconds);
    }
    String target =
        switch (path) {
          case "direct" -> s.redis().uri();
          case "grpc" -> s.grpcTarget();
          default -> s.base().substring("http://".length());
        };
    Client c = client(s, path, target, sc, seconds, rate);
    double perSecond = c.requests / c.seconds;
    double cpuMicros = path.equals("direct") ? c.cpuMicros : c.serverMicros;
    return new Run(perSecond, c.p50Micros / 1e3, c.p99Micros / 1e3, cpuMicros);
  }

  /** {@code GET /health} or {@code POST /get-online-features} by wrk, closed loop. */
  private static Run wrk(Server s, WireScenario sc, String path, double seconds) throws Exception {
    Cpu cpu = Cpu.start(List.of(s.redis()));
    if (path.equals("health")) {
      Row row = Wrk.get(s.base() + "/health", seconds, sc.name(), "GET /health");
      return server(row, cpu, seconds);
    }
    String features = "[\\\"" + String.join("\\\",\\\"", sc.refs()) + "\\\"]";
    String body =
        "\"{\\\"features\\\":"
            + features
            + ",\\\"entities\\\":{\\\"driver_id\\\":[\" .. ids("
            + sc.entities()
            + ") .. \"]}}\"";
    String base =
        switch (path) {
          case "metered" -> s.meteredBase();
          case "memory" -> s.memoryBase();
          case "shared" -> s.sharedBase();
          default -> s.base();
        };
    Row row = Wrk.post(base + "/get-online-features", body, seconds, sc.name(), "HTTP");
    Run run = server(row, cpu, seconds);
    System.out.printf(
        Locale.ROOT,
        "%s: %.1f us of Redis CPU per request%n",
        path,
        cpu.redisMicrosPerLookup(requests(row, seconds)));
    return run;
  }

  /**
   * gRPC {@code GetOnlineFeatures} ({@code h2}) or {@code grpc.health.v1.Health/Check} ({@code
   * h2health}, the gRPC server's floor) by h2load, closed loop; every call must have ended OK, but
   * for those in flight when h2load's time was up, which the server counts {@code CANCELLED}.
   */
  private static Run h2load(Server s, WireScenario sc, String path, double seconds)
      throws Exception {
    boolean health = path.equals("h2health");
    String method =
        health
            ? "grpc.health.v1.Health/Check"
            : FeastGrpcMethods.FEATURE_SERVER + "/GetOnlineFeatures";
    byte[] message = health ? new byte[0] : WireClient.grpcRequest(sc, firstDrivers(sc));
    Map<String, Double> before = grpcCalls(s.grpcMeters());
    Cpu cpu = Cpu.start(List.of(s.redis()));
    String target = path.equals("h2shared") ? s.grpcSharedTarget() : s.grpcTarget();
    H2load.Result r = H2load.grpc(target, method, message, seconds);
    double serverMicros = cpu.jvmMicrosPerLookup(r.succeeded());
    Map<String, Double> after = grpcCalls(s.grpcMeters());
    after.forEach(
        (code, n) -> {
          double ended = n - before.getOrDefault(code, 0.0);
          boolean leftAtTheEnd = code.equals("CANCELLED") && ended <= H2load.IN_FLIGHT;
          if (!code.equals("OK") && ended > 0 && !leftAtTheEnd) {
            throw new IllegalStateException(path + ": " + (long) ended + " calls ended " + code);
          }
        });
    System.out.printf(
        Locale.ROOT,
        "%s: %.1f us of h2load CPU per call, %,d calls OK%n",
        path,
        r.clientMicros(),
        r.succeeded());
    return new Run(r.perSecond(), r.meanMs(), Double.NaN, serverMicros);
  }

  /** Drivers 0, 10, 20, ...: one request, sent over and over. */
  private static int[] firstDrivers(WireScenario sc) {
    int[] ids = new int[sc.entities()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i * 10;
    }
    return ids;
  }

  /** gRPC calls the server has answered so far, by status code. */
  private static Map<String, Double> grpcCalls(PrometheusMeterRegistry meters) {
    Map<String, Double> calls = new LinkedHashMap<>();
    for (io.micrometer.core.instrument.Timer t : meters.find("inferis.grpc.requests").timers()) {
      calls.merge(t.getId().getTag("code"), (double) t.count(), Double::sum);
    }
    return calls;
  }

  private static Run server(Row row, Cpu cpu, double seconds) {
    return new Run(
        row.lookupsPerSecond(),
        row.p50Ms(),
        row.p99Ms(),
        cpu.jvmMicrosPerLookup(requests(row, seconds)));
  }

  /** The requests a wrk run of {@code seconds} answered (wrk runs whole seconds). */
  private static long requests(Row row, double seconds) {
    return (long) (row.lookupsPerSecond() * Math.ceil(seconds));
  }

  /** What a {@link WireClient} printed, and the server's CPU per request while it measured. */
  private record Client(
      long requests,
      double seconds,
      long p50Micros,
      long p99Micros,
      double cpuMicros,
      double serverMicros) {}

  private static final Pattern WIRE =
      Pattern.compile(
          "WIRE requests=(\\d+) seconds=([0-9.]+) p50us=(\\d+) p99us=(\\d+) cpuus=([0-9.]+)"
              + " errors=(\\d+) first=(\\S+)");

  private static Client client(
      Server s, String path, String target, WireScenario sc, double seconds, double rate)
      throws Exception {
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WireClient.class.getName(),
                "--path",
                path,
                "--target",
                target,
                "--scenario",
                sc.key(),
                "--seconds",
                Double.toString(seconds),
                "--warmup",
                "3",
                "--rate",
                Double.toString(rate))
            .redirectErrorStream(true)
            .start();
    StringBuilder out = new StringBuilder();
    Cpu cpu = null;
    double serverMicros = Double.NaN;
    try (java.io.BufferedReader lines =
        new java.io.BufferedReader(
            new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        out.append(line).append('\n');
        if (line.equals("MEASURING")) {
          cpu = Cpu.start(List.of(s.redis()));
        } else if (line.equals("MEASURED") && cpu != null) {
          serverMicros = cpu.jvmMicrosPerLookup(1); // total µs; divided by requests below
        }
      }
    }
    int exit = p.waitFor();
    Matcher m = WIRE.matcher(out);
    if (exit != 0 || !m.find()) {
      throw new IllegalStateException(path + " client failed (exit " + exit + "):\n" + out);
    }
    if (Long.parseLong(m.group(6)) > 0) {
      throw new IllegalStateException(
          path + " client saw " + m.group(6) + " errors, the first: " + m.group(7));
    }
    System.out.printf("%s %s%s: %s%n", path, sc.key(), rate > 0 ? " paced " + rate : "", m.group());
    long requests = Long.parseLong(m.group(1));
    return new Client(
        requests,
        Double.parseDouble(m.group(2)),
        Long.parseLong(m.group(3)),
        Long.parseLong(m.group(4)),
        Double.parseDouble(m.group(5)),
        serverMicros / Math.max(1, requests));
  }
}
