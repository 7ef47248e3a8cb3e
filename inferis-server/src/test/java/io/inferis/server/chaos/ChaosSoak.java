package io.inferis.server.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.features.OnlineFeatures;
import io.inferis.redis.RedisConnector;
import io.inferis.server.Demo;
import io.inferis.server.cli.Main;
import io.inferis.server.cli.ServeBanner;
import io.inferis.testing.JavaProcess;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisNode;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The chaos soak: {@code servers} real {@code inferis serve} JVMs against a 6-node Redis Cluster
 * under steady lookups, inferences and feature writes, while a scheduler injects one fault at a
 * time — SIGKILL and restart of a server, SIGSTOP/SIGCONT of a master (the cluster fails it over),
 * {@code CLUSTER FAILOVER}, restart of a replica. Two probes run beside the load: every monitoring
 * key's PTTL (a key without one is a leak) and {@code connected_clients} per node. Afterwards every
 * acknowledged write is read back through the library, all servers are SIGKILLed, and the cluster
 * must hold no {@code inferis:} key once the monitoring window has passed.
 *
 * <p>Every request ends in exactly one bucket of {@link Result}: succeeded, failed with a clear
 * error (a JSON {@code {"error": ...}} answer, or a refused/cut connection to a server that was
 * being killed), unclear (any other answer), or hung (no answer within {@link #HUNG_AFTER}).
 */
final class ChaosSoak {

  /** A request without an answer after this long counts as hung; the server's deadline is 1 s. */
  static final Duration HUNG_AFTER = Duration.ofSeconds(10);

  /** How long a SIGSTOPped master stays stopped after the cluster promoted its replica. */
  static final Duration HUNG_MASTER_HOLD = Duration.ofSeconds(3);

  /** What the soak does. */
  record Settings(
      Duration duration,
      int servers,
      int requestsPerSecond,
      long metricsIntervalSeconds,
      Duration faultEvery) {

    Duration window() {
      return Duration.ofSeconds(2 * metricsIntervalSeconds);
    }
  }

  /** The figures the soak reports. */
  record Result(
      Settings settings,
      long sent,
      long succeeded,
      long failedClear,
      Map<String, Long> failuresByKind,
      long unclear,
      List<String> unclearSamples,
      long hung,
      long writesAcked,
      long writesLostOutsideFailover,
      long writesLostInsideFailover,
      List<String> faults,
      long ttlSamples,
      long monitoringKeysSeen,
      long keysWithoutTtl,
      List<String> keysWithoutTtlSamples,
      long leftoverKeys,
      Duration leftoverGoneAfter,
      Map<String, Integer> maxConnectionsPerNode) {

    int maxConnections() {
      return maxConnectionsPerNode.values().stream().mapToInt(i -> i).max().orElse(0);
    }

    String toMarkdown() {
      StringBuilder b = new StringBuilder();
      b.append("| figure | value |\n|---|---:|\n");
      row(b, "duration", settings.duration().toSeconds() + " s");
      row(b, "servers / target load", settings.servers() + " / " + settings.requestsPerSecond());
      row(b, "faults injected", faults.size());
      row(b, "requests sent", sent);
      row(b, "succeeded", succeeded);
      row(b, "failed with a clear error", failedClear + " " + failuresByKind);
      row(b, "unclear answers", unclear);
      row(b, "hung (no answer in " + HUNG_AFTER.toSeconds() + " s)", hung);
      row(b, "feature writes acknowledged", writesAcked);
      row(b, "acknowledged writes lost, outside failover windows", writesLostOutsideFailover);
      row(b, "acknowledged writes lost, inside failover windows", writesLostInsideFailover);
      row(b, "PTTL probes of monitoring keys", ttlSamples + " (" + monitoringKeysSeen + " keys)");
      row(b, "monitoring keys without TTL observed", keysWithoutTtl);
      row(
          b,
          "leftover inferis: keys after the window",
          leftoverKeys + " (last gone " + leftoverGoneAfter.toMillis() + " ms after the kill)");
      row(b, "max connected_clients per node", maxConnectionsPerNode);
      b.append("\nFaults, in order: ").append(String.join("; ", faults)).append('\n');
      return b.toString();
    }

    private static void row(StringBuilder b, String name, Object value) {
      b.append("| ").append(name).append(" | ").append(value).append(" |\n");
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String VIEW = "driver_hourly_stats";
  private static final List<String> REFS =
      List.of(VIEW + ":conv_rate", VIEW + ":acc_rate", VIEW + ":avg_daily_trips");
  private static final long FIRST_WRITTEN_ID = 1_000_000;

  private final RedisCluster cluster;
  private final Settings settings;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(2))
          .build();
  private final List<Server> servers = new ArrayList<>();
  private final AtomicBoolean loadRunning = new AtomicBoolean(true);
  private final AtomicBoolean probesRunning = new AtomicBoolean(true);

  private final LongAdder sent = new LongAdder();
  private final LongAdder succeeded = new LongAdder();
  private final LongAdder failedClear = new LongAdder();
  private final Map<String, LongAdder> failuresByKind = new ConcurrentHashMap<>();
  private final LongAdder unclear = new LongAdder();
  private final ConcurrentLinkedQueue<String> unclearSamples = new ConcurrentLinkedQueue<>();
  private final LongAdder hung = new LongAdder();

  private final AtomicLong nextWriteId = new AtomicLong(FIRST_WRITTEN_ID);
  private final Map<Long, Long> ackedAtNanos = new ConcurrentHashMap<>();
  private final List<long[]> failoverWindows = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<String> faults = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final LongAdder ttlSamples = new LongAdder();
  private final Set<String> monitoringKeys = ConcurrentHashMap.newKeySet();
  private final Set<String> keysWithoutTtl = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> maxConnections = new ConcurrentHashMap<>();

  ChaosSoak(RedisCluster cluster, Settings settings) {
    this.cluster = cluster;
    this.settings = settings;
  }

  Result run() throws Exception {
    List<Thread> threads = new ArrayList<>();
    try {
      for (int i = 0; i < settings.servers(); i++) {
        servers.add(new Server(i));
      }
      servers.parallelStream().forEach(Server::start);

      threads.add(daemon("chaos-ttl-probe", this::probeTtls));
      threads.add(daemon("chaos-connection-probe", this::probeConnections));
      int loaders = 8;
      long periodNanos = TimeUnit.SECONDS.toNanos(loaders) / settings.requestsPerSecond();
      List<Thread> load = new ArrayList<>();
      for (int i = 0; i < loaders; i++) {
        int kind = i;
        load.add(daemon("chaos-load-" + i, () -> loadLoop(kind, periodNanos)));
      }

      long end = System.nanoTime() + settings.duration().toNanos();
      injectFaults(end);

      loadRunning.set(false);
      for (Thread t : load) {
        t.join(HUNG_AFTER.toMillis() + 5_000);
      }
      long[] lost = verifyAckedWrites();

      Instant killed = Instant.now();
      for (Server s : servers) {
        s.process.get().kill();
      }
      Duration leftoverGone = awaitNoMonitoringKeys(settings.window().plusSeconds(2));
      long leftover = countMonitoringKeys();
      probesRunning.set(false);
      for (Thread t : threads) {
        t.join(5_000);
      }
      return new Result(
          settings,
          sent.sum(),
          succeeded.sum(),
          failedClear.sum(),
          failuresByKind.entrySet().stream()
              .collect(
                  java.util.stream.Collectors.toMap(
                      Map.Entry::getKey,
                      e -> e.getValue().sum(),
                      (a, b) -> a,
                      java.util.TreeMap::new)),
          unclear.sum(),
          List.copyOf(unclearSamples),
          hung.sum(),
          ackedAtNanos.size(),
          lost[0],
          lost[1],
          List.copyOf(faults),
          ttlSamples.sum(),
          monitoringKeys.size(),
          keysWithoutTtl.size(),
          keysWithoutTtl.stream().limit(10).toList(),
          leftover,
          leftover == 0 ? leftoverGone : Duration.between(killed, Instant.now()),
          new java.util.TreeMap<>(maxConnections));
    } finally {
      loadRunning.set(false);
      probesRunning.set(false);
      for (Server s : servers) {
        JavaProcess p = s.process.get();
        if (p != null) {
          p.kill();
        }
      }
      for (RedisNode n : cluster.nodes()) {
        if (n.isPaused()) {
          n.resume();
        }
      }
    }
  }

  // ---- faults

  private void injectFaults(long endNanos) {
    int round = 0;
    long next = System.nanoTime() + settings.faultEvery().toNanos() / 2;
    while (true) {
      parkUntil(next);
      if (System.nanoTime() >= endNanos) {
        return;
      }
      switch (round % 4) {
        case 0 -> killAndRestartServer(servers.get((round / 4) % servers.size()));
        case 1 -> pauseMaster(round / 4);
        case 2 -> clusterFailover(round / 4);
        default -> restartReplica(round / 4);
      }
      round++;
      next = Math.max(System.nanoTime(), next + settings.faultEvery().toNanos());
    }
  }

  private void killAndRestartServer(Server server) {
    long t0 = System.nanoTime();
    server.process.get().kill();
    server.start();
    faults.add("SIGKILL+restart server " + server.index + " (" + ms(t0) + " ms)");
  }

  private void pauseMaster(int n) {
    List<RedisNode> masters = cluster.masters();
    RedisNode master = masters.get(n % masters.size());
    List<RedisNode> replicas = cluster.replicasOf(master);
    long t0 = System.nanoTime();
    master.pause();
    // The cluster notices after cluster-node-timeout and promotes the replica.
    Awaitility.await("promotion of a replica of paused " + master)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(
            () ->
                replicas.stream()
                    .anyMatch(r -> "master".equals(r.info("replication").get("role"))));
    // Keep it hung a while after its replica took over: clients must move on without a reconnect
    // or a MOVED reply to tell them.
    parkUntil(System.nanoTime() + HUNG_MASTER_HOLD.toNanos());
    master.resume();
    cluster.awaitHealthy();
    failoverWindows.add(new long[] {t0 - TimeUnit.SECONDS.toNanos(1), System.nanoTime()});
    faults.add(
        "SIGSTOP master " + master.port() + " until failover + 3 s, SIGCONT (" + ms(t0) + " ms)");
  }

  private void clusterFailover(int n) {
    List<RedisNode> masters = cluster.masters();
    RedisNode master = masters.get(n % masters.size());
    long t0 = System.nanoTime();
    RedisNode promoted = cluster.failover(master);
    failoverWindows.add(new long[] {t0, System.nanoTime()});
    faults.add(
        "CLUSTER FAILOVER " + master.port() + " -> " + promoted.port() + " (" + ms(t0) + " ms)");
  }

  private void restartReplica(int n) {
    List<RedisNode> replicas = cluster.replicas();
    RedisNode replica = replicas.get(n % replicas.size());
    long t0 = System.nanoTime();
    replica.restart();
    cluster.awaitHealthy();
    faults.add("restart replica " + replica.port() + " (" + ms(t0) + " ms)");
  }

  // ---- load

  private void loadLoop(int kind, long periodNanos) {
    long next = System.nanoTime() + ThreadLocalRandom.current().nextLong(periodNanos);
    int i = kind;
    while (loadRunning.get()) {
      parkUntil(next);
      next += periodNanos;
      Server server = servers.get(i++ % servers.size());
      switch (kind % 4) {
        case 0, 1 -> lookup(server);
        case 2 -> infer(server);
        default -> write(server);
      }
    }
  }

  private void lookup(Server server) {
    StringBuilder ids = new StringBuilder("1001,1002,1003");
    long written = nextWriteId.get() - FIRST_WRITTEN_ID;
    if (written > 0) {
      ids.append(',').append(FIRST_WRITTEN_ID + ThreadLocalRandom.current().nextLong(written));
    }
    String body =
        "{\"features\":[\""
            + String.join("\",\"", REFS)
            + "\"],\"entities\":{\"driver_id\":["
            + ids
            + "]}}";
    send(server, "/get-online-features", body, json -> json.has("results"));
  }

  private void infer(Server server) {
    send(
        server,
        "/infer/driver-risk",
        "{\"entities\":{\"driver_id\":[1001,1002]}}",
        json -> json.path("predictions").size() == 2);
  }

  private void write(Server server) {
    long id = nextWriteId.getAndIncrement();
    String body =
        "{\"feature_view_name\":\""
            + VIEW
            + "\",\"df\":{\"driver_id\":["
            + id
            + "],\"conv_rate\":[0.5],\"acc_rate\":[0.25],\"avg_daily_trips\":["
            + id
            + "],\"event_timestamp\":[\""
            + Instant.now().truncatedTo(ChronoUnit.MILLIS)
            + "\"]}}";
    if (send(server, "/write-to-online-store", body, json -> true)) {
      ackedAtNanos.put(id, System.nanoTime());
    }
  }

  /** Sends one request and puts its outcome in a bucket; true when it succeeded. */
  private boolean send(
      Server server, String path, String body, java.util.function.Predicate<JsonNode> ok) {
    sent.increment();
    String base = server.base.get();
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(HUNG_AFTER)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      hung.increment();
      return false;
    } catch (ConnectException e) {
      clear("refused (server down)");
      return false;
    } catch (IOException e) {
      clear("connection cut (server killed)");
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    JsonNode json;
    try {
      json = JSON.readTree(response.body());
    } catch (IOException e) {
      json = null;
    }
    int status = response.statusCode();
    if (status / 100 == 2 && json != null && ok.test(json)) {
      succeeded.increment();
      return true;
    }
    if (status >= 400
        && json != null
        && json.path("error").isTextual()
        && !json.path("error").asText().isBlank()) {
      clear("HTTP " + status);
      return false;
    }
    unclear.increment();
    if (unclearSamples.size() < 10) {
      unclearSamples.add(path + " -> " + status + " " + response.body());
    }
    return false;
  }

  private void clear(String kind) {
    failedClear.increment();
    failuresByKind.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  // ---- checks

  /** Reads every acknowledged write back; returns {lost outside, lost inside} failover windows. */
  private long[] verifyAckedWrites() throws Exception {
    long outside = 0;
    long inside = 0;
    List<Long> ids = new ArrayList<>(ackedAtNanos.keySet());
    ids.sort(null);
    try (RedisConnector connector = RedisConnector.connect(cluster.uri());
        FeatureStore store = FeatureStores.redis(Demo.repo(), connector)) {
      for (int from = 0; from < ids.size(); from += 200) {
        List<Long> batch = ids.subList(from, Math.min(ids.size(), from + 200));
        List<Map<String, FeatureValue>> rows =
            batch.stream().map(id -> Map.of("driver_id", FeatureValue.ofInt64(id))).toList();
        OnlineFeatures r = store.get(List.of(VIEW + ":avg_daily_trips"), rows);
        for (int row = 0; row < batch.size(); row++) {
          long id = batch.get(row);
          boolean present =
              r.status(row, 0) == FieldStatus.PRESENT && r.value(row, 0).int64Value() == id;
          if (!present) {
            if (inFailoverWindow(ackedAtNanos.get(id))) {
              inside++;
            } else {
              outside++;
            }
          }
        }
      }
    }
    return new long[] {outside, inside};
  }

  private boolean inFailoverWindow(long nanos) {
    return failoverWindows.stream().anyMatch(w -> nanos >= w[0] && nanos <= w[1]);
  }

  /** Polls until no monitoring key is left; how long that took, or {@code within} if never. */
  private Duration awaitNoMonitoringKeys(Duration within) {
    long t0 = System.nanoTime();
    try {
      Awaitility.await("no inferis: keys")
          .atMost(within)
          .pollInterval(Duration.ofMillis(100))
          .until(() -> countMonitoringKeys() == 0);
      return Duration.ofNanos(System.nanoTime() - t0);
    } catch (ConditionTimeoutException e) {
      return within;
    }
  }

  private long countMonitoringKeys() {
    long n = 0;
    for (RedisNode master : cluster.masters()) {
      n += master.call(c -> scan(c).size());
    }
    return n;
  }

  // ---- probes

  private void probeTtls() {
    while (probesRunning.get()) {
      for (RedisNode node : cluster.nodes()) {
        if (!node.isRunning() || node.isPaused()) {
          continue;
        }
        try {
          node.call(
              c -> {
                if (!"master".equals(c.role().get(0))) {
                  return null;
                }
                for (String key : scan(c)) {
                  long pttl = c.pttl(key);
                  ttlSamples.increment();
                  monitoringKeys.add(key);
                  if (pttl == -1) {
                    keysWithoutTtl.add(key + " on " + node.port());
                  }
                }
                return null;
              });
        } catch (RuntimeException e) {
          // The node is being failed over or restarted; the next round probes it again.
        }
      }
      parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  private void probeConnections() {
    while (probesRunning.get()) {
      for (RedisNode node : cluster.nodes()) {
        if (!node.isRunning() || node.isPaused()) {
          continue;
        }
        try {
          int clients = node.connectedClients();
          maxConnections.merge(String.valueOf(node.port()), clients, Math::max);
        } catch (RuntimeException e) {
          // As above.
        }
      }
      parkUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250));
    }
  }

  private static List<String> scan(RedisCommands<String, String> c) {
    return RedisNode.scanKeys(c, "inferis:*");
  }

  // ---- plumbing

  /** Each server's HTTP event loops, each with a cluster connector of its own. */
  static final int EVENT_LOOPS = 2;

  /** One {@code inferis serve} JVM; restarted in place on a new port. */
  private final class Server {
    final int index;
    final AtomicReference<JavaProcess> process = new AtomicReference<>();
    final AtomicReference<String> base = new AtomicReference<>("http://127.0.0.1:1");

    Server(int index) {
      this.index = index;
    }

    void start() {
      JavaProcess p =
          JavaProcess.start(
              Main.class,
              ServeBanner.serveOnFreePorts(
                  "--demo",
                  "--redis",
                  cluster.uri(),
                  "--server-id",
                  "chaos-" + index,
                  "--metrics-interval",
                  String.valueOf(settings.metricsIntervalSeconds()),
                  "--event-loops",
                  String.valueOf(EVENT_LOOPS)));
      process.set(p);
      String banner = p.awaitLine(ServeBanner.PREFIX, Duration.ofSeconds(90));
      base.set(ServeBanner.baseUrl(banner));
    }
  }

  private static Thread daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void parkUntil(long nanos) {
    long left;
    while ((left = nanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }

  private static long ms(long t0) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
  }
}
