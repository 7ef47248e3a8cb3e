package io.inferis.bench;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.monitoring.InferenceRecord;
import io.inferis.monitoring.Monitor;
import io.inferis.monitoring.MonitorStats;
import io.inferis.monitoring.Monitoring;
import io.inferis.monitoring.MonitoringOptions;
import io.inferis.monitoring.Prediction;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisNode;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The measurements behind docs/SCALING.md, against the harness's cluster (3 masters, 3 replicas):
 * the slot spread of {@code {server}} hash tags for a fleet's pod names; a few simulated pods
 * recording 20 models × 200 inferences/s each (commands, bytes and CPU per shard, bytes per stored
 * record); feature lookups of 100 entities × 250 features at a few concurrencies (lookups/s,
 * p50/p99, Redis CPU per lookup). The document extrapolates from these to a fleet.
 */
public final class ScalingSim {

  private ScalingSim() {}

  public static void main(String[] args) {
    CliMain.run(new Cli(), args);
  }

  @Command(
      name = "ScalingSim",
      mixinStandardHelpOptions = true,
      description = "Measures what docs/SCALING.md extrapolates from, on the harness's cluster.")
  private static final class Cli implements Callable<Integer> {
    @Option(names = "--pods", defaultValue = "4", description = "Simulated pods.")
    int pods;

    @Option(names = "--models", defaultValue = "20", description = "Models per pod.")
    int models;

    @Option(names = "--rate", defaultValue = "200", description = "Inferences/s per model.")
    int rate;

    @Option(names = "--fleet", defaultValue = "1000", description = "Pod names for the spread.")
    int fleet;

    @Option(names = "--seconds", defaultValue = "15", description = "Measured seconds per part.")
    double seconds;

    @Option(
        names = "--concurrency",
        split = ",",
        defaultValue = "1,4,16",
        description = "Lookups in flight, one run each.")
    List<Integer> concurrency;

    @Option(names = "--out", defaultValue = "target/scaling.md", description = "The markdown.")
    Path out;

    @Override
    public Integer call() throws Exception {
      StringBuilder md = new StringBuilder();
      md.append(slotSpread(fleet));
      try (RedisCluster cluster = RedisCluster.start("scaling")) {
        md.append(monitoring(cluster, this));
        cluster.flushAll();
        md.append(lookups(cluster, this));
      }
      Files.createDirectories(out.toAbsolutePath().getParent());
      Files.writeString(out, md, StandardCharsets.UTF_8);
      System.out.println(md);
      return 0;
    }
  }

  /** Kubernetes-like pod names: {@code inferis-<10 hex>-<5 alnum>}, seeded. */
  static List<String> podNames(int n) {
    Random r = new Random(42);
    String alnum = "bcdfghjklmnpqrstvwxz2456789";
    List<String> names = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      StringBuilder b = new StringBuilder("inferis-");
      b.append(String.format("%010x", r.nextLong() & 0xffffffffffL)).append('-');
      for (int c = 0; c < 5; c++) {
        b.append(alnum.charAt(r.nextInt(alnum.length())));
      }
      names.add(b.toString());
    }
    return names;
  }

  /** How the fleet's {@code {server}} tags spread over shards of equal slot ranges. */
  public static String slotSpread(int fleet) {
    List<String> names = podNames(fleet);
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "## Slot spread of %,d pods' {server} hash tags (computed)%n%n"
                    + "| shards | pods per shard: min | mean | max | max / mean |%n"
                    + "| ---: | ---: | ---: | ---: | ---: |%n",
                fleet));
    for (int shards : new int[] {3, 10, 30, 76, 100}) {
      int[] perShard = new int[shards];
      for (String name : names) {
        int slot = SlotHash.getSlot("inferis:{" + name + "}:inference:m");
        perShard[(int) ((long) slot * shards / SlotHash.SLOT_COUNT)]++;
      }
      int min = Arrays.stream(perShard).min().orElse(0);
      int max = Arrays.stream(perShard).max().orElse(0);
      double mean = (double) fleet / shards;
      md.append(
          String.format(
              Locale.ROOT, "| %d | %d | %.1f | %d | %.2f |%n", shards, min, mean, max, max / mean));
    }
    return md.toString();
  }

  /** A master's counters, read with {@code INFO}. */
  private record NodeStats(
      long commands, long netIn, long netOut, double cpuSeconds, long usedMemory) {
    static NodeStats of(RedisNode node) {
      Map<String, String> info = node.info("everything");
      return new NodeStats(
          Long.parseLong(info.get("total_commands_processed")),
          Long.parseLong(info.get("total_net_input_bytes")),
          Long.parseLong(info.get("total_net_output_bytes")),
          Double.parseDouble(info.get("used_cpu_sys"))
              + Double.parseDouble(info.get("used_cpu_user")),
          Long.parseLong(info.get("used_memory")));
    }
  }

  private static List<NodeStats> stats(RedisCluster cluster) {
    return cluster.masters().stream().map(NodeStats::of).toList();
  }

  private static String monitoring(RedisCluster cluster, Cli o) throws Exception {
    List<String> names = podNames(o.pods);
    long perSecond = (long) o.pods * o.models * o.rate;
    try (RedisConnector connector = RedisConnector.connect(cluster.uri());
        Cache cache = Caches.redis(connector)) {
      List<Monitor> pods = new ArrayList<>();
      for (String name : names) {
        pods.add(Monitoring.start(cache, MonitoringOptions.builder().serverId(name).build()));
      }
      record(pods, o, perSecond, 3); // warm-up
      pods.forEach(p -> p.flush(Duration.ofSeconds(30)));
      long writtenBefore = pods.stream().map(Monitor::stats).mapToLong(MonitorStats::written).sum();
      List<NodeStats> before = stats(cluster);
      long start = System.nanoTime();
      long sent = record(pods, o, perSecond, o.seconds);
      pods.forEach(p -> p.flush(Duration.ofSeconds(30)));
      double elapsed = (System.nanoTime() - start) / 1e9;
      List<NodeStats> after = stats(cluster);
      long written =
          pods.stream().map(Monitor::stats).mapToLong(MonitorStats::written).sum() - writtenBefore;
      long dropped =
          pods.stream().map(Monitor::stats).mapToLong(MonitorStats::droppedRecords).sum();

      // Bytes per stored record: MEMORY USAGE of every inference key over its members.
      long keyBytes = 0;
      long members = 0;
      long keys = 0;
      for (String pod : names) {
        for (int m = 0; m < o.models; m++) {
          String key = "inferis:{" + pod + "}:inference:model-" + m;
          RedisNode master = cluster.masterFor(key);
          Long usage = master.call(c -> c.memoryUsage(key));
          long card = master.call(c -> c.zcard(key));
          if (usage != null && card > 0) {
            keyBytes += usage;
            members += card;
            keys++;
          }
        }
      }
      StringBuilder md =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%n## Monitoring: %d pods × %d models × %d inferences/s (measured)%n%n"
                      + "%,d records/s offered, %,d written in %.1f s (%,.0f/s), %,d dropped;"
                      + " %,d inference keys, %.1f bytes per stored record (MEMORY USAGE / ZCARD)."
                      + "%n%n| master | commands/s | in bytes/s | out bytes/s | CPU %% |%n"
                      + "| --- | ---: | ---: | ---: | ---: |%n",
                  o.pods,
                  o.models,
                  o.rate,
                  perSecond,
                  written,
                  elapsed,
                  written / elapsed,
                  dropped,
                  keys,
                  (double) keyBytes / Math.max(1, members)));
      md.append(perMaster(cluster, before, after, elapsed));
      md.append(
          String.format(
              Locale.ROOT,
              "%nsent to recorders: %,d; per pod: %,.0f commands/s, %,.0f bytes/s in"
                  + " (all masters)%n",
              sent,
              sum(before, after, NodeStats::commands) / elapsed / o.pods,
              sum(before, after, NodeStats::netIn) / elapsed / o.pods));
      for (Monitor p : pods) {
        p.close();
      }
      return md.toString();
    }
  }

  private static double sum(
      List<NodeStats> before,
      List<NodeStats> after,
      java.util.function.ToDoubleFunction<NodeStats> f) {
    double total = 0;
    for (int i = 0; i < before.size(); i++) {
      total += f.applyAsDouble(after.get(i)) - f.applyAsDouble(before.get(i));
    }
    return total;
  }

  private static String perMaster(
      RedisCluster cluster, List<NodeStats> before, List<NodeStats> after, double elapsed) {
    StringBuilder md = new StringBuilder();
    for (int i = 0; i < before.size(); i++) {
      NodeStats b = before.get(i);
      NodeStats a = after.get(i);
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %,.0f | %,.0f | %,.0f | %.1f |%n",
              cluster.masters().get(i).port(),
              (a.commands() - b.commands()) / elapsed,
              (a.netIn() - b.netIn()) / elapsed,
              (a.netOut() - b.netOut()) / elapsed,
              100 * (a.cpuSeconds() - b.cpuSeconds()) / elapsed));
    }
    return md.toString();
  }

  /** Records {@code perSecond} across the pods and models, paced, for {@code seconds}. */
  private static long record(List<Monitor> pods, Cli o, long perSecond, double seconds) {
    InferenceRecord.Builder template =
        InferenceRecord.builder()
            .latencyMicros(2_300)
            .prediction(Prediction.classes(Map.of("low", 0.81, "high", 0.19)));
    long start = System.nanoTime();
    long sent = 0;
    long end = start + (long) (seconds * 1e9);
    while (true) {
      long now = System.nanoTime();
      if (now >= end) {
        return sent;
      }
      long due = (long) ((now - start) / 1e9 * perSecond);
      for (; sent < due; sent++) {
        Monitor pod = pods.get((int) (sent % pods.size()));
        String model = "model-" + (sent / pods.size()) % o.models;
        pod.record(
            model,
            template
                .id("req-" + Long.toHexString(sent) + "-7f3a")
                .eventTimeMillis(System.currentTimeMillis())
                .build());
      }
      LockSupport.parkNanos(200_000);
    }
  }

  private static String lookups(RedisCluster cluster, Cli o) throws Exception {
    FeatureRepo repo = BenchData.repo();
    BenchData.load(cluster.uri(), repo);
    List<String> refs = BenchData.refs(BenchData.VIEWS);
    StringBuilder md =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "%n## Feature lookups: 100 entities × %d features, 3 masters (measured)%n%n"
                    + "| in flight | lookups/s | p50 ms | p99 ms | Redis CPU µs per lookup (all"
                    + " masters) | busiest master CPU %% |%n| ---: | ---: | ---: | ---: | ---: |"
                    + " ---: |%n",
                refs.size()));
    try (RedisConnector connector = RedisConnector.connect(cluster.uri());
        FeatureStore store = FeatureStores.redis(repo, connector, HttpServerPath.options())) {
      for (int inFlight : o.concurrency) {
        loop(store, refs, inFlight, 3); // warm-up
        List<NodeStats> before = stats(cluster);
        long start = System.nanoTime();
        Histogram latency = loop(store, refs, inFlight, o.seconds);
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<NodeStats> after = stats(cluster);
        long n = latency.getTotalCount();
        double busiest = 0;
        for (int i = 0; i < before.size(); i++) {
          busiest = Math.max(busiest, after.get(i).cpuSeconds() - before.get(i).cpuSeconds());
        }
        md.append(
            String.format(
                Locale.ROOT,
                "| %d | %,.0f | %.2f | %.2f | %.0f | %.1f |%n",
                inFlight,
                n / elapsed,
                latency.getValueAtPercentile(50) / 1e3,
                latency.getValueAtPercentile(99) / 1e3,
                sum(before, after, NodeStats::cpuSeconds) * 1e6 / n,
                100 * busiest / elapsed));
      }
    }
    return md.toString();
  }

  /** {@code inFlight} lookups at a time for {@code seconds}; latencies in microseconds. */
  private static Histogram loop(FeatureStore store, List<String> refs, int inFlight, double seconds)
      throws InterruptedException {
    Histogram h = new Histogram(60_000_000L, 3);
    long end = System.nanoTime() + (long) (seconds * 1e9);
    CountDownLatch done = new CountDownLatch(inFlight);
    AtomicLong seed = new AtomicLong(7);
    for (int i = 0; i < inFlight; i++) {
      next(store, refs, end, h, done, new Random(seed.incrementAndGet()));
    }
    done.await();
    return h;
  }

  private static void next(
      FeatureStore store,
      List<String> refs,
      long end,
      Histogram h,
      CountDownLatch done,
      Random random) {
    if (System.nanoTime() >= end) {
      done.countDown();
      return;
    }
    List<Map<String, FeatureValue>> rows = new ArrayList<>(100);
    for (int e = 0; e < 100; e++) {
      Map<String, FeatureValue> row = new LinkedHashMap<>();
      row.put("driver_id", FeatureValue.ofInt64(random.nextInt(BenchData.ENTITIES)));
      rows.add(row);
    }
    long start = System.nanoTime();
    store
        .getOnlineFeatures(refs, rows)
        .whenComplete(
            (r, err) -> {
              if (err == null) {
                synchronized (h) {
                  h.recordValue(Math.min((System.nanoTime() - start) / 1000, 60_000_000L));
                }
              }
              next(store, refs, end, h, done, random);
            });
  }
}
