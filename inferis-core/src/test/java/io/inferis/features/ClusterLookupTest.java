package io.inferis.features;

import static io.inferis.features.TestRepo.driver;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.feast.EntityKeys;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Lookups against the 6-node cluster: slot spread, and connections that stay constant. */
class ClusterLookupTest {

  @RegisterExtension
  static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster().dedicated();

  private static final List<String> REFS =
      List.of(
          "driver_hourly_stats:conv_rate",
          "driver_hourly_stats:acc_rate",
          "driver_hourly_stats:avg_daily_trips",
          "driver_extras:rating");

  private static void load(FeatureStore store, int n) {
    List<FeatureRow> rows = new ArrayList<>();
    List<FeatureRow> extras = new ArrayList<>();
    Instant now = Instant.now();
    for (int i = 0; i < n; i++) {
      rows.add(
          new FeatureRow(
              driver(i),
              Map.of(
                  "conv_rate", FeatureValue.ofFloat(i / 1000f),
                  "acc_rate", FeatureValue.ofFloat(1 - i / 1000f),
                  "avg_daily_trips", FeatureValue.ofInt64(i)),
              now));
      extras.add(new FeatureRow(driver(i), Map.of("rating", FeatureValue.ofDouble(i + 0.5)), now));
    }
    store.writeRows("driver_hourly_stats", rows);
    store.writeRows("driver_extras", extras);
  }

  /**
   * A lookup made in a completion, on Lettuce's event loop, for a key on a node whose connection is
   * not open yet must not wait on that loop for the connection (Lettuce's batch dispatch on the
   * routing connection does, and the connection may be opening on that very loop: a bench run hung
   * so). Each attempt has a fresh connector, so each hop of the chain opens a node connection.
   */
  @Test
  void lookupsChainedFromCompletions_openNodeConnectionsWithoutBlockingTheEventLoop()
      throws Exception {
    RedisCluster c = cluster.get();
    List<Integer> onePerMaster = new ArrayList<>();
    for (RedisNode master : c.masters()) {
      int i = 0;
      while (!c.masterForSlot(SlotHash.getSlot(EntityKeys.redisKey(driver(i), TestRepo.PROJECT)))
          .equals(master)) {
        i++;
      }
      onePerMaster.add(i);
    }
    try (RedisConnector connector = RedisConnector.connect(c.uri());
        FeatureStore store = FeatureStores.redis(TestRepo.repo(), connector)) {
      load(store, java.util.Collections.max(onePerMaster) + 1);
    }
    List<String> trips = List.of("driver_hourly_stats:avg_daily_trips");
    for (int attempt = 0; attempt < 3; attempt++) {
      try (RedisConnector connector = RedisConnector.connect(c.uri());
          FeatureStore store = FeatureStores.redis(TestRepo.repo(), connector)) {
        java.util.concurrent.CompletableFuture<OnlineFeatures> chain =
            store.getOnlineFeatures(trips, List.of(driver(onePerMaster.get(0))));
        for (int id : onePerMaster.subList(1, onePerMaster.size())) {
          chain = chain.thenCompose(r -> store.getOnlineFeatures(trips, List.of(driver(id))));
        }
        int last = onePerMaster.get(onePerMaster.size() - 1);
        assertThat(chain.get(10, java.util.concurrent.TimeUnit.SECONDS).value(0, 0))
            .isEqualTo(FeatureValue.ofInt64(last));
      }
    }
  }

  @Test
  void hundredEntitiesSpreadOverAllSlots_returnCorrectValuesInOrder() {
    try (RedisConnector connector = RedisConnector.connect(cluster.get().uri());
        FeatureStore store = FeatureStores.redis(TestRepo.repo(), connector)) {
      load(store, 100);
      List<Map<String, FeatureValue>> rows = new ArrayList<>();
      Set<RedisNode> owners = new HashSet<>();
      for (int i = 99; i >= 0; i--) {
        rows.add(driver(i));
        byte[] key = EntityKeys.redisKey(driver(i), TestRepo.PROJECT);
        owners.add(cluster.get().masterForSlot(SlotHash.getSlot(key)));
      }
      assertThat(owners).as("the 100 keys live on every master").hasSize(3);

      OnlineFeatures r = store.get(REFS, rows);
      for (int row = 0; row < 100; row++) {
        int id = 99 - row;
        assertThat(r.value(row, 2)).isEqualTo(FeatureValue.ofInt64(id));
        assertThat(r.value(row, 0)).isEqualTo(FeatureValue.ofFloat(id / 1000f));
        assertThat(r.value(row, 3)).isEqualTo(FeatureValue.ofDouble(id + 0.5));
        for (int f = 0; f < REFS.size(); f++) {
          assertThat(r.status(row, f)).isEqualTo(FieldStatus.PRESENT);
        }
      }
    }
  }

  @Test
  void readFromReplicas_servesLookupsFromReplicaNodes() {
    RedisCluster c = cluster.get();
    c.awaitHealthy();
    io.inferis.redis.RedisOptions options =
        io.inferis.redis.RedisOptions.builder().readFromReplicas(true).build();
    try (RedisConnector writer = RedisConnector.connect(c.uri());
        FeatureStore writeStore = FeatureStores.redis(TestRepo.repo(), writer);
        RedisConnector reader = RedisConnector.connect(c.uri(), options);
        FeatureStore readStore = FeatureStores.redis(TestRepo.repo(), reader)) {
      load(writeStore, 50);
      for (RedisNode replica : c.replicas()) {
        replica.call(x -> x.configResetstat());
      }
      org.awaitility.Awaitility.await("replicas caught up and serve reads")
          .atMost(java.time.Duration.ofSeconds(10))
          .until(
              () -> {
                OnlineFeatures r = readStore.get(REFS, List.of(driver(7), driver(42)));
                return r.value(1, 2).equals(FeatureValue.ofInt64(42));
              });
      long replicaHmgets =
          c.replicas().stream()
              .mapToLong(
                  n -> {
                    String stats = n.call(x -> x.info("commandstats"));
                    java.util.regex.Matcher m =
                        java.util.regex.Pattern.compile("cmdstat_hmget:calls=(\\d+)")
                            .matcher(stats);
                    return m.find() ? Long.parseLong(m.group(1)) : 0;
                  })
              .sum();
      assertThat(replicaHmgets).as("HMGETs answered by replicas").isPositive();
    }
  }

  @Test
  void concurrentLookups_keepAConstantNumberOfConnections_whileANaivePoolGrows() throws Exception {
    RedisCluster c = cluster.get();
    int concurrency = 256;
    Map<RedisNode, Integer> baseline = clients(c);
    Map<RedisNode, Integer> inferisPeak;
    try (RedisConnector connector = RedisConnector.connect(c.uri());
        FeatureStore store = FeatureStores.redis(TestRepo.repo(), connector)) {
      load(store, 200);
      inferisPeak =
          underLoad(c, concurrency, i -> store.get(REFS, List.of(driver(i % 200))).rowCount());
    }
    NaivePool naive = new NaivePool(c);
    Map<RedisNode, Integer> naivePeak;
    try {
      naivePeak = underLoad(c, concurrency, naive::lookup);
    } finally {
      naive.close();
    }
    Map<RedisNode, Integer> inferisAdded = minus(inferisPeak, baseline);
    Map<RedisNode, Integer> naiveAdded = minus(naivePeak, baseline);
    System.out.println(
        "connections per node at "
            + concurrency
            + " concurrent lookups: inferis "
            + inferisAdded.values()
            + ", naive pool "
            + naiveAdded.values());
    for (RedisNode master : c.masters()) {
      assertThat(inferisAdded.get(master)).as("inferis connections to " + master).isBetween(1, 2);
      assertThat(naiveAdded.get(master)).as("naive connections to " + master).isGreaterThan(16);
    }
  }

  interface Lookup {
    int run(int i) throws Exception;
  }

  /** Runs {@code concurrency} looping callers for 2 s; returns each master's peak client count. */
  private static Map<RedisNode, Integer> underLoad(RedisCluster c, int concurrency, Lookup lookup)
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong done = new AtomicLong();
    ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
    CountDownLatch started = new CountDownLatch(concurrency);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < concurrency; t++) {
      int id = t;
      Thread th =
          new Thread(
              () -> {
                started.countDown();
                int i = id;
                while (running.get()) {
                  try {
                    lookup.run(i++);
                    done.incrementAndGet();
                  } catch (Throwable e) {
                    errors.add(e);
                  }
                }
              });
      th.start();
      threads.add(th);
    }
    started.await();
    Map<RedisNode, Integer> peak = new ConcurrentHashMap<>();
    long end = System.nanoTime() + 2_000_000_000L;
    while (System.nanoTime() < end) {
      for (RedisNode m : c.masters()) {
        peak.merge(m, m.connectedClients(), Math::max);
      }
    }
    running.set(false);
    for (Thread th : threads) {
      th.join(30_000);
    }
    assertThat(errors).as("lookup errors").isEmpty();
    assertThat(done.get()).isPositive();
    return peak;
  }

  private static Map<RedisNode, Integer> clients(RedisCluster c) {
    return c.masters().stream().collect(Collectors.toMap(m -> m, RedisNode::connectedClients));
  }

  private static Map<RedisNode, Integer> minus(
      Map<RedisNode, Integer> a, Map<RedisNode, Integer> b) {
    return a.keySet().stream()
        .collect(Collectors.toMap(k -> k, k -> a.get(k) - b.getOrDefault(k, 0)));
  }

  /**
   * The incident's client shape: a pool that opens a new connection whenever none is free, with no
   * upper bound, and one command per feature.
   */
  static final class NaivePool implements AutoCloseable {
    private final RedisClusterClient client;
    private final ConcurrentLinkedQueue<StatefulRedisClusterConnection<byte[], byte[]>> idle =
        new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<StatefulRedisClusterConnection<byte[], byte[]>> all =
        new ConcurrentLinkedQueue<>();

    NaivePool(RedisCluster c) {
      client =
          RedisClusterClient.create(
              c.nodes().stream()
                  .map(RedisNode::redisUri)
                  .map(RedisURI::toString)
                  .map(RedisURI::create)
                  .toList());
    }

    int lookup(int i) {
      byte[] key = EntityKeys.redisKey(driver(i % 200), TestRepo.PROJECT);
      int found = 0;
      for (String ref : REFS) {
        FeatureRef r = FeatureRef.parse(ref);
        StatefulRedisClusterConnection<byte[], byte[]> conn = idle.poll();
        if (conn == null) {
          conn = client.connect(ByteArrayCodec.INSTANCE);
          all.add(conn);
        }
        try {
          if (conn.sync()
                  .hget(key, io.inferis.feast.FieldHashes.featureField(r.view(), r.feature()))
              != null) {
            found++;
          }
        } finally {
          idle.add(conn);
        }
      }
      return found;
    }

    @Override
    public void close() {
      all.forEach(StatefulRedisClusterConnection::close);
      client.shutdown();
    }
  }
}
