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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP overhead (issue 6): {@code POST /get-online-features} through the Vert.x server against
 * direct {@code FeatureStore.getOnlineFeatures} calls on Redis, same data, same concurrency (64
 * requests in flight), in one run. The paths take turns, round after round, and each round's ratio
 * is taken against the direct calls of the same round, so a machine whose speed drifts (this one
 * moves by 2x) moves both sides of a ratio. The server runs at 1 and at 2 event loops, with its
 * Redis connector on Lettuce's own I/O thread. Args: {@code [seconds=5] [rounds=3]
 * [out=target/http-overhead.md]}.
 */
public final class HttpOverheadLoad {

  /** Discarded run of each path before it is measured. */
  private static final double WARM_UP_SECONDS = 20;

  private HttpOverheadLoad() {}

  /** One way to make lookups: measured for {@code seconds} at a time. */
  private interface Measured extends AutoCloseable {
    String name();

    LookupLoad.Row run(double seconds) throws Exception;

    @Override
    void close();
  }

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    Path out = Path.of(args.length > 2 ? args[2] : "target/http-overhead.md");
    FeatureRepo repo = LookupLoad.repo();
    LookupLoad.Scenario sc =
        new LookupLoad.Scenario("(a) 1 entity x 10 features", 1, LookupLoad.refs(1));
    RedisNode redis = RedisNode.start("bench-http");
    List<Measured> paths = new ArrayList<>();
    List<List<LookupLoad.Row>> byRound = new ArrayList<>();
    try {
      LookupLoad.load(redis.uri(), repo);
      // -Dinferis.bench.paths picks some of the paths (for a profile of one); the ratio column
      // needs "direct" first.
      List<String> chosen =
          List.of(System.getProperty("inferis.bench.paths", "direct,http1,http2").split(","));
      for (String p : chosen) {
        paths.add(
            switch (p) {
              case "direct" -> direct(redis, repo, sc);
              case "http1" -> http(redis, repo, sc, 1);
              case "http2" -> http(redis, repo, sc, 2);
              default -> throw new IllegalArgumentException("unknown path " + p);
            });
      }
      // The JIT needs ~20 s of each path before its code is compiled (C2 ran for ~15-25 s at
      // first); a 2 s warm-up measured the HTTP path at a third of its speed.
      for (Measured path : paths) {
        path.run(WARM_UP_SECONDS);
      }
      for (int round = 0; round < rounds; round++) {
        List<LookupLoad.Row> rows = new ArrayList<>();
        for (Measured path : paths) {
          rows.add(path.run(seconds));
        }
        byRound.add(rows);
        System.out.println(table(List.of(rows), "round " + (round + 1)));
      }
    } finally {
      for (Measured path : paths) {
        path.close();
      }
      redis.close();
    }
    String text = table(byRound, "median of " + rounds + " rounds");
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, text);
    System.out.println(text);
  }

  /**
   * One row per path: the median over rounds of its lookups/s, p50 and p99, and the median of its
   * per-round ratios to the direct calls (row 0) of the same round.
   */
  private static String table(List<List<LookupLoad.Row>> rounds, String title) {
    StringBuilder sb =
        new StringBuilder(
            title
                + "\n\n| client | lookups/s | p50 ms | p99 ms | HTTP / direct |\n"
                + "| --- | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < rounds.get(0).size(); i++) {
      int path = i;
      LookupLoad.Row median = LookupLoad.median(rounds.stream().map(r -> r.get(path)).toList());
      double ratio =
          LookupLoad.median(
              rounds.stream()
                  .mapToDouble(r -> r.get(path).lookupsPerSecond() / r.get(0).lookupsPerSecond())
                  .toArray());
      sb.append(
          String.format(
              "| %s | %,.0f | %.2f | %.2f | %s |%n",
              median.client(),
              median.lookupsPerSecond(),
              median.p50Ms(),
              median.p99Ms(),
              path == 0 ? "" : String.format("%.2fx", ratio)));
    }
    return sb.toString();
  }

  private static FeatureStore store(FeatureRepo repo, RedisConnector connector) {
    return FeatureStores.redis(
        repo,
        connector,
        FeatureStoreOptions.builder()
            .inFlightLimit(256)
            .requestDeadline(Duration.ofSeconds(30))
            .build());
  }

  private static Measured direct(RedisNode redis, FeatureRepo repo, LookupLoad.Scenario sc) {
    RedisConnector connector = RedisConnector.connect(redis.uri());
    FeatureStore store = store(repo, connector);
    LookupClients.AsyncClient client = direct(store, sc);
    return new Measured() {
      @Override
      public String name() {
        return "direct library calls";
      }

      @Override
      public LookupLoad.Row run(double seconds) throws Exception {
        return LookupLoad.asyncClosedLoop("redis", sc, name(), client, List.of(redis), 64, seconds);
      }

      @Override
      public void close() {
        store.close();
        connector.close();
      }
    };
  }

  /** The HTTP server on {@code loops} event loops over its own Redis connector. */
  private static Measured http(
      RedisNode redis, FeatureRepo repo, LookupLoad.Scenario sc, int loops) {
    RedisConnector connector = RedisConnector.connect(redis.uri());
    FeatureStore store = store(repo, connector);
    ServerOptions options = ServerOptions.builder().eventLoops(loops).build();
    Vertx vertx = FeatureHttpServer.newVertx(options);
    FeatureHttpServer server = FeatureHttpServer.builder(vertx, store).options(options).build();
    String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
    String name =
        "HTTP /get-online-features (wrk), " + loops + " event loop" + (loops > 1 ? "s" : "");
    return new Measured() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public LookupLoad.Row run(double seconds) throws Exception {
        LookupLoad.Cpu cpu = LookupLoad.Cpu.start(List.of(redis));
        LookupLoad.Row row = wrk(sc, base, seconds, name);
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
    };
  }

  private static LookupClients.AsyncClient direct(FeatureStore store, LookupLoad.Scenario sc) {
    return new LookupClients.AsyncClient() {
      @Override
      public CompletableFuture<?> lookup(List<Integer> entities) {
        List<java.util.Map<String, io.inferis.feast.FeatureValue>> rows = new ArrayList<>();
        for (int e : entities) {
          rows.add(java.util.Map.of("driver_id", io.inferis.feast.FeatureValue.ofInt64(e)));
        }
        return store.getOnlineFeatures(sc.refs(), rows);
      }

      @Override
      public void close() {}
    };
  }

  /**
   * HTTP load from {@code wrk} (64 connections, 2 threads, a random driver per request): the JDK's
   * HttpClient could not drive more than ~2k requests/s here, far below the server.
   */
  private static LookupLoad.Row wrk(
      LookupLoad.Scenario sc, String base, double seconds, String name) throws Exception {
    Path script = Files.createTempFile("inferis-wrk", ".lua");
    String features = "[\\\"" + String.join("\\\",\\\"", sc.refs()) + "\\\"]";
    String lua =
        """
        wrk.method = "POST"
        wrk.headers["Content-Type"] = "application/json"
        request = function()
          local body = string.format("{\\"features\\":FEATURES,\\"entities\\":{\\"driver_id\\":[%d]}}", math.random(0, 999))
          return wrk.format(nil, nil, nil, body)
        end
        """
            .replace("FEATURES", features);
    Files.writeString(script, lua);
    Process p =
        new ProcessBuilder(
                // `times` prints the shell's and then its children's (wrk's) user and sys CPU.
                "bash",
                "-c",
                "wrk \"$@\"; times",
                "wrk",
                "-t2",
                "-c64",
                "-d" + (int) Math.ceil(seconds) + "s",
                "--latency",
                "-s",
                script.toString(),
                base + "/get-online-features")
            .redirectErrorStream(true)
            .start();
    String out =
        new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    p.waitFor();
    java.util.regex.Matcher rps =
        java.util.regex.Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(out);
    java.util.regex.Matcher p50 =
        java.util.regex.Pattern.compile("\\s50%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    java.util.regex.Matcher p99 =
        java.util.regex.Pattern.compile("\\s99%\\s+([0-9.]+)(us|ms|s)").matcher(out);
    if (!rps.find() || !p50.find() || !p99.find() || out.contains("Non-2xx")) {
      throw new IllegalStateException("wrk failed or saw errors:\n" + out);
    }
    java.util.regex.Matcher times =
        java.util.regex.Pattern.compile("(\\d+)m([0-9.]+)s (\\d+)m([0-9.]+)s\\s*$").matcher(out);
    double requestsPerSecond = Double.parseDouble(rps.group(1));
    if (times.find()) {
      double cpuSeconds =
          Integer.parseInt(times.group(1)) * 60
              + Double.parseDouble(times.group(2))
              + Integer.parseInt(times.group(3)) * 60
              + Double.parseDouble(times.group(4));
      System.out.printf(
          "%s: %.1f us of wrk CPU per request%n",
          name, cpuSeconds * 1e6 / (requestsPerSecond * Math.ceil(seconds)));
    }
    return new LookupLoad.Row(
        "redis", sc.name(), name, requestsPerSecond, millis(p50), millis(p99), 0);
  }

  private static double millis(java.util.regex.Matcher m) {
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }
}
