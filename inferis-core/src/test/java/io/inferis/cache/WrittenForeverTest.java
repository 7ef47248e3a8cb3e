package io.inferis.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A key that several writers append to for 3 windows stays bounded by the window. */
class WrittenForeverTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  @Test
  void keyWrittenForever_staysWithinRateTimesWindow_andNeverLosesItsTtl() throws Exception {
    Duration window = Duration.ofSeconds(2);
    int writers = 4;
    long periodMs = 4; // per writer: at most 250 appends/s, so at most 1000/s in all
    double maxRatePerMs = writers / (double) periodMs;
    long bound = (long) (maxRatePerMs * window.toMillis() * 1.1);
    String key = "inferis:models";

    try (RedisConnector connector = RedisConnector.connect(redis.get().uri())) {
      Cache cache = Caches.redis(connector);
      ScheduledExecutorService pool = Executors.newScheduledThreadPool(writers);
      AtomicLong appended = new AtomicLong();
      for (int w = 0; w < writers; w++) {
        int id = w;
        AtomicLong seq = new AtomicLong();
        // Fixed delay, never catching up: the real rate stays at or below the nominal one.
        pool.scheduleWithFixedDelay(
            () -> {
              cache.append(key, "w" + id + "-" + seq.incrementAndGet(), cache.nowMillis(), window);
              appended.incrementAndGet();
            },
            0,
            periodMs,
            TimeUnit.MILLISECONDS);
      }
      List<Long> sizes = new ArrayList<>();
      long start = System.nanoTime();
      long end = start + TimeUnit.MILLISECONDS.toNanos(3 * window.toMillis());
      // At least 3 windows, and on until more was appended than the key may hold (a loaded
      // machine appends below the nominal rate), within a hard limit.
      long limit = start + TimeUnit.SECONDS.toNanos(30);
      try {
        while (System.nanoTime() < limit && (System.nanoTime() < end || appended.get() <= bound)) {
          long[] sample = redis.get().call(c -> new long[] {c.zcard(key), c.pttl(key)});
          if (appended.get() > 0) {
            assertThat(sample[1]).as("TTL of a key being written").isPositive();
          }
          sizes.add(sample[0]);
        }
      } finally {
        pool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
      }
      long max = sizes.stream().mapToLong(Long::longValue).max().orElse(0);
      System.out.printf(
          "written forever: %d appends in %d ms, max ZCARD %d, bound %d%n",
          appended.get(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), max, bound);
      assertThat(appended.get()).as("appends made").isGreaterThan(bound);
      assertThat(max).isPositive().isLessThanOrEqualTo(bound);

      Awaitility.await("key expires one window after the last write")
          .atMost(window.plusSeconds(2))
          .until(() -> redis.get().<Long>call(c -> c.exists(key)) == 0);
    }
  }
}
