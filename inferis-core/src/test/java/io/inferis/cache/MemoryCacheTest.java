package io.inferis.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.testing.FakeClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Memory-backend behaviour driven by a fake clock: no test here waits for real time. */
class MemoryCacheTest {

  private final FakeClock clock = new FakeClock(1_700_000_000_000L);
  // A scheduler that never fires within a test (1 h interval): tests call sweep() themselves.
  private final ScheduledExecutorService idle = Executors.newSingleThreadScheduledExecutor();
  private MemoryCache cache = create(clock, 3);

  private MemoryCache create(InstantSource c, int batch) {
    return new MemoryCache(
        MemoryCacheOptions.builder()
            .clock(c)
            .scheduler(idle)
            .sweepInterval(Duration.ofHours(1))
            .sweepBatch(batch)
            .build());
  }

  @AfterEach
  void close() {
    cache.close();
    idle.shutdownNow();
  }

  @Test
  void ttl_isEnforcedOnAccess_byTheInjectedClock() {
    cache.set("k", "v".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(10));
    clock.advance(Duration.ofMillis(9_999));
    assertThat(cache.get("k")).isPresent();
    assertThat(cache.ttl("k").remaining()).isEqualTo(Duration.ofMillis(1));
    clock.advance(Duration.ofMillis(1));
    assertThat(cache.get("k")).isEmpty();
    assertThat(cache.storedKeys()).isZero();
  }

  @Test
  void window_trimsAndExpiresOnTheInjectedClock() {
    long t0 = clock.millis();
    cache.append("w", "a", t0, Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(30));
    cache.append("w", "b", clock.millis(), Duration.ofSeconds(60));
    clock.advance(Duration.ofSeconds(31));
    assertThat(cache.append("w", "c", clock.millis(), Duration.ofSeconds(60))).isEqualTo(2);
    clock.advance(Duration.ofSeconds(60));
    assertThat(cache.size("w")).isZero();
    assertThat(cache.ttl("w").isMissing()).isTrue();
  }

  @Test
  void sweeper_removesExpiredKeysNobodyReads_boundedPerRun() {
    for (int i = 0; i < 10; i++) {
      cache.set("k" + i, new byte[] {1}, Duration.ofSeconds(1));
    }
    cache.set("keep", new byte[] {1});
    clock.advance(Duration.ofSeconds(2));

    cache.sweep();
    assertThat(cache.sweptKeys())
        .as("one run examines at most sweepBatch keys")
        .isLessThanOrEqualTo(3);
    for (int run = 0; run < 4; run++) {
      cache.sweep();
    }
    assertThat(cache.sweptKeys()).isEqualTo(10);
    assertThat(cache.storedKeys()).isEqualTo(1);
    assertThat(cache.get("keep")).isPresent();
  }

  @Test
  void sweeper_survivesAndCountsErrors_thenKeepsWorking() {
    AtomicBoolean broken = new AtomicBoolean(true);
    InstantSource flaky =
        new InstantSource() {
          @Override
          public Instant instant() {
            return Instant.ofEpochMilli(millis());
          }

          @Override
          public long millis() {
            if (broken.get() && Thread.currentThread().getName().contains("sweeper-test")) {
              throw new IllegalStateException("clock failure injected by the test");
            }
            return clock.millis();
          }
        };
    cache.close();
    cache = create(flaky, 100);
    cache.set("k", new byte[] {1}, Duration.ofSeconds(1));
    clock.advance(Duration.ofSeconds(2));

    Thread sweeperThread = new Thread(cache::sweepSafely, "sweeper-test");
    sweeperThread.start();
    join(sweeperThread);
    assertThat(cache.sweepErrors()).isEqualTo(1);
    assertThat(cache.storedKeys()).isEqualTo(1);

    broken.set(false);
    Thread again = new Thread(cache::sweepSafely, "sweeper-test");
    again.start();
    join(again);
    assertThat(cache.sweepErrors()).isEqualTo(1);
    assertThat(cache.storedKeys()).isZero();
  }

  @Test
  void scheduledSweeper_runsOnItsOwn() {
    MemoryCache real =
        new MemoryCache(
            MemoryCacheOptions.builder().clock(clock).sweepInterval(Duration.ofMillis(10)).build());
    try {
      real.set("k", new byte[] {1}, Duration.ofSeconds(1));
      clock.advance(Duration.ofSeconds(2));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> real.storedKeys() == 0);
      assertThat(real.sweptKeys()).isEqualTo(1);
    } finally {
      real.close();
    }
  }

  @Test
  void equalTimestamps_fromConcurrentWriters_allKept() throws Exception {
    long t = clock.millis();
    Thread[] writers = new Thread[4];
    for (int w = 0; w < writers.length; w++) {
      int id = w;
      writers[w] =
          new Thread(
              () -> {
                for (int i = 0; i < 1000; i++) {
                  cache.append("w", id + "-" + i, t, Duration.ofMinutes(1));
                }
              });
      writers[w].start();
    }
    for (Thread w : writers) {
      w.join();
    }
    assertThat(cache.size("w")).isEqualTo(4000);
  }

  @Test
  void returnedValues_areCopies() {
    byte[] v = {1, 2, 3};
    cache.set("k", v);
    v[0] = 9;
    byte[] read = cache.get("k").orElseThrow();
    read[1] = 9;
    assertThat(cache.get("k").orElseThrow()).containsExactly(1, 2, 3);
  }

  private static void join(Thread t) {
    try {
      t.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
