package io.inferis.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The inference path never waits on Redis: with the server SIGSTOPped (or killed), {@code record()}
 * keeps returning at once, the queue stays at its capacity by dropping the oldest records and
 * counting them, and recording resumes when the server does.
 */
class RedisStoppedRecordingTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final int CAPACITY = 1000;
  private static final int BATCH = 100;

  private RedisConnector connector;
  private Cache cache;
  private Monitor monitor;

  @BeforeEach
  void start() {
    connector =
        RedisConnector.connect(
            redis.get().uri(),
            RedisOptions.builder()
                .commandTimeout(Duration.ofMillis(500))
                .connectTimeout(Duration.ofMillis(500))
                .build());
    cache = Caches.redis(connector);
    monitor =
        Monitoring.start(
            cache,
            MonitoringOptions.builder()
                .serverId("stopped")
                .reportInterval(Duration.ofSeconds(5))
                .queueCapacity(CAPACITY)
                .batchSize(BATCH)
                .flushInterval(Duration.ofMillis(50))
                .closeTimeout(Duration.ofSeconds(2))
                .build());
  }

  @AfterEach
  void stop() {
    RedisNode node = redis.get();
    if (node.isPaused()) {
      node.resume();
    }
    if (!node.isRunning()) {
      node.restart();
    }
    monitor.close();
    cache.close();
    connector.close();
  }

  private static InferenceRecord rec(int i) {
    return InferenceRecord.builder()
        .latencyMicros(1000 + i)
        .prediction(Prediction.ofClass(i % 2 == 0 ? "yes" : "no", 0.9))
        .tag("i", Integer.toString(i))
        .build();
  }

  private long stored(String model) {
    return redis.get().<Long>call(c -> c.zcard("inferis:{stopped}:inference:" + model));
  }

  @Test
  void whileRedisIsStopped_recordNeverWaits_dropsOldestAndCounts_thenResumes() {
    for (int i = 0; i < 500; i++) {
      monitor.record("before", rec(i));
    }
    assertThat(monitor.flush(Duration.ofSeconds(5))).isTrue();
    assertThat(stored("before")).isEqualTo(500);

    RedisNode node = redis.get();
    node.pause(); // SIGSTOP: connections stay open, nothing answers
    try {
      long start = System.nanoTime();
      int maxDepth = 0;
      for (int i = 0; i < 50_000; i++) {
        monitor.record("during", rec(i));
        if (i % 1000 == 0) {
          maxDepth = Math.max(maxDepth, monitor.stats().queueDepth());
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      System.out.println(
          "50,000 record() calls with Redis stopped took " + took.toMillis() + " ms");
      assertThat(node.isPaused()).as("Redis still stopped after the calls").isTrue();
      assertThat(took).isLessThan(Duration.ofSeconds(5));

      MonitorStats s = monitor.stats();
      assertThat(s.queueDepth()).isLessThanOrEqualTo(CAPACITY);
      assertThat(maxDepth).isLessThanOrEqualTo(CAPACITY);
      // All but the queue and the one batch the blocked flusher holds were dropped, and counted.
      assertThat(s.droppedRecords()).isGreaterThanOrEqualTo(50_000 - CAPACITY - BATCH);
      assertThat(
              monitor
                  .meterRegistry()
                  .get("inferis.monitoring.records.dropped")
                  .tag("reason", "queue_full")
                  .counter()
                  .count())
          .isEqualTo((double) s.droppedRecords());
      assertThat(monitor.meterRegistry().get("inferis.monitoring.queue.depth").gauge().value())
          .isLessThanOrEqualTo(CAPACITY);
      // The blocked batch times out and is counted as failed, while Redis is still stopped.
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> monitor.stats().failedRecords() > 0);
      assertThat(node.isPaused()).isTrue();
    } finally {
      node.resume();
    }

    for (int i = 0; i < 100; i++) {
      monitor.record("after", rec(i));
    }
    Awaitility.await("recording resumes after SIGCONT")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> stored("after") == 100);
    assertThat(monitor.flush(Duration.ofSeconds(5))).isTrue();
    MonitorStats s = monitor.stats();
    assertThat(s.recorded()).isEqualTo(500 + 50_000 + 100);
    assertThat(s.written() + s.droppedRecords() + s.failedRecords())
        .as("every record is written, dropped or failed: none unaccounted for")
        .isEqualTo(s.recorded());
  }

  @Test
  void withRedisKilled_recordNeverThrows_andCloseReturnsWithinItsTimeout() {
    redis.get().kill();
    for (int i = 0; i < 20_000; i++) {
      monitor.record("dead", rec(i));
      monitor.recordError("dead", rec(i), new IllegalStateException("boom " + i));
    }
    long start = System.nanoTime();
    monitor.close();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    MonitorStats s = monitor.stats();
    assertThat(s.recorded()).isEqualTo(40_000);
    assertThat(s.written()).isZero();
    assertThat(s.droppedRecords() + s.failedRecords()).isEqualTo(40_000);
    monitor.record("dead", rec(0)); // after close: dropped and counted, never thrown
    assertThat(monitor.stats().droppedRecords()).isEqualTo(s.droppedRecords() + 1);
    assertThat(monitor.stats().queueDepth()).isZero();
  }
}
