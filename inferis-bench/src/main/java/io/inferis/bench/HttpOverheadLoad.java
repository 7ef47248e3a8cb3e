package io.inferis.bench;

import io.inferis.features.FeatureRepo;
import io.inferis.testing.RedisNode;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * HTTP overhead (issue 6): {@code POST /get-online-features} through the Vert.x server against
 * direct {@code FeatureStore.getOnlineFeatures} calls on Redis, same data, same concurrency (64
 * requests in flight), in one run. The paths take turns, round after round, and each round's ratio
 * is taken against the direct calls of the same round, so a machine whose speed drifts (this one
 * moves by 2x) moves both sides of a ratio. The server runs at 1 and at 2 event loops, with its
 * Redis connector on Lettuce's own I/O thread. Options: {@link HttpOverheadConfig} ({@code
 * --help}).
 */
public final class HttpOverheadLoad {

  /** Discarded run of each path before it is measured. */
  private static final double WARM_UP_SECONDS = 20;

  /**
   * The direct calls' loop also sleeps this long before the first run it measures, as {@link
   * LookupLoad}'s clients do by default.
   */
  private static final double FIRST_LOOP_WARM_UP_SECONDS = 20;

  private final HttpOverheadConfig config;

  HttpOverheadLoad(HttpOverheadConfig config) {
    this.config = config;
  }

  /** Exits 2 with a message on a bad option, 1 if the run fails. */
  public static void main(String[] args) {
    CliMain.run(new Cli(), args);
  }

  @Command(
      name = "HttpOverheadLoad",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "HTTP /get-online-features against direct library calls (needs wrk).")
  private static final class Cli implements Callable<Integer> {
    @Mixin HttpOverheadConfig.Options options;

    @Override
    public Integer call() throws Exception {
      new HttpOverheadLoad(options.toConfig()).run();
      return 0;
    }
  }

  /** Runs the paths' rounds, prints each round's table and writes the medians' table. */
  void run() throws Exception {
    FeatureRepo repo = BenchData.repo();
    Scenario sc = Scenario.named("a");
    AsyncLoop loop = new AsyncLoop(new Measurement(FIRST_LOOP_WARM_UP_SECONDS, BenchData.ENTITIES));
    RedisNode redis = RedisNode.start("bench-http");
    List<MeasuredPath> paths = new ArrayList<>();
    List<List<Row>> byRound = new ArrayList<>();
    try {
      BenchData.load(redis.uri(), repo);
      for (String p : config.paths()) {
        paths.add(
            switch (p) {
              case "direct" -> new DirectCallsPath(redis, repo, sc, loop);
              case "http1" -> new HttpServerPath(redis, repo, sc, 1);
              case "http2" -> new HttpServerPath(redis, repo, sc, 2);
              default -> throw new IllegalArgumentException("unknown path " + p);
            });
      }
      // The JIT needs ~20 s of each path before its code is compiled (C2 ran for ~15-25 s at
      // first); a 2 s warm-up measured the HTTP path at a third of its speed.
      for (MeasuredPath path : paths) {
        path.run(WARM_UP_SECONDS);
      }
      for (int round = 0; round < config.rounds(); round++) {
        List<Row> rows = new ArrayList<>();
        for (MeasuredPath path : paths) {
          rows.add(path.run(config.seconds()));
        }
        byRound.add(rows);
        System.out.println(table(List.of(rows), "round " + (round + 1)));
      }
    } finally {
      for (MeasuredPath path : paths) {
        path.close();
      }
      redis.close();
    }
    String text = table(byRound, "median of " + config.rounds() + " rounds");
    Files.createDirectories(config.out().toAbsolutePath().getParent());
    Files.writeString(config.out(), text);
    System.out.println(text);
  }

  /**
   * One row per path: the median over rounds of its lookups/s, p50 and p99, and the median of its
   * per-round ratios to the first path (the direct calls) of the same round.
   */
  private static String table(List<List<Row>> rounds, String title) {
    StringBuilder sb =
        new StringBuilder(
            title
                + "\n\n| client | lookups/s | p50 ms | p99 ms | HTTP / direct |\n"
                + "| --- | ---: | ---: | ---: | ---: |\n");
    for (int i = 0; i < rounds.get(0).size(); i++) {
      int path = i;
      Row median = Row.median(rounds.stream().map(r -> r.get(path)).toList());
      double ratio =
          ResultsTable.median(
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
}
