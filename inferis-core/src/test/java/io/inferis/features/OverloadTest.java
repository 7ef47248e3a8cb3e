package io.inferis.features;

import static io.inferis.features.TestRepo.driver;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.feast.FeatureValue;
import io.inferis.redis.RedisConnector;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Ten times more concurrent lookups than the in-flight limit: backpressure, not failure. */
class OverloadTest {

  @RegisterExtension static final RedisFixture<RedisNode> redis = RedisFixture.standalone();

  @Test
  void tenTimesTheLimit_eachLookupSucceedsOrIsOverloadedAfterTheAcquireTimeout() throws Exception {
    int limit = 4;
    int callers = 10 * limit;
    Duration acquire = Duration.ofMillis(5);
    FeatureStoreOptions options =
        FeatureStoreOptions.builder()
            .inFlightLimit(limit)
            .maxWaiters(callers)
            .acquireTimeout(acquire)
            .requestDeadline(Duration.ofSeconds(5))
            .build();
    try (RedisConnector connector = RedisConnector.connect(redis.get().uri());
        FeatureStore store = FeatureStores.redis(TestRepo.repo(), connector, options)) {
      TestRepo.writeTrips(store, 0, 100);
      List<Map<String, FeatureValue>> keys = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        keys.add(driver(i));
      }
      List<String> refs =
          List.of("driver_hourly_stats:avg_daily_trips", "driver_hourly_stats:conv_rate");

      AtomicLong ok = new AtomicLong();
      AtomicLong overloaded = new AtomicLong();
      ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
      DefaultFeatureStore inner = (DefaultFeatureStore) store;
      List<Thread> threads = new ArrayList<>();
      long end = System.nanoTime() + 2_000_000_000L;
      for (int t = 0; t < callers; t++) {
        Thread th =
            new Thread(
                () -> {
                  while (System.nanoTime() < end) {
                    long start = System.nanoTime();
                    try {
                      OnlineFeatures r = store.get(refs, keys);
                      if (!r.value(42, 0).equals(FeatureValue.ofInt64(42))) {
                        problems.add("wrong value " + r.value(42, 0));
                      }
                      ok.incrementAndGet();
                    } catch (OverloadedException e) {
                      overloaded.incrementAndGet();
                      if (System.nanoTime() - start < acquire.toNanos()) {
                        problems.add("overloaded before the acquire timeout: " + e.getMessage());
                      }
                    } catch (RuntimeException e) {
                      problems.add(e.toString());
                    }
                    if (inner.availableSlots() < 0 || inner.availableSlots() > limit) {
                      problems.add("slots out of range: " + inner.availableSlots());
                    }
                  }
                });
        th.start();
        threads.add(th);
      }
      for (Thread th : threads) {
        th.join(30_000);
      }
      System.out.printf(
          "overload: %d ok, %d overloaded (limit %d, %d callers)%n",
          ok.get(), overloaded.get(), limit, callers);
      assertThat(problems).isEmpty();
      assertThat(ok.get()).isPositive();
      assertThat(overloaded.get())
          .as("some callers waited out the 5 ms acquire timeout")
          .isPositive();
      assertThat(inner.availableSlots()).as("every slot returned").isEqualTo(limit);
    }
  }
}
