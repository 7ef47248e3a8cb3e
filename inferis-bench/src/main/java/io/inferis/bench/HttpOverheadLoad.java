package io.inferis.bench;

import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.server.FeatureHttpServer;
import io.inferis.testing.RedisNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * HTTP overhead (issue 6): {@code POST /get-online-features} through the Vert.x server against
 * direct {@code FeatureStore.getOnlineFeatures} calls, same data, same store, same concurrency (64
 * requests in flight), one run, on the in-memory store and on Redis. Args: {@code [seconds=5]
 * [out=target/http-overhead.md]}.
 */
public final class HttpOverheadLoad {

  /** Discarded run of each path before it is measured. */
  private static final double WARM_UP_SECONDS = 20;

  private HttpOverheadLoad() {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    Path out = Path.of(args.length > 1 ? args[1] : "target/http-overhead.md");
    FeatureRepo repo = LookupLoad.repo();
    LookupLoad.Scenario sc =
        new LookupLoad.Scenario("(a) 1 entity x 10 features", 1, LookupLoad.refs(1));
    List<LookupLoad.Row> rows = new ArrayList<>();
    RedisNode redis = RedisNode.start("bench-http");
    try {
      LookupLoad.load(redis.uri(), repo);
      // Redis only: the async loop needs lookups that complete later, as Redis's do.
      for (String backend : List.of("redis")) {
        RedisConnector connector =
            backend.equals("redis") ? RedisConnector.connect(redis.uri()) : null;
        FeatureStoreOptions options =
            FeatureStoreOptions.builder()
                .inFlightLimit(256)
                .requestDeadline(Duration.ofSeconds(30))
                .build();
        FeatureStore store =
            connector == null
                ? FeatureStores.memory(repo, options)
                : FeatureStores.redis(repo, connector, options);
        try {
          // The JIT needs ~20 s of each path before its code is compiled (C2 ran for ~15-25 s at
          // first); a 2 s warm-up measured the HTTP path at a third of its speed. Both paths get a
          // discarded warm-up run first.
          LookupLoad.asyncClosedLoop(
              backend, sc, "warm-up", direct(store, sc), List.of(), 64, WARM_UP_SECONDS);
          rows.add(
              LookupLoad.asyncClosedLoop(
                  backend, sc, "direct library calls", direct(store, sc), List.of(), 64, seconds));
          for (int loops : new int[] {1, 2}) {
            FeatureHttpServer server =
                new FeatureHttpServer(
                    store, io.inferis.server.ServerOptions.builder().eventLoops(loops).build());
            String base = "http://127.0.0.1:" + server.start("127.0.0.1", 0);
            try {
              wrk(backend, sc, base, WARM_UP_SECONDS, loops);
              rows.add(wrk(backend, sc, base, seconds, loops));
            } finally {
              server.close();
            }
          }
        } finally {
          store.close();
          if (connector != null) {
            connector.close();
          }
        }
      }
    } finally {
      redis.close();
    }
    StringBuilder sb =
        new StringBuilder(
            "| store | client | lookups/s | p50 ms | p99 ms | HTTP / direct |\n| --- | --- | ---: | ---: | ---: | ---: |\n");
    LookupLoad.Row d = rows.get(0);
    {
      for (LookupLoad.Row r : rows) {
        sb.append(
            String.format(
                "| %s | %s | %,.0f | %.2f | %.2f | %s |%n",
                r.topology(),
                r.client(),
                r.lookupsPerSecond(),
                r.p50Ms(),
                r.p99Ms(),
                r == d ? "" : String.format("%.2fx", r.lookupsPerSecond() / d.lookupsPerSecond())));
      }
    }
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, sb.toString());
    System.out.println(sb);
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
      String backend, LookupLoad.Scenario sc, String base, double seconds, int loops)
      throws Exception {
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
    return new LookupLoad.Row(
        backend,
        sc.name(),
        "HTTP /get-online-features (wrk), " + loops + " event loop" + (loops > 1 ? "s" : ""),
        Double.parseDouble(rps.group(1)),
        millis(p50),
        millis(p99),
        0);
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
