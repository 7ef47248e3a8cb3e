package io.inferis.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.testing.JavaProcess;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The orphaned-monitoring-keys incident (docs/DESIGN.md), reproduced with a real writer JVM that is
 * SIGKILLed mid-stream, once with inferis's atomic window and once with the incident's "ZADD +
 * EXPIRE" fix.
 */
class LeakIncidentTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  private static final long WINDOW_MS = 2000;
  private static final long PERIOD_MS = 10;

  private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
  private final ConcurrentLinkedQueue<String> keysWithoutTtl = new ConcurrentLinkedQueue<>();

  @AfterEach
  void stopSampler() {
    sampler.shutdownNow();
  }

  /** Samples every inferis key's PTTL every 20 ms, remembering any that had none. */
  private void watchTtls() {
    RedisNode node = redis.get();
    sampler.scheduleWithFixedDelay(
        () -> {
          try {
            node.call(
                c -> {
                  for (String k : c.keys("inferis:*")) {
                    if (c.pttl(k) == -1) {
                      keysWithoutTtl.add(k);
                    }
                  }
                  return null;
                });
          } catch (RuntimeException e) {
            // A sample lost to a busy server is not evidence either way.
          }
        },
        0,
        20,
        TimeUnit.MILLISECONDS);
  }

  private static JavaProcess writer(String server, String mode) {
    JavaProcess p =
        JavaProcess.start(
            WindowWriterMain.class,
            redis.get().uri(),
            server,
            Long.toString(WINDOW_MS),
            Long.toString(PERIOD_MS),
            mode);
    p.awaitLine("writing " + server, Duration.ofSeconds(60));
    return p;
  }

  private List<String> registry() {
    return redis.get().call(c -> c.zrange(WindowWriterMain.MODELS, 0, -1));
  }

  @Test
  void atomicWindows_sigkilledWriterLeavesNothingAfterItsWindow() {
    watchTtls();
    JavaProcess survivor = writer("survivor", "atomic");
    JavaProcess victim = writer("victim", "atomic");
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> registry().contains("victim:model-a"));

      victim.kill(); // SIGKILL mid-stream: no shutdown hook, no cleanup, nothing in memory survives
      long killedAt = System.nanoTime();

      String victimKey = WindowWriterMain.inferenceKey("victim");
      Awaitility.await("victim's window key expires and its registry entry is trimmed")
          .atMost(Duration.ofMillis(WINDOW_MS + 2000))
          .pollInterval(Duration.ofMillis(20))
          .until(
              () ->
                  redis.get().<Long>call(c -> c.exists(victimKey)) == 0
                      && !registry().contains("victim:model-a"));
      long goneAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
      System.out.println("atomic: victim's keys gone " + goneAfterMs + " ms after SIGKILL");

      // The shared registry is still being written by the survivor, and is bounded.
      assertThat(registry()).containsExactly("survivor:model-a");
      assertThat(redis.get().<Long>call(c -> c.pttl(WindowWriterMain.MODELS))).isPositive();
      assertThat(keysWithoutTtl).as("keys seen without a TTL while writers ran").isEmpty();
    } finally {
      victim.kill();
      survivor.kill();
    }
  }

  @Test
  void naiveZaddExpire_sharedKeyKeepsTheDeadWritersMembers() {
    watchTtls();
    JavaProcess survivor = writer("survivor", "naive");
    JavaProcess victim = writer("victim", "naive");
    try {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> registry().contains("victim:model-a"));
      victim.kill();
      String victimKey = WindowWriterMain.inferenceKey("victim");
      // Its own key does expire (EXPIRE covers the whole key) ...
      Awaitility.await()
          .atMost(Duration.ofMillis(WINDOW_MS + 2000))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> redis.get().<Long>call(c -> c.exists(victimKey)) == 0);
      // ... but the shared key, re-armed by the survivor, keeps the dead member for good.
      Awaitility.await("dead member stays in the shared key for two more windows")
          .during(Duration.ofMillis(WINDOW_MS * 2))
          .atMost(Duration.ofMillis(WINDOW_MS * 2 + 2000))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> registry().contains("victim:model-a"));
      // and the survivor's own per-server key grows without bound, since nothing trims it.
      long size = redis.get().<Long>call(c -> c.zcard(WindowWriterMain.inferenceKey("survivor")));
      assertThat(size).isGreaterThan(WINDOW_MS / PERIOD_MS);
    } finally {
      victim.kill();
      survivor.kill();
    }
  }
}
