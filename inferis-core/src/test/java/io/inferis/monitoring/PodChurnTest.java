package io.inferis.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.cache.Cache;
import io.inferis.cache.Caches;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.JavaProcess;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Pod churn for real (docs/DESIGN.md, the leak this project exists to prevent: every pod death
 * stranded its keys with no TTL): three model-server JVMs record at a steady rate with a 2 s report
 * interval (4 s window) and are SIGKILLed one by one. No monitoring key is ever seen without a TTL,
 * the survivors' registries stop listing a dead server one window after its death, and one window
 * after the last death nothing under {@code inferis:} is left.
 */
class PodChurnTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private static final long INTERVAL_MS = 2000;
  private static final long WINDOW_MS = 2 * INTERVAL_MS;

  /**
   * The sorted set itself is trimmed on a survivor's next write (it flushes every 200 ms) after a
   * dead entry's score leaves the window; readers filter by score, so they never see it after one
   * window (asserted strictly below). The margin covers a flush delayed by a busy machine.
   */
  private static final long TRIM_GRACE_MS = 1000;

  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private final ConcurrentLinkedQueue<String> withoutTtl = new ConcurrentLinkedQueue<>();
  private final ConcurrentLinkedQueue<String> deadListed = new ConcurrentLinkedQueue<>();
  private final Map<String, Long> killedAt = new ConcurrentHashMap<>();
  private final AtomicInteger samples = new AtomicInteger();

  @AfterEach
  void stopSampler() {
    sampler.shutdownNow();
  }

  private static List<String> scanInferisKeys(RedisCommands<String, String> c) {
    return RedisNode.scanKeys(c, "inferis:*");
  }

  /** Every ~20 ms: the PTTL of every inferis key, and the registries against the kill times. */
  private void watch() {
    RedisNode node = redis.get();
    sampler.scheduleWithFixedDelay(
        () -> {
          try {
            node.call(
                c -> {
                  for (String k : scanInferisKeys(c)) {
                    if (c.pttl(k) == -1) {
                      withoutTtl.add(k);
                    }
                  }
                  long now = System.currentTimeMillis();
                  List<String> listed = new ArrayList<>(c.zrange("inferis:servers", 0, -1));
                  listed.addAll(c.zrange("inferis:models", 0, -1));
                  for (String member : listed) {
                    String server = member.split(":", 2)[0];
                    Long killed = killedAt.get(server);
                    // A survivor trims them; once the last pod is dead only the TTL is left.
                    boolean survivorWrites = !killedAt.containsKey("pod-c");
                    if (killed != null
                        && survivorWrites
                        && now > killed + WINDOW_MS + TRIM_GRACE_MS) {
                      deadListed.add(member + " listed " + (now - killed) + " ms after SIGKILL");
                    }
                  }
                  return null;
                });
            samples.incrementAndGet();
          } catch (RuntimeException e) {
            // A sample lost to a busy server is not evidence either way.
          }
        },
        0,
        20,
        TimeUnit.MILLISECONDS);
  }

  private static List<String> registries() {
    return redis
        .get()
        .call(
            c -> {
              List<String> all = new ArrayList<>(c.zrange("inferis:servers", 0, -1));
              all.addAll(c.zrange("inferis:models", 0, -1));
              all.sort(null);
              return all;
            });
  }

  private static JavaProcess pod(String server) {
    return JavaProcess.start(
        MonitorWriterMain.class, redis.get().uri(), server, Long.toString(INTERVAL_MS), "5");
  }

  private void kill(JavaProcess pod, String server) {
    pod.kill(); // SIGKILL: no shutdown hook, no final flush, nothing in memory survives
    killedAt.put(server, System.currentTimeMillis());
  }

  @Test
  void sigkilledPods_leaveNoKeyWithoutTtl_andNothingOneWindowAfterTheLast() {
    watch();
    JavaProcess a = pod("pod-a");
    JavaProcess b = pod("pod-b");
    JavaProcess c = pod("pod-c");
    try (RedisConnector connector = RedisConnector.connect(redis.get().uri());
        Cache cache = Caches.redis(connector)) {
      a.awaitLine("recording pod-a", Duration.ofSeconds(60));
      b.awaitLine("recording pod-b", Duration.ofSeconds(60));
      c.awaitLine("recording pod-c", Duration.ofSeconds(60));
      MonitoringQuery observer =
          Monitoring.query(
              cache,
              MonitoringOptions.builder()
                  .serverId("observer")
                  .reportInterval(Duration.ofMillis(INTERVAL_MS))
                  .build());
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  observer
                      .summary(Scope.ALL, Duration.ofMillis(WINDOW_MS))
                      .servers()
                      .containsAll(List.of("pod-a", "pod-b", "pod-c")));

      kill(a, "pod-a");
      long aDied = killedAt.get("pod-a");
      Awaitility.await("pod-b heartbeats for another second") // the pods die apart
          .atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () -> {
                Double beat = redis.get().call(r -> r.zscore("inferis:servers", "pod-b"));
                return beat != null && beat > aDied + 1000;
              });
      kill(b, "pod-b");

      // Through the registries, as a survivor's reporter reads them: gone one window after death.
      for (String dead : List.of("pod-a", "pod-b")) {
        long liveUntil = killedAt.get(dead) + WINDOW_MS;
        Awaitility.await()
            .atMost(Duration.ofMillis(WINDOW_MS + 3000))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> System.currentTimeMillis() > liveUntil);
        MonitoringSummary seen = observer.summary(Scope.ALL, Duration.ofMillis(WINDOW_MS));
        assertThat(seen.servers()).as("live servers one window after the kills").contains("pod-c");
        assertThat(seen.servers()).doesNotContain(dead);
      }
      // In the sorted sets themselves: trimmed by the survivor's next write.
      Awaitility.await("survivor's writes trim the dead from the registries")
          .atMost(Duration.ofMillis(TRIM_GRACE_MS + 2000))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> registries().equals(List.of("pod-c", "pod-c:model-a", "pod-c:model-b")));
      assertThat(redis.get().<Long>call(r -> r.pttl("inferis:models"))).isPositive();

      kill(c, "pod-c");
      long lastKill = killedAt.get("pod-c");
      Awaitility.await("no inferis: key left")
          .atMost(Duration.ofMillis(WINDOW_MS + 2000))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> redis.get().call(PodChurnTest::scanInferisKeys).isEmpty());
      System.out.println(
          "pod churn: all keys gone "
              + (System.currentTimeMillis() - lastKill)
              + " ms after the last SIGKILL; "
              + samples.get()
              + " TTL samples");

      assertThat(samples.get()).as("TTL samples taken").isGreaterThan(100);
      assertThat(withoutTtl).as("keys seen without a TTL").isEmpty();
      assertThat(deadListed).as("dead servers listed by the registries").isEmpty();
    } finally {
      a.kill();
      b.kill();
      c.kill();
    }
  }
}
