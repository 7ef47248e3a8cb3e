package io.inferis.bench;

import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.registry.FeastRepoConfig;
import io.inferis.registry.GoldenRedis;
import io.inferis.registry.RealFeast;
import io.inferis.registry.RefreshingRegistry;
import io.inferis.registry.RegistrySource;
import io.inferis.server.FeatureHttpServer;
import io.inferis.server.ServerOptions;
import io.inferis.testing.RedisNode;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Lookups through a feature service against the same features listed (issue 16: within 5%): {@code
 * inferis serve --feast-repo}'s server on the real Feast repository and Redis bytes, driven by wrk
 * with {@code {"feature_service": "driver_activity", ...}} and with its eight features as a {@code
 * features} list, one random driver of the two per request. The two take turns, round after round;
 * each round gives two ratios, service / list: requests/s (noisy where wrk shares the cores) and
 * the server's CPU per request (steady: the cost).
 */
public final class FeatureServiceLoad {

  private static final String SERVICE =
      "{\\\"feature_service\\\":\\\"driver_activity\\\",\\\"entities\\\":{\\\"driver_id\\\":[%d]}}";
  private static final String LISTED =
      "{\\\"features\\\":[\\\"driver_hourly_stats:conv_rate\\\",\\\"driver_hourly_stats:acc_rate\\\","
          + "\\\"driver_hourly_stats:avg_daily_trips\\\",\\\"driver_profile:avatar\\\","
          + "\\\"driver_profile:last_seen\\\",\\\"driver_profile:tags\\\","
          + "\\\"driver_profile:trip_ids\\\",\\\"driver_profile:scores\\\"],"
          + "\\\"entities\\\":{\\\"driver_id\\\":[%d]}}";
  private static final String DRIVER = "math.random(1001, 1002)";

  private FeatureServiceLoad() {}

  public static void main(String[] args) {
    CliMain.run(new Cli(), args);
  }

  @Command(
      name = "FeatureServiceLoad",
      mixinStandardHelpOptions = true,
      description = "Lookups through a feature service against the same features listed.")
  private static final class Cli implements Callable<Integer> {
    @Option(
        names = "--seconds",
        defaultValue = "8",
        description = "Seconds per run (default ${DEFAULT-VALUE}).")
    double seconds;

    @Option(
        names = "--rounds",
        defaultValue = "3",
        description = "Rounds (default ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() throws Exception {
      if (seconds <= 0 || rounds < 1) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--seconds must be positive and --rounds at least 1");
      }
      run(seconds, rounds);
      return 0;
    }
  }

  static void run(double seconds, int rounds) throws Exception {
    Path dir = Files.createTempDirectory("feast-bench");
    try (RedisNode redis = RedisNode.start("bench-feast")) {
      GoldenRedis.load(redis);
      Path repo = RealFeast.copyRepo(dir);
      FeastRepoConfig config =
          FeastRepoConfig.load(repo, repo.resolve(FeastRepoConfig.DEFAULT_FILE));
      try (RefreshingRegistry registry =
              RefreshingRegistry.start(
                  RegistrySource.of(config), Duration.ZERO, InstantSource.system(), null, null);
          RedisConnector connector = RedisConnector.connect(redis.uri());
          FeatureStore store =
              FeatureStores.redis(
                  () -> registry.get().repo(), connector, FeatureStoreOptions.defaults())) {
        ServerOptions options = ServerOptions.builder().eventLoops(1).build();
        Vertx vertx = FeatureHttpServer.newVertx(options);
        FeatureHttpServer server =
            FeatureHttpServer.builder(vertx, store)
                .feastRegistry(registry)
                .options(options)
                .build();
        String url = "http://127.0.0.1:" + server.start("127.0.0.1", 0) + "/get-online-features";
        try {
          // Warm-up: the JIT compiles both paths before anything is counted.
          Wrk.run(url, SERVICE, DRIVER, 20, "warm-up", "feature service");
          Wrk.run(url, LISTED, DRIVER, 20, "warm-up", "features listed");
          List<Double> throughput = new ArrayList<>();
          List<Double> cost = new ArrayList<>();
          for (int r = 0; r < rounds; r++) {
            Measured service = measure(redis, url, SERVICE, seconds, "feature service");
            Measured listed = measure(redis, url, LISTED, seconds, "features listed");
            throughput.add(service.row().lookupsPerSecond() / listed.row().lookupsPerSecond());
            cost.add(service.serverMicros() / listed.serverMicros());
            System.out.printf(
                "round %d: feature service %.0f req/s, %.1f us server CPU/req; listed %.0f req/s,"
                    + " %.1f us server CPU/req%n",
                r + 1,
                service.row().lookupsPerSecond(),
                service.serverMicros(),
                listed.row().lookupsPerSecond(),
                listed.serverMicros());
          }
          System.out.printf(
              "median feature service / listed: %.3f of the requests/s, %.3f of the server CPU per"
                  + " request%n",
              median(throughput), median(cost));
        } finally {
          server.close();
          vertx.close().await();
        }
      }
    }
  }

  private record Measured(Row row, double serverMicros) {}

  private static Measured measure(
      RedisNode redis, String url, String body, double seconds, String name) throws Exception {
    Cpu cpu = Cpu.start(List.of(redis));
    Row row = Wrk.run(url, body, DRIVER, seconds, "driver_activity", name);
    long requests = (long) (row.lookupsPerSecond() * Math.ceil(seconds));
    return new Measured(row, cpu.jvmMicrosPerLookup(requests));
  }

  private static double median(List<Double> values) {
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    return sorted.get(sorted.size() / 2);
  }
}
