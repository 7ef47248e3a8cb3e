package io.inferis.features;

import static io.inferis.features.TestRepo.driver;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.Ticker;
import io.inferis.feast.FeatureValue;
import io.inferis.features.internal.HashStore;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisUnavailableException;
import io.inferis.redis.internal.RedisBackends;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * With {@link FeatureStoreOptions#coalesceReads}, lookups of an entity that is already being read
 * share that read. The server is stopped (SIGSTOP) while the lookups are made, so every one of them
 * is made while the first read of its entity is still in flight.
 */
class CoalescedReadsTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final List<String> REFS = List.of("driver_hourly_stats:avg_daily_trips");

  private RedisConnector connector;

  @BeforeEach
  void connect() {
    connector = RedisConnector.connect(redis.get().uri());
  }

  @AfterEach
  void close() {
    connector.close();
  }

  @Test
  void lookupsOfAnEntityInFlight_shareItsRead() {
    CoalescingHashStore coalescing =
        new CoalescingHashStore(RedisBackends.hashStore(connector, Ticker.system()));
    FeatureStore store = storeWithDrivers(coalescing);

    long before = hmgetCalls();
    List<CompletableFuture<OnlineFeatures>> single = new ArrayList<>();
    List<CompletableFuture<OnlineFeatures>> pairs = new ArrayList<>();
    whilePaused(
        () -> {
          for (int i = 0; i < 40; i++) {
            single.add(store.getOnlineFeatures(REFS, List.of(driver(1))));
            // Two rows: the batch path, which shares driver 1's read and sends driver 2's once.
            pairs.add(store.getOnlineFeatures(REFS, List.of(driver(2), driver(1))));
          }
        });

    for (CompletableFuture<OnlineFeatures> f : single) {
      assertThat(f.join().value(0, 0)).isEqualTo(FeatureValue.ofInt64(1));
    }
    for (CompletableFuture<OnlineFeatures> f : pairs) {
      assertThat(f.join().value(0, 0)).isEqualTo(FeatureValue.ofInt64(2));
      assertThat(f.join().value(1, 0)).isEqualTo(FeatureValue.ofInt64(1));
    }
    // 120 entity reads asked for, two sent: one per entity.
    assertThat(hmgetCalls() - before).isEqualTo(2);
    Awaitility.await("answered reads are no longer offered")
        .atMost(Duration.ofSeconds(5))
        .until(() -> coalescing.inFlight() == 0);
    // A read after the answers is a new read.
    assertThat(store.get(REFS, List.of(driver(1))).value(0, 0)).isEqualTo(FeatureValue.ofInt64(1));
    assertThat(hmgetCalls() - before).isEqualTo(3);
  }

  @Test
  void withoutCoalescing_everyLookupSendsItsOwnReads() {
    FeatureStore store = storeWithDrivers(RedisBackends.hashStore(connector, Ticker.system()));

    long before = hmgetCalls();
    List<CompletableFuture<OnlineFeatures>> all = new ArrayList<>();
    whilePaused(
        () -> {
          for (int i = 0; i < 40; i++) {
            all.add(store.getOnlineFeatures(REFS, List.of(driver(1))));
            all.add(store.getOnlineFeatures(REFS, List.of(driver(2), driver(1))));
          }
        });

    all.forEach(CompletableFuture::join);
    assertThat(hmgetCalls() - before).isEqualTo(120);
  }

  @Test
  void aLookupDueEarlier_doesNotWaitForALaterOnesRead() {
    FeatureStore store =
        storeWithDrivers(
            new CoalescingHashStore(RedisBackends.hashStore(connector, Ticker.system())));

    long before = hmgetCalls();
    CompletableFuture<OnlineFeatures> first;
    CompletableFuture<OnlineFeatures> later;
    Throwable early;
    Duration took;
    redis.get().pause();
    try {
      first = store.getOnlineFeatures(REFS, List.of(driver(1)), Duration.ofSeconds(10));
      long start = System.nanoTime();
      CompletableFuture<OnlineFeatures> due =
          store.getOnlineFeatures(REFS, List.of(driver(1)), Duration.ofMillis(300));
      // Due after the first: it may share the first's read.
      later = store.getOnlineFeatures(REFS, List.of(driver(1)), Duration.ofSeconds(20));
      early = due.handle((v, e) -> e).join();
      took = Duration.ofNanos(System.nanoTime() - start);
    } finally {
      redis.get().resume();
    }

    // Failed at its own deadline, not held until the first read's 10 s.
    assertThat(early)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(RedisUnavailableException.class);
    assertThat(took).isLessThan(Duration.ofSeconds(2));
    assertThat(first.join().value(0, 0)).isEqualTo(FeatureValue.ofInt64(1));
    assertThat(later.join().value(0, 0)).isEqualTo(FeatureValue.ofInt64(1));
    // The first read and the early lookup's own; the later lookup shared the first.
    assertThat(hmgetCalls() - before).isEqualTo(2);
  }

  /** Runs {@code lookups} with the server stopped (SIGSTOP), so every read they send waits. */
  private static void whilePaused(Runnable lookups) {
    redis.get().pause();
    try {
      lookups.run();
    } finally {
      redis.get().resume();
    }
  }

  private FeatureStore storeWithDrivers(HashStore hashes) {
    FeatureStore store =
        new DefaultFeatureStore(
            TestRepo.repo(),
            hashes,
            FeatureStoreOptions.builder().requestDeadline(Duration.ofSeconds(10)).build());
    TestRepo.writeTrips(store, 1, 3);
    return store;
  }

  private static long hmgetCalls() {
    Matcher m =
        Pattern.compile("cmdstat_hmget:calls=(\\d+)")
            .matcher(redis.get().call(c -> c.info("commandstats")));
    return m.find() ? Long.parseLong(m.group(1)) : 0;
  }
}
