package io.inferis.features;

import static io.inferis.features.TestRepo.driver;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.feast.EntityKeys;
import io.inferis.feast.FeatureValue;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.redis.RedisUnavailableException;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Real faults on a cluster of its own: a stopped master, a failover, a killed master. */
class LookupFaultsTest {

  @RegisterExtension
  static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster().dedicated();

  private static final Duration DEADLINE = Duration.ofMillis(500);
  private static final List<String> REFS = List.of("driver_hourly_stats:avg_daily_trips");
  private static RedisConnector connector;
  private static FeatureStore store;

  @BeforeAll
  static void connect() {
    connector =
        RedisConnector.connect(
            cluster.get().uri(),
            RedisOptions.builder()
                .commandTimeout(Duration.ofSeconds(1))
                .topologyRefreshPeriod(Duration.ofSeconds(2))
                .build());
    store =
        FeatureStores.redis(
            TestRepo.repo(),
            connector,
            FeatureStoreOptions.builder().requestDeadline(DEADLINE).build());
  }

  /** The fixture flushes before each test, so each test loads its own data. */
  @BeforeEach
  void load() {
    cluster.get().awaitHealthy();
    assertThat(TestRepo.writeTrips(store, 0, 300)).isEqualTo(300);
  }

  @AfterAll
  static void close() {
    store.close();
    connector.close();
  }

  /** Driver ids whose keys live on {@code master} (or, with {@code on=false}, elsewhere). */
  private static List<Integer> drivers(RedisNode master, boolean on) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      int slot = SlotHash.getSlot(EntityKeys.redisKey(driver(i), TestRepo.PROJECT));
      if (cluster.get().masterForSlot(slot).equals(master) == on) {
        out.add(i);
      }
    }
    return out;
  }

  private static boolean lookupSucceeds(int id) {
    OnlineFeatures r = store.get(REFS, List.of(driver(id)));
    if (!r.value(0, 0).equals(FeatureValue.ofInt64(id))) {
      System.out.println(
          "lookup of driver " + id + " answered " + r.status(0, 0) + " " + r.value(0, 0));
      return false;
    }
    return true;
  }

  @Test
  void stoppedMaster_itsLookupsFailAtTheDeadline_othersKeepServing_thenItRecovers() {
    RedisCluster c = cluster.get();
    c.awaitHealthy();
    RedisNode victim = c.masters().get(0);
    List<Integer> onVictim = drivers(victim, true);
    List<Integer> elsewhere = drivers(victim, false);
    assertThat(onVictim).isNotEmpty();

    victim.pause();
    try {
      // Shorter than cluster-node-timeout, so no failover hides the stop.
      for (int k = 0; k < 2; k++) {
        long start = System.nanoTime();
        int id = onVictim.get(k);
        Throwable failure = null;
        try {
          store.get(REFS, List.of(driver(id)));
        } catch (RuntimeException e) {
          failure = e;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(failure).isInstanceOf(RedisUnavailableException.class);
        assertThat(took)
            .isGreaterThanOrEqualTo(DEADLINE.minusMillis(50))
            .isLessThan(DEADLINE.plusMillis(400));
        for (int j = 0; j < 20; j++) {
          assertThat(lookupSucceeds(elsewhere.get((k * 20 + j) % elsewhere.size()))).isTrue();
        }
      }
    } finally {
      victim.resume();
    }
    Awaitility.await("lookups on the continued master recover")
        .atMost(Duration.ofSeconds(10))
        .ignoreExceptions()
        .until(() -> lookupSucceeds(onVictim.get(0)));
    c.awaitHealthy();
  }

  /**
   * A master that hangs (SIGSTOP) and stays hung: the cluster promotes its replica after
   * cluster-node-timeout, but the hung master still holds its TCP connection, so no reconnect or
   * MOVED tells the client. With the default 30 s periodic refresh, lookups for its slots must
   * still recover within seconds: a command timeout in a cluster triggers a topology refresh.
   */
  @Test
  void hungMasterFailedOver_lookupsRecoverWithoutWaitingForThePeriodicRefresh() {
    RedisCluster c = cluster.get();
    c.awaitHealthy();
    RedisNode victim = c.masters().get(0);
    List<RedisNode> replicas = c.replicasOf(victim);
    List<Integer> onVictim = drivers(victim, true);
    try (RedisConnector defaults =
            RedisConnector.connect(
                c.uri(), RedisOptions.builder().commandTimeout(Duration.ofSeconds(1)).build());
        FeatureStore own =
            FeatureStores.redis(
                TestRepo.repo(),
                defaults,
                FeatureStoreOptions.builder().requestDeadline(DEADLINE).build())) {
      assertThat(defaults.options().topologyRefreshPeriod()).isEqualTo(Duration.ofSeconds(30));
      assertThat(own.get(REFS, List.of(driver(onVictim.get(0)))).value(0, 0))
          .isEqualTo(FeatureValue.ofInt64(onVictim.get(0)));
      victim.pause();
      try {
        Awaitility.await("a replica of the hung master is promoted")
            .atMost(Duration.ofSeconds(20))
            .ignoreExceptions()
            .until(
                () ->
                    replicas.stream()
                        .anyMatch(r -> "master".equals(r.info("replication").get("role"))));
        long promoted = System.nanoTime();
        Awaitility.await("lookups on the promoted replica, the old master still hung")
            .atMost(Duration.ofSeconds(10))
            .ignoreExceptions()
            .until(
                () ->
                    onVictim.stream()
                        .limit(10)
                        .allMatch(
                            id ->
                                own.get(REFS, List.of(driver(id)))
                                    .value(0, 0)
                                    .equals(FeatureValue.ofInt64(id))));
        System.out.println(
            "lookups recovered "
                + Duration.ofNanos(System.nanoTime() - promoted).toMillis()
                + " ms after the promotion");
      } finally {
        victim.resume();
      }
    }
    c.awaitHealthy();
  }

  @Test
  void failover_lookupsRecover() {
    RedisCluster c = cluster.get();
    c.awaitHealthy();
    RedisNode master = c.masters().get(1);
    List<Integer> ids = drivers(master, true);
    c.failover(master);
    Awaitility.await("lookups recover after failover")
        .atMost(Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> ids.stream().limit(20).allMatch(LookupFaultsTest::lookupSucceeds));
  }

  /**
   * Multi-entity requests go out per node over the node connections, which do not follow redirects:
   * after a failover the old master answers MOVED, and those reads must be re-sent through the
   * routed API (and the topology refreshed) — every value still correct. The client keeps the
   * default 30 s periodic refresh, so only the MOVED answers can tell it.
   */
  @Test
  void failover_batchedMultiEntityLookupsFollowMoved() {
    RedisCluster c = cluster.get();
    c.awaitHealthy();
    List<Map<String, FeatureValue>> rows = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      rows.add(driver(i * 3));
    }
    try (RedisConnector defaults = RedisConnector.connect(c.uri());
        FeatureStore own = FeatureStores.redis(TestRepo.repo(), defaults)) {
      OnlineFeatures before = own.get(REFS, rows);
      for (int i = 0; i < 100; i++) {
        assertThat(before.value(i, 0)).isEqualTo(FeatureValue.ofInt64(i * 3));
      }
      RedisNode master = c.masters().get(0);
      // The harness asks again if the master drops the manual failover.
      c.failover(master);
      for (int round = 0; round < 5; round++) {
        OnlineFeatures r = own.get(REFS, rows);
        for (int i = 0; i < 100; i++) {
          assertThat(r.value(i, 0)).as("driver %d", i * 3).isEqualTo(FeatureValue.ofInt64(i * 3));
        }
      }
    }
    c.awaitHealthy();
  }

  /**
   * Single-entity requests also go on the node connections (they share the event loop's batched
   * writes): after a failover their MOVED answers are re-sent through the routed API too.
   */
  @Test
  void failover_singleEntityLookupsFollowMoved() {
    RedisCluster c = cluster.get();
    c.awaitHealthy();
    try (RedisConnector defaults = RedisConnector.connect(c.uri());
        FeatureStore own = FeatureStores.redis(TestRepo.repo(), defaults)) {
      for (int i = 0; i < 100; i++) {
        assertThat(own.get(REFS, List.of(driver(i * 3))).value(0, 0))
            .isEqualTo(FeatureValue.ofInt64(i * 3));
      }
      RedisNode master = c.masters().get(1);
      // The harness asks again if the master drops the manual failover.
      c.failover(master);
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 100; i++) {
          assertThat(own.get(REFS, List.of(driver(i * 3))).value(0, 0))
              .as("driver %d", i * 3)
              .isEqualTo(FeatureValue.ofInt64(i * 3));
        }
      }
    }
    c.awaitHealthy();
  }

  @Test
  void killedMaster_replicaTakesOver_lookupsRecover() {
    RedisCluster c = cluster.get();
    c.awaitHealthy();
    RedisNode master = c.masters().get(2);
    List<Integer> ids = drivers(master, true);
    master.kill();
    try {
      Awaitility.await("lookups recover after the replica is promoted")
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> ids.stream().limit(20).allMatch(LookupFaultsTest::lookupSucceeds));
    } finally {
      master.restart();
    }
    c.awaitHealthy();
  }
}
