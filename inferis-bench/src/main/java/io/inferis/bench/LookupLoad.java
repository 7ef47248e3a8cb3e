package io.inferis.bench;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.ValueType;
import io.inferis.features.EntityDef;
import io.inferis.features.FeatureDef;
import io.inferis.features.FeatureRef;
import io.inferis.features.FeatureRepo;
import io.inferis.features.FeatureRow;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.features.FeatureViewDef;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisDeployment;
import io.inferis.testing.RedisNode;
import io.lettuce.core.RedisURI;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import redis.clients.jedis.HostAndPort;

/**
 * The lookup load harness (issue 4): on standalone and cluster, scenarios (a) 1 entity × 10
 * features, (b) 1 × 250 (25 views × 10), (c) 100 × 250; clients inferis, a naive Jedis pool with a
 * command per feature, a Feast-Java-style client (an HMGET future per entity awaited in order), the
 * ceiling (raw pipelined Lettuce), and {@code redis-benchmark -P 16} where present. Closed loop at
 * a fixed concurrency; all side by side in one run; prints a markdown table.
 *
 * <p>Args: {@code [seconds=5] [concurrency=64] [topologies=standalone,cluster] [scenarios=a,b,c]
 * [out=target/lookup-bench.md]}.
 */
public final class LookupLoad {

  static final int ENTITIES = 1000;
  static final int VIEWS = 25;
  static final int FEATURES_PER_VIEW = 10;

  private LookupLoad() {}

  public record Scenario(String name, int entities, List<String> refs) {}

  public record Row(
      String topology,
      String scenario,
      String client,
      double lookupsPerSecond,
      double p50Ms,
      double p99Ms,
      int maxConnections) {}

  public static void main(String[] args) throws Exception {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 64;
    List<String> topologies =
        List.of((args.length > 2 ? args[2] : "standalone,cluster").split(","));
    List<String> scenarioNames = List.of((args.length > 3 ? args[3] : "a,b,c").split(","));
    Path out = Path.of(args.length > 4 ? args[4] : "target/lookup-bench.md");
    List<String> clients =
        List.of(
            (args.length > 5
                    ? args[5]
                    : "inferis-async,inferis,feast-java,naive,ceiling,redis-benchmark")
                .split(","));
    FeatureRepo repo = repo();
    List<Scenario> scenarios = new ArrayList<>();
    List<String> ten = refs(1);
    List<String> all = refs(VIEWS);
    for (String s : scenarioNames) {
      switch (s) {
        case "a" -> scenarios.add(new Scenario("(a) 1 entity x 10 features", 1, ten));
        case "b" -> scenarios.add(new Scenario("(b) 1 entity x 250 features", 1, all));
        case "c" -> scenarios.add(new Scenario("(c) 100 entities x 250 features", 100, all));
        default -> throw new IllegalArgumentException("unknown scenario " + s);
      }
    }
    List<Row> rows = new ArrayList<>();
    for (String topology : topologies) {
      int rowsBefore = rows.size();
      RedisDeployment d =
          topology.equals("cluster")
              ? RedisCluster.start("bench-cluster")
              : RedisNode.start("bench-standalone");
      try {
        load(d.uri(), repo);
        boolean cluster = topology.equals("cluster");
        List<RedisNode> masters = cluster ? ((RedisCluster) d).masters() : d.nodes();
        List<RedisURI> uris =
            d.nodes().stream().map(n -> RedisURI.create("redis://127.0.0.1:" + n.port())).toList();
        List<HostAndPort> hps =
            d.nodes().stream().map(n -> new HostAndPort("127.0.0.1", n.port())).toList();
        int measuredFrom = rows.size();
        for (int round = 0; round < WARM_UP_ROUNDS + ROUNDS; round++) {
          counting = round >= WARM_UP_ROUNDS;
          if (round < WARM_UP_ROUNDS) {
            System.out.println("-- warm-up round " + (round + 1) + ", not counted --");
          } else if (round == WARM_UP_ROUNDS) {
            measuredFrom = rows.size();
          }
          for (Scenario sc : scenarios) {
            LookupClients.Layout layout =
                new LookupClients.Layout(
                    repo.project(), sc.refs().stream().map(FeatureRef::parse).toList());
            if (clients.contains("inferis-async")) {
              record(
                  rows,
                  asyncClosedLoop(
                      topology,
                      sc,
                      "inferis (async API)",
                      LookupClients.inferisAsync(d.uri(), repo, sc.refs()),
                      masters,
                      concurrency,
                      seconds));
            }
            if (clients.contains("inferis-async-coalesced")) {
              record(
                  rows,
                  asyncClosedLoop(
                      topology,
                      sc,
                      "inferis (async API, coalesced reads)",
                      LookupClients.inferisAsync(d.uri(), repo, sc.refs(), true),
                      masters,
                      concurrency,
                      seconds));
            }
            // A client is made only when it is to run: making one opens its connections.
            Map<String, Factory> threadClients = new LinkedHashMap<>();
            if (clients.contains("inferis")) {
              threadClients.put("inferis", () -> LookupClients.inferis(d.uri(), repo, sc.refs()));
            }
            if (clients.contains("feast-java")) {
              threadClients.put(
                  "feast-java-style", () -> LookupClients.feastJava(uris, cluster, layout));
            }
            // 100 x 250 one-command-per-feature lookups take minutes each at 64 callers: skipped.
            if (clients.contains("naive") && sc.entities() == 1) {
              threadClients.put(
                  "naive jedis pool", () -> LookupClients.naive(hps, cluster, layout));
            }
            if (TOGETHER && RATE > 0) {
              threadLoops(topology, sc, threadClients, masters, concurrency, seconds)
                  .forEach(r -> record(rows, r));
            } else {
              for (Map.Entry<String, Factory> c : threadClients.entrySet()) {
                threadLoops(
                        topology,
                        sc,
                        Map.of(c.getKey(), c.getValue()),
                        masters,
                        concurrency,
                        seconds)
                    .forEach(r -> record(rows, r));
              }
            }
            if (!clients.contains("ceiling")) {
              continue;
            }
            CeilingClient.Result ceiling =
                CeilingClient.run(uris, cluster, layout, ENTITIES, seconds, 2, masters);
            record(
                rows,
                new Row(
                    topology,
                    sc.name(),
                    "ceiling (raw pipelined HMGET)",
                    ceiling.hmgetPerSecond() / sc.entities(),
                    ceiling.latencyMicros().getValueAtPercentile(50) / 1000.0,
                    ceiling.latencyMicros().getValueAtPercentile(99) / 1000.0,
                    1));
            if (sc.entities() == 1 && clients.contains("redis-benchmark")) {
              double rb =
                  RedisBenchmarkCeiling.hmget(
                      masters.get(0).port(), cluster, layout.fields().length);
              if (rb > 0) {
                record(
                    rows,
                    new Row(topology, sc.name(), "redis-benchmark -P 16 HMGET", rb, 0, 0, 64));
              }
            }
          }
        }
        rows.subList(rowsBefore, measuredFrom).clear();
      } finally {
        d.close();
      }
    }
    String table = table(ROUNDS == 1 ? rows : medians(rows));
    PAIRED_P99.forEach(
        (pair, ratios) -> {
          long below = ratios.stream().filter(r -> r <= 1).count();
          System.out.printf(
              "%s: median %.2f over %d rounds, %d at or below 1, rounds %s%n",
              pair,
              median(ratios.stream().mapToDouble(Double::doubleValue).toArray()),
              ratios.size(),
              below,
              ratios.stream().map(r -> String.format("%.2f", r)).toList());
        });
    Files.createDirectories(out.toAbsolutePath().getParent());
    Files.writeString(out, table, StandardCharsets.UTF_8);
    System.out.println(table);
  }

  /**
   * {@code -Dinferis.bench.rounds=N}: every client of a scenario runs N times, in turns, and the
   * table shows each one's medians. This machine's speed drifts by up to 2x within minutes
   * (hypervisor steal); turns expose both sides of a ratio to the same drift. Default 1.
   */
  private static final int ROUNDS = Integer.getInteger("inferis.bench.rounds", 1);

  /**
   * {@code -Dinferis.bench.warmupRounds=N}: N rounds of every client run first and are not counted.
   * The clients share Lettuce, so whichever runs first also compiles Lettuce's code for the others;
   * a warm-up round has every client compiled before any is measured. Default 0.
   */
  private static final int WARM_UP_ROUNDS = Integer.getInteger("inferis.bench.warmupRounds", 0);

  /**
   * One row per (topology, scenario, client), in first-seen order: the median of its rounds'
   * lookups/s, p50 and p99 and the largest connection count. Prints each round's ratio to the
   * ceiling of the same round.
   */
  static List<Row> medians(List<Row> rows) {
    Map<String, List<Row>> byClient = new LinkedHashMap<>();
    for (Row r : rows) {
      byClient
          .computeIfAbsent(
              r.topology() + "|" + r.scenario() + "|" + r.client(), k -> new ArrayList<>())
          .add(r);
    }
    List<Row> out = new ArrayList<>();
    for (List<Row> runs : byClient.values()) {
      Row first = runs.get(0);
      List<Row> ceilings =
          byClient.getOrDefault(
              first.topology() + "|" + first.scenario() + "|ceiling (raw pipelined HMGET)",
              List.of());
      if (ceilings.size() == runs.size()) {
        StringBuilder ratios = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
          ratios.append(
              String.format(
                  " %.2f", runs.get(i).lookupsPerSecond() / ceilings.get(i).lookupsPerSecond()));
        }
        System.out.printf(
            "%s %s %s: per-round ratio to the ceiling%s%n",
            first.topology(), first.scenario(), first.client(), ratios);
      }
      out.add(median(runs));
    }
    return out;
  }

  /**
   * The runs of one client as one row: the median of their lookups/s, p50 and p99 and the largest
   * connection count.
   */
  static Row median(List<Row> runs) {
    Row first = runs.get(0);
    return new Row(
        first.topology(),
        first.scenario(),
        first.client(),
        median(runs.stream().mapToDouble(Row::lookupsPerSecond).toArray()),
        median(runs.stream().mapToDouble(Row::p50Ms).toArray()),
        median(runs.stream().mapToDouble(Row::p99Ms).toArray()),
        runs.stream().mapToInt(Row::maxConnections).max().orElse(0));
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    java.util.Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /**
   * CPU used while one client runs, per lookup: this JVM's (the client; the HTTP server in {@link
   * HttpOverheadLoad}) and the Redis nodes'. CPU time is not charged for time the hypervisor took
   * away (steal), so unlike lookups/s these figures hold still on a noisy machine: the costs, for
   * comparing two builds or two clients.
   */
  record Cpu(List<RedisNode> nodes, long jvmStart, long redisStart, Jvm jvm) {
    static Cpu start(List<RedisNode> nodes) {
      return new Cpu(nodes, processCpuNanos(), redisCpuNanos(nodes), Jvm.now());
    }

    /**
     * Also prints what the JVM did besides the client in the interval: JIT compilation (a client
     * still being compiled is not yet measured at its speed) and GC pauses.
     */
    void print(String name, long lookups, String jvmRole) {
      Jvm since = Jvm.now().minus(jvm);
      System.out.printf(
          "%s: %.1f us of %s CPU and %.1f us of Redis CPU per lookup; %.1f kB allocated per"
              + " lookup; JIT %d ms, %d GCs %d ms%n",
          name,
          (processCpuNanos() - jvmStart) / 1e3 / lookups,
          jvmRole,
          (redisCpuNanos(nodes) - redisStart) / 1e3 / lookups,
          since.allocated() / 1e3 / lookups,
          since.jitMillis(),
          since.gcs(),
          since.gcMillis());
    }

    /** The nodes' user + system CPU from {@code INFO cpu}, in nanoseconds. */
    private static long redisCpuNanos(List<RedisNode> nodes) {
      double seconds = 0;
      for (RedisNode n : nodes) {
        Map<String, String> info = n.info("cpu");
        seconds +=
            Double.parseDouble(info.get("used_cpu_user"))
                + Double.parseDouble(info.get("used_cpu_sys"));
      }
      return (long) (seconds * 1e9);
    }
  }

  /**
   * The JVM's totals so far: bytes allocated by all threads, JIT compilation time and GC
   * collections and their time.
   */
  record Jvm(long allocated, long jitMillis, long gcs, long gcMillis) {
    static Jvm now() {
      long gcs = 0;
      long gcMillis = 0;
      for (java.lang.management.GarbageCollectorMXBean gc :
          java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
        gcs += Math.max(0, gc.getCollectionCount());
        gcMillis += Math.max(0, gc.getCollectionTime());
      }
      return new Jvm(
          ((com.sun.management.ThreadMXBean)
                  java.lang.management.ManagementFactory.getThreadMXBean())
              .getTotalThreadAllocatedBytes(),
          java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime(),
          gcs,
          gcMillis);
    }

    Jvm minus(Jvm earlier) {
      return new Jvm(
          allocated - earlier.allocated,
          jitMillis - earlier.jitMillis,
          gcs - earlier.gcs,
          gcMillis - earlier.gcMillis);
    }
  }

  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean)
            java.lang.management.ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** Makes a client (opening its connections). */
  private interface Factory {
    LookupClients.Client make() throws Exception;
  }

  /** Adds {@code r} to the table and prints it at once (a long run shows progress). */
  private static void record(List<Row> rows, Row r) {
    rows.add(r);
    System.out.printf(
        "%s %s %-32s %12.0f lookups/s p50 %.2f ms p99 %.2f ms conns %d%n",
        r.topology(),
        r.scenario(),
        r.client(),
        r.lookupsPerSecond(),
        r.p50Ms(),
        r.p99Ms(),
        r.maxConnections());
  }

  /** What a load loop shares with its measurement: latencies, phase flags and counters. */
  private static final class Load {
    final Recorder recorder = new Recorder(3);
    final AtomicBoolean measuring = new AtomicBoolean(false);
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicLong done = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    final java.util.concurrent.atomic.AtomicReference<Throwable> firstError =
        new java.util.concurrent.atomic.AtomicReference<>();
    final Scenario sc;

    Load(Scenario sc) {
      this.sc = sc;
    }

    /** A request's random entities. */
    List<Integer> entities() {
      ThreadLocalRandom rnd = ThreadLocalRandom.current();
      List<Integer> entities = new ArrayList<>(sc.entities());
      for (int i = 0; i < sc.entities(); i++) {
        entities.add(rnd.nextInt(HOT_ENTITIES));
      }
      return entities;
    }

    /** Counts one finished request that started at {@code start}. */
    void count(long start, Throwable error) {
      if (error != null) {
        errors.incrementAndGet();
        firstError.compareAndSet(null, error);
      } else if (measuring.get()) {
        recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
        done.incrementAndGet();
      }
    }
  }

  /**
   * Runs thread-per-request clients, each with {@code concurrency} threads of its own, closed loop
   * or paced; several at once only when paced ({@link #TOGETHER}). One row per client.
   */
  static List<Row> threadLoops(
      String topology,
      Scenario sc,
      Map<String, Factory> factories,
      List<RedisNode> masters,
      int concurrency,
      double seconds)
      throws Exception {
    List<LookupClients.Client> made = new ArrayList<>();
    try {
      for (Factory f : factories.values()) {
        made.add(f.make());
      }
      List<Load> loads = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (LookupClients.Client client : made) {
        Load load = new Load(sc);
        loads.add(load);
        threads.addAll(startThreads(client, load, concurrency));
      }
      List<String> shown =
          factories.keySet().stream()
              .map(n -> RATE > 0 ? String.format("%s @ %,d/s", n, RATE) : n)
              .map(n -> TOGETHER && factories.size() > 1 ? n + " (together)" : n)
              .toList();
      List<Row> rows = measure(topology, shown, masters, seconds, loads, () -> joinAll(threads));
      for (int i = 0; i + 1 < rows.size(); i++) {
        Row a = rows.get(i);
        Row b = rows.get(rows.size() - 1);
        double ratio = a.p99Ms() / b.p99Ms();
        String pair = topology + " " + sc.name() + ": p99 of " + a.client() + " / " + b.client();
        if (counting) {
          PAIRED_P99.computeIfAbsent(pair, k -> new ArrayList<>()).add(ratio);
        }
        System.out.printf("%s = %.2f%n", pair, ratio);
      }
      return rows;
    } finally {
      for (LookupClients.Client c : made) {
        c.close();
      }
    }
  }

  private static List<Thread> startThreads(
      LookupClients.Client client, Load load, int concurrency) {
    List<Thread> threads = new ArrayList<>();
    // Paced (-Dinferis.bench.rate): each thread starts a request every `period`, staggered, and
    // a request's latency runs from when it was due, so a client that falls behind is charged
    // for the wait (no coordinated omission).
    long period = RATE > 0 ? (long) (concurrency * 1e9 / RATE) : 0;
    long origin = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      long firstDue = origin + period * t / concurrency;
      Thread th =
          new Thread(
              () -> {
                long due = firstDue;
                while (load.running.get()) {
                  List<Integer> entities = load.entities();
                  long start = System.nanoTime();
                  if (period > 0) {
                    if (due > start) {
                      java.util.concurrent.locks.LockSupport.parkNanos(due - start);
                    }
                    start = due;
                    due += period;
                  }
                  Throwable failure = null;
                  try {
                    client.lookup(entities);
                  } catch (Exception e) {
                    failure = e;
                  }
                  load.count(start, failure);
                }
              },
              "load-" + t);
      th.setDaemon(true);
      th.start();
      threads.add(th);
    }
    return threads;
  }

  /**
   * {@code -Dinferis.bench.together=true} (with a rate): the paced clients run at the same time,
   * each offered the rate from its own threads, and each round compares them over the same seconds.
   * On a machine whose stalls come and go (steal, the other process's bursts), clients measured one
   * after the other see different stalls, and their p99s differ by whichever met the worse ones; at
   * once, both meet the same ones. Default false.
   */
  private static final boolean TOGETHER = Boolean.getBoolean("inferis.bench.together");

  /**
   * Per pair of clients measured together, each round's ratio of their p99s (the last client's p99
   * below): a paired comparison, summed up at the end by its median.
   */
  private static final Map<String, List<Double>> PAIRED_P99 = new LinkedHashMap<>();

  /**
   * {@code -Dinferis.bench.hot=N}: requests draw their entities from the first N of the 1,000 (hot
   * entities, where coalesced reads pay). Default all 1,000.
   */
  private static final int HOT_ENTITIES =
      Math.max(1, Math.min(ENTITIES, Integer.getInteger("inferis.bench.hot", ENTITIES)));

  /** False during warm-up rounds, whose figures are not kept. */
  private static boolean counting = true;

  /**
   * {@code -Dinferis.bench.rate=N}: the thread-per-request clients (inferis blocking,
   * feast-java-style, naive) offer N lookups/s in all instead of running flat out, so their p99s
   * compare at equal load. Default 0: closed loop.
   */
  private static final int RATE = Integer.getInteger("inferis.bench.rate", 0);

  /**
   * {@code concurrency} requests kept in flight without a thread per request: each completion
   * issues the next request, as an event-driven server does.
   */
  static Row asyncClosedLoop(
      String topology,
      Scenario sc,
      String name,
      LookupClients.AsyncClient client,
      List<RedisNode> masters,
      int concurrency,
      double seconds)
      throws Exception {
    try (client) {
      Load load = new Load(sc);
      java.util.concurrent.CountDownLatch stopped =
          new java.util.concurrent.CountDownLatch(concurrency);
      for (int u = 0; u < concurrency; u++) {
        new VirtualUser(client, load, stopped).next();
      }
      return measure(
              topology, List.of(name), masters, seconds, List.of(load), () -> awaitQuietly(stopped))
          .get(0);
    }
  }

  /** Clients (by name) that have had their first, long warm-up in this JVM. */
  private static final java.util.Set<String> WARMED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  /** {@code -Dinferis.bench.warmup=SECONDS}: the first warm-up of each client; default 20. */
  private static final double FIRST_WARM_UP_SECONDS =
      Double.parseDouble(System.getProperty("inferis.bench.warmup", "20"));

  /**
   * Warm-up, then the measured interval with connection sampling; stops the loads; a row per load.
   * Loads measured together share the CPU figures, which are printed once for all of them.
   */
  private static List<Row> measure(
      String topology,
      List<String> names,
      List<RedisNode> masters,
      double seconds,
      List<Load> loads,
      Runnable awaitStopped)
      throws InterruptedException {
    // The harness's own thread sleeps while the load runs, so it takes no CPU from the clients.
    // A client's first run warms the JIT for longer: C2 compiles for 15-25 s on this machine, and
    // a 2 s warm-up measured whichever client ran first at a fraction of its speed.
    boolean first = false;
    for (String name : names) {
      first |= WARMED.add(name);
    }
    Thread.sleep(first ? (long) (FIRST_WARM_UP_SECONDS * 1000) : 2_000);
    for (Load load : loads) {
      load.recorder.reset();
      load.measuring.set(true);
    }
    Cpu cpu = Cpu.start(masters);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int maxConns = 0;
    while (System.nanoTime() < end) {
      for (RedisNode m : masters) {
        maxConns = Math.max(maxConns, m.connectedClients());
      }
      Thread.sleep(250); // sampling pace; each sample costs Redis a connection
    }
    loads.forEach(load -> load.measuring.set(false));
    double elapsed = (System.nanoTime() - start) / 1e9;
    cpu.print(
        String.join(" + ", names), loads.stream().mapToLong(l -> l.done.get()).sum(), "client");
    loads.forEach(load -> load.running.set(false));
    awaitStopped.run();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < loads.size(); i++) {
      Load load = loads.get(i);
      Histogram h = load.recorder.getIntervalHistogram();
      if (load.errors.get() > 0) {
        System.out.println(
            names.get(i)
                + ": "
                + load.errors.get()
                + " errors, the first: "
                + load.firstError.get());
      }
      rows.add(
          new Row(
              topology,
              load.sc.name(),
              names.get(i),
              load.done.get() / elapsed,
              h.getValueAtPercentile(50) / 1000.0,
              h.getValueAtPercentile(99) / 1000.0,
              maxConns));
    }
    return rows;
  }

  private static void joinAll(List<Thread> threads) {
    for (Thread th : threads) {
      try {
        th.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await(60, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One in-flight request slot of the async loop. */
  private record VirtualUser(
      LookupClients.AsyncClient client, Load load, java.util.concurrent.CountDownLatch stopped) {

    /** Issues requests until one completes later; ones that complete at once loop, not recurse. */
    void next() {
      while (true) {
        if (!load.running.get()) {
          stopped.countDown();
          return;
        }
        long start = System.nanoTime();
        java.util.concurrent.CompletableFuture<?> f =
            client.lookup(load.entities()).toCompletableFuture();
        if (!f.isDone()) {
          f.whenComplete(
              (v, e) -> {
                load.count(start, e);
                next();
              });
          return;
        }
        load.count(start, f.isCompletedExceptionally() ? f.handle((v, e) -> e).join() : null);
      }
    }
  }

  static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| topology | scenario | client | lookups/s | p50 ms | p99 ms | max conns/node | vs ceiling | vs naive |\n");
    sb.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    Map<String, List<Row>> groups =
        rows.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.topology() + "|" + r.scenario(),
                    LinkedHashMap::new,
                    Collectors.toList()));
    for (List<Row> g : groups.values()) {
      double ceiling =
          g.stream()
              .filter(r -> r.client().startsWith("ceiling"))
              .mapToDouble(Row::lookupsPerSecond)
              .findFirst()
              .orElse(Double.NaN);
      double naive =
          g.stream()
              .filter(r -> r.client().startsWith("naive"))
              .mapToDouble(Row::lookupsPerSecond)
              .findFirst()
              .orElse(Double.NaN);
      for (Row r : g) {
        sb.append(
            String.format(
                "| %s | %s | %s | %,.0f | %.2f | %.2f | %d | %s | %s |%n",
                r.topology(),
                r.scenario(),
                r.client(),
                r.lookupsPerSecond(),
                r.p50Ms(),
                r.p99Ms(),
                r.maxConnections(),
                ratio("%.2fx", r.lookupsPerSecond() / ceiling),
                ratio("%.1fx", r.lookupsPerSecond() / naive)));
      }
    }
    return sb.toString();
  }

  /** A ratio, or a dash where its baseline was not run. */
  private static String ratio(String format, double value) {
    return Double.isNaN(value) ? "–" : String.format(format, value);
  }

  static FeatureRepo repo() {
    FeatureRepo.Builder b =
        FeatureRepo.builder("bench").entity(new EntityDef("driver", "driver_id", ValueType.INT64));
    for (int v = 0; v < VIEWS; v++) {
      List<FeatureDef> features = new ArrayList<>();
      for (int f = 0; f < FEATURES_PER_VIEW; f++) {
        features.add(new FeatureDef("f" + f, ValueType.FLOAT));
      }
      b.view(
          new FeatureViewDef(
              String.format("view_%02d", v), List.of("driver"), features, Duration.ZERO));
    }
    return b.build();
  }

  static List<String> refs(int views) {
    List<String> refs = new ArrayList<>();
    for (int v = 0; v < views; v++) {
      for (int f = 0; f < FEATURES_PER_VIEW; f++) {
        refs.add(String.format("view_%02d:f%d", v, f));
      }
    }
    return refs;
  }

  static void load(String url, FeatureRepo repo) {
    try (RedisConnector connector = RedisConnector.connect(url);
        FeatureStore store =
            FeatureStores.redis(
                repo,
                connector,
                io.inferis.features.FeatureStoreOptions.builder()
                    .requestDeadline(Duration.ofSeconds(30))
                    .build())) {
      Instant now = Instant.now();
      for (int v = 0; v < VIEWS; v++) {
        List<FeatureRow> rows = new ArrayList<>(ENTITIES);
        for (int e = 0; e < ENTITIES; e++) {
          Map<String, FeatureValue> values = new LinkedHashMap<>();
          for (int f = 0; f < FEATURES_PER_VIEW; f++) {
            values.put("f" + f, FeatureValue.ofFloat(e * 0.001f + f));
          }
          rows.add(new FeatureRow(Map.of("driver_id", FeatureValue.ofInt64(e)), values, now));
        }
        store.writeRows(String.format("view_%02d", v), rows);
      }
    }
  }

  static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8);
  }
}
