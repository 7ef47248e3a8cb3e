package io.inferis.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.FakeClock;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Aggregation on a known data set across two servers, on a Redis Cluster: exact nearest-rank
 * percentiles, predicted-class counts and error counts, per server and for all live servers; every
 * key of one (server, model) in one slot; every key with a TTL no longer than the window.
 */
class AggregationClusterTest {

  @RegisterExtension static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster();

  private static final Duration INTERVAL = Duration.ofSeconds(10);

  private RedisConnector connector;
  private Cache cache;
  private Monitor a;
  private Monitor b;

  @BeforeEach
  void start() {
    connector = RedisConnector.connect(cluster.get().uri());
    cache = Caches.redis(connector);
    // Near real time: the store trims by its own clock, so records must be recent.
    FakeClock clock = new FakeClock(System.currentTimeMillis());
    MonitoringOptions options =
        MonitoringOptions.builder().reportInterval(INTERVAL).clock(clock).build();
    a = Monitoring.start(cache, options.toBuilder().serverId("agg-a").build());
    b = Monitoring.start(cache, options.toBuilder().serverId("agg-b").build());
  }

  @AfterEach
  void stop() {
    a.close();
    b.close();
    cache.close();
    connector.close();
  }

  private static InferenceRecord inference(long latencyMs, String topClass) {
    return InferenceRecord.builder()
        .latency(Duration.ofMillis(latencyMs))
        .prediction(Prediction.classes(Map.of(topClass, 0.8, "runner-up", 0.2)))
        .build();
  }

  /**
   * Server a: m1 latencies 1..100 ms (cat ×75, dog ×25), 3 errors; m2 ten at 5 ms with numeric
   * outputs. Server b: m1 latencies 101..200 ms (cat ×50, bird ×50), 2 errors. All records of a
   * server share one timestamp: distinct ids keep them apart.
   */
  private void recordKnownDataSet() {
    for (int i = 1; i <= 100; i++) {
      a.record("m1", inference(i, i % 4 == 0 ? "dog" : "cat"));
      b.record("m1", inference(100 + i, i % 2 == 0 ? "cat" : "bird"));
    }
    for (int i = 0; i < 10; i++) {
      a.record(
          "m2", InferenceRecord.of(Duration.ofMillis(5), Prediction.values(i, 2 * i, 0.5 * i)));
    }
    for (int i = 0; i < 3; i++) {
      a.recordError("m1", InferenceRecord.builder().build(), new IllegalStateException("a" + i));
    }
    for (int i = 0; i < 2; i++) {
      b.recordError("m1", InferenceRecord.builder().build(), new RuntimeException("b" + i));
    }
    assertThat(a.flush(Duration.ofSeconds(10))).isTrue();
    assertThat(b.flush(Duration.ofSeconds(10))).isTrue();
  }

  @Test
  void summaryOfAllServers_hasExactPercentilesClassAndErrorCounts() {
    recordKnownDataSet();

    MonitoringSummary all = a.summary(Scope.ALL, Duration.ofMinutes(1));

    assertThat(all.servers()).containsExactly("agg-a", "agg-b");
    assertThat(all.models()).extracting(ModelSummary::model).containsExactly("m1", "m2");
    ModelSummary m1 = all.model("m1").orElseThrow();
    assertThat(m1.inferences()).isEqualTo(200);
    assertThat(m1.errors()).isEqualTo(5);
    assertThat(m1.p50Millis()).isEqualTo(100.0);
    assertThat(m1.p95Millis()).isEqualTo(190.0);
    assertThat(m1.p99Millis()).isEqualTo(198.0);
    assertThat(m1.maxMillis()).isEqualTo(200.0);
    assertThat(m1.classCounts())
        .containsExactly(Map.entry("cat", 125L), Map.entry("bird", 50L), Map.entry("dog", 25L));
    ModelSummary m2 = all.model("m2").orElseThrow();
    assertThat(m2.inferences()).isEqualTo(10);
    assertThat(m2.errors()).isZero();
    assertThat(m2.p99Millis()).isEqualTo(5.0);
    assertThat(m2.classCounts()).isEmpty();
  }

  @Test
  void summaryOfOneServer_coversOnlyItsOwnRecords() {
    recordKnownDataSet();

    ModelSummary onA = a.summary(Scope.SERVER, Duration.ofMinutes(1)).model("m1").orElseThrow();
    ModelSummary onB = b.summary(Scope.SERVER, Duration.ofMinutes(1)).model("m1").orElseThrow();

    assertThat(onA.inferences()).isEqualTo(100);
    assertThat(onA.errors()).isEqualTo(3);
    assertThat(List.of(onA.p50Millis(), onA.p95Millis(), onA.p99Millis(), onA.maxMillis()))
        .containsExactly(50.0, 95.0, 99.0, 100.0);
    assertThat(onA.classCounts()).containsExactly(Map.entry("cat", 75L), Map.entry("dog", 25L));
    assertThat(onB.inferences()).isEqualTo(100);
    assertThat(onB.errors()).isEqualTo(2);
    assertThat(List.of(onB.p50Millis(), onB.p95Millis(), onB.p99Millis(), onB.maxMillis()))
        .containsExactly(150.0, 195.0, 199.0, 200.0);
    assertThat(b.summary(Scope.SERVER, Duration.ofMinutes(1)).model("m2")).isEmpty();
  }

  @Test
  void keysFollowTheLayout_shareASlotPerServer_andAllCarryATtl() {
    recordKnownDataSet();

    String inference = "inferis:{agg-a}:inference:m1";
    String error = "inferis:{agg-a}:error:m1";
    assertThat(SlotHash.getSlot(error)).isEqualTo(SlotHash.getSlot(inference));
    assertThat(SlotHash.getSlot("inferis:{agg-a}:inference:m2"))
        .isEqualTo(SlotHash.getSlot(inference));
    List<String> keys = new ArrayList<>();
    for (RedisNode master : cluster.get().masters()) {
      keys.addAll(master.call(c -> c.keys("inferis:*")));
    }
    assertThat(keys)
        .containsExactlyInAnyOrder(
            inference,
            error,
            "inferis:{agg-a}:inference:m2",
            "inferis:{agg-b}:inference:m1",
            "inferis:{agg-b}:error:m1",
            "inferis:models",
            "inferis:servers");
    for (String key : keys) {
      long pttl = cluster.get().masterFor(key).<Long>call(c -> c.pttl(key));
      assertThat(pttl).as("PTTL of " + key).isPositive().isLessThanOrEqualTo(20_000);
    }
    List<String> registry =
        cluster.get().masterFor("inferis:models").call(c -> c.zrange("inferis:models", 0, -1));
    assertThat(registry).containsExactlyInAnyOrder("agg-a:m1", "agg-a:m2", "agg-b:m1");
  }
}
