package io.inferis.bench;

import io.inferis.features.FeatureRepo;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisDeployment;
import io.inferis.testing.RedisNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The lookup load harness (issue 4): on standalone and cluster, scenarios (a) 1 entity × 10
 * features, (b) 1 × 250 (25 views × 10), (c) 100 × 250; clients inferis, a naive Jedis pool with a
 * command per feature, a Feast-Java-style client (an HMGET future per entity awaited in order), the
 * ceiling (raw pipelined Lettuce), and {@code redis-benchmark -P 16} where present. Closed loop at
 * a fixed concurrency, or paced; all side by side in one run; prints a markdown table. Options:
 * {@link LookupLoadConfig} ({@code --help}).
 */
public final class LookupLoad {

  private final LookupLoadConfig config;
  private final FeatureRepo repo = BenchData.repo();
  private final AsyncLoop asyncLoop;
  private final ThreadLoops threadLoops;
  private final List<Row> rows = new ArrayList<>();

  LookupLoad(LookupLoadConfig config) {
    this.config = config;
    Measurement measurement = new Measurement(config.warmupSeconds(), config.hot());
    this.asyncLoop = new AsyncLoop(measurement);
    this.threadLoops =
        new ThreadLoops(
            measurement, config.concurrency(), config.seconds(), config.rate(), config.together());
  }

  /** Exits 2 with a message on a bad option, 1 if the run fails. */
  public static void main(String[] args) {
    CliMain.run(new Cli(), args);
  }

  @Command(
      name = "LookupLoad",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = "Feature lookups of inferis and its baselines, side by side.")
  private static final class Cli implements Callable<Integer> {
    @Mixin LookupLoadConfig.Options options;

    @Override
    public Integer call() throws Exception {
      new LookupLoad(options.toConfig()).run();
      return 0;
    }
  }

  /** Runs every topology, prints the table and writes it to the config's file. */
  void run() throws Exception {
    List<Scenario> scenarios = config.scenarios().stream().map(Scenario::named).toList();
    for (String topology : config.topologies()) {
      int rowsBefore = rows.size();
      RedisDeployment d =
          topology.equals("cluster")
              ? RedisCluster.start("bench-cluster")
              : RedisNode.start("bench-standalone");
      try {
        BenchData.load(d.uri(), repo);
        Target target = Target.of(topology, d);
        int measuredFrom = rows.size();
        for (int round = 0; round < config.warmupRounds() + config.rounds(); round++) {
          boolean counted = round >= config.warmupRounds();
          if (!counted) {
            System.out.println("-- warm-up round " + (round + 1) + ", not counted --");
          } else if (round == config.warmupRounds()) {
            measuredFrom = rows.size();
          }
          for (Scenario sc : scenarios) {
            runScenario(target, sc, counted);
          }
        }
        rows.subList(rowsBefore, measuredFrom).clear();
      } finally {
        d.close();
      }
    }
    String table = ResultsTable.table(config.rounds() == 1 ? rows : ResultsTable.medians(rows));
    threadLoops.printPairs();
    Files.createDirectories(config.out().toAbsolutePath().getParent());
    Files.writeString(config.out(), table, StandardCharsets.UTF_8);
    System.out.println(table);
  }

  /** Every chosen client on one scenario, in {@link LookupLoadConfig#CLIENTS} order. */
  private void runScenario(Target target, Scenario sc, boolean counted) throws Exception {
    Layout layout = Layout.of(repo.project(), sc);
    if (config.runs("inferis-async")) {
      record(
          asyncLoop.run(
              target.topology(),
              sc,
              "inferis (async API)",
              new InferisAsyncClient(target.url(), repo, sc.refs(), false),
              target.masters(),
              config.concurrency(),
              config.seconds()));
    }
    if (config.runs("inferis-async-coalesced")) {
      record(
          asyncLoop.run(
              target.topology(),
              sc,
              "inferis (async API, coalesced reads)",
              new InferisAsyncClient(target.url(), repo, sc.refs(), true),
              target.masters(),
              config.concurrency(),
              config.seconds()));
    }
    Map<String, BlockingClient.Factory> blocking = new LinkedHashMap<>();
    if (config.runs("inferis")) {
      blocking.put("inferis", () -> new InferisBlockingClient(target.url(), repo, sc.refs()));
    }
    if (config.runs("feast-java")) {
      blocking.put(
          "feast-java-style",
          () -> new FeastJavaStyleClient(target.uris(), target.cluster(), layout));
    }
    // 100 x 250 one-command-per-feature lookups take minutes each at 64 callers: skipped.
    if (config.runs("naive") && sc.entities() == 1) {
      blocking.put(
          "naive jedis pool",
          () -> new NaiveJedisClient(target.hostPorts(), target.cluster(), layout));
    }
    threadLoops.run(target.topology(), sc, blocking, target.masters(), counted, this::record);
    if (!config.runs("ceiling")) {
      return;
    }
    record(CeilingClient.measure(target, sc, layout, config.seconds()));
    if (sc.entities() == 1 && config.runs("redis-benchmark")) {
      RedisBenchmarkCeiling.measure(target, sc, layout).ifPresent(this::record);
    }
  }

  /** Adds {@code r} to the table and prints it at once (a long run shows progress). */
  private void record(Row r) {
    rows.add(r);
    r.print();
  }
}
