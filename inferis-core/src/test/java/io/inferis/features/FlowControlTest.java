package io.inferis.features;

import static io.inferis.features.TestRepo.driver;
import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldStatus;
import io.inferis.features.internal.HashStore;
import io.inferis.redis.RedisTimeoutException;
import io.inferis.redis.RedisUnavailableException;
import io.inferis.testing.FakeClock;
import io.inferis.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The feature store's flow control on a fake clock: retries with jittered, growing backoff inside
 * the deadline, the retry budget, and the in-flight limit's timed wait. The storage under it is the
 * memory store behind a gate the test opens, holds or fails; no test here sleeps.
 */
class FlowControlTest {

  private static final List<String> REFS = List.of("driver_hourly_stats:avg_daily_trips");

  private final FakeClock clock = new FakeClock(1_700_000_000_000L);
  private final ManualScheduler timer = new ManualScheduler(clock);
  private final Gate gate = new Gate(new MemoryHashStore(clock));

  private DefaultFeatureStore store(FeatureStoreOptions.Builder options) {
    DefaultFeatureStore store =
        new DefaultFeatureStore(
            TestRepo.repo(), gate, options.clock(clock).ticker(clock).scheduler(timer).build());
    TestRepo.writeTrips(store, 1, 2);
    gate.reads = 0;
    return store;
  }

  @Test
  void anUnavailableRead_isRetriedAfterABackoffBelowTheFirstCeiling() {
    DefaultFeatureStore store = store(FeatureStoreOptions.builder());
    gate.failNext(1, () -> unavailable("LOADING"));

    CompletableFuture<OnlineFeatures> lookup = store.getOnlineFeatures(REFS, List.of(driver(1)));

    assertThat(lookup).isNotDone();
    assertThat(timer.pendingDelays())
        .singleElement()
        .satisfies(d -> assertThat(d).isBetween(Duration.ZERO, RetryPolicy.DEFAULT_BASE_DELAY));
    timer.advance(RetryPolicy.DEFAULT_BASE_DELAY);
    assertThat(lookup.join().status(0, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(lookup.join().value(0, 0)).isEqualTo(FeatureValue.ofInt64(1));
    assertThat(gate.reads).isEqualTo(2);
  }

  @Test
  void theBackoffCeiling_doublesWithEveryFailedAttempt() {
    DefaultFeatureStore store =
        store(FeatureStoreOptions.builder().retryPolicy(policy().maxAttempts(4).build()));
    gate.failNext(3, () -> unavailable("TRYAGAIN"));

    CompletableFuture<OnlineFeatures> lookup = store.getOnlineFeatures(REFS, List.of(driver(1)));

    for (long ceilingMs : new long[] {10, 20, 40}) {
      Duration delay = timer.pendingDelays().get(0);
      assertThat(delay).isBetween(Duration.ZERO, Duration.ofMillis(ceilingMs));
      timer.advance(delay);
    }
    assertThat(lookup.join().status(0, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(gate.reads).isEqualTo(4);
  }

  @Test
  void retries_neverOutlastTheDeadline() {
    Duration deadline = Duration.ofMillis(300);
    DefaultFeatureStore store =
        store(
            FeatureStoreOptions.builder()
                .requestDeadline(deadline)
                .retryPolicy(policy().maxAttempts(1_000).build()));
    gate.failNext(Integer.MAX_VALUE, () -> unavailable("BUSY"));
    long start = clock.read();

    CompletableFuture<OnlineFeatures> lookup = store.getOnlineFeatures(REFS, List.of(driver(1)));
    while (!lookup.isDone()) {
      Duration delay = timer.pendingDelays().get(0);
      // A retry is set only when it fires before the deadline.
      assertThat(Duration.ofNanos(clock.read() - start).plus(delay)).isLessThan(deadline);
      timer.advance(delay);
    }

    assertThat(InFlightLimiterTest.cause(lookup))
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessage("BUSY");
    assertThat(gate.reads).isGreaterThanOrEqualTo(2);
    assertThat(timer.pending()).isZero();
  }

  @Test
  void aTimeoutAfterTheDeadline_failsAsDeadlineExceeded() {
    DefaultFeatureStore store =
        store(FeatureStoreOptions.builder().requestDeadline(Duration.ofMillis(100)));
    gate.hold = true;

    CompletableFuture<OnlineFeatures> lookup = store.getOnlineFeatures(REFS, List.of(driver(1)));
    clock.advance(Duration.ofMillis(100));
    gate.release(
        new RedisTimeoutException("did not answer within 100 ms", new IllegalStateException()));

    assertThat(InFlightLimiterTest.cause(lookup))
        .isInstanceOf(DeadlineExceededException.class)
        .hasMessageContaining("deadline passed");
    assertThat(gate.reads).isEqualTo(1);
  }

  @Test
  void theRetryBudget_stopsRetries_untilLookupsEarnThemBack() {
    DefaultFeatureStore store =
        store(
            FeatureStoreOptions.builder()
                .retryPolicy(policy().maxAttempts(2).budget(0.1, 2).build()));
    assertThat(store.retriesBanked()).isEqualTo(2);
    gate.failNext(Integer.MAX_VALUE, () -> unavailable("MASTERDOWN"));

    // Two lookups spend the two banked retries: two attempts, so two reads, each.
    for (int i = 0; i < 2; i++) {
      CompletableFuture<OnlineFeatures> lookup = store.getOnlineFeatures(REFS, List.of(driver(1)));
      drain(lookup);
    }
    assertThat(gate.reads).isEqualTo(4);
    // The bank is empty: the next lookup is not retried.
    drain(store.getOnlineFeatures(REFS, List.of(driver(1))));
    assertThat(gate.reads).isEqualTo(5);

    // Ten lookups earn one retry back (0.1 each). The first lookup found the bank full and earned
    // nothing, the next two earned 0.2: eight more make one.
    gate.failNext(0, null);
    for (int i = 0; i < 7; i++) {
      store.get(REFS, List.of(driver(1)));
    }
    assertThat(store.retriesBanked()).isZero();
    store.get(REFS, List.of(driver(1)));
    assertThat(store.retriesBanked()).isEqualTo(1);
    gate.failNext(Integer.MAX_VALUE, () -> unavailable("MASTERDOWN"));
    int before = gate.reads;
    drain(store.getOnlineFeatures(REFS, List.of(driver(1))));
    assertThat(gate.reads - before).isEqualTo(2);
  }

  @Test
  void aFullInFlightLimit_makesTheNextLookupWait_thenFailOverloadedAtTheAcquireTimeout() {
    DefaultFeatureStore store =
        store(
            FeatureStoreOptions.builder()
                .inFlightLimit(1)
                .acquireTimeout(Duration.ofMillis(100))
                .requestDeadline(Duration.ofSeconds(1)));
    gate.hold = true;
    CompletableFuture<OnlineFeatures> first = store.getOnlineFeatures(REFS, List.of(driver(1)));
    CompletableFuture<OnlineFeatures> second = store.getOnlineFeatures(REFS, List.of(driver(1)));
    assertThat(store.waitingForSlot()).isEqualTo(1);

    timer.advance(Duration.ofMillis(99));
    assertThat(second).isNotDone();
    timer.advance(Duration.ofMillis(1));

    assertThat(InFlightLimiterTest.cause(second))
        .isInstanceOf(OverloadedException.class)
        .hasMessageContaining("stayed full for 100 ms");
    gate.release(null);
    assertThat(first.join().status(0, 0)).isEqualTo(FieldStatus.PRESENT);
    assertThat(store.availableSlots()).isEqualTo(1);
  }

  @Test
  void aWaitForASlot_endsAtTheDeadline_whenThatComesFirst() {
    DefaultFeatureStore store =
        store(
            FeatureStoreOptions.builder()
                .inFlightLimit(1)
                .acquireTimeout(Duration.ofSeconds(5))
                .requestDeadline(Duration.ofMillis(200)));
    gate.hold = true;
    store.getOnlineFeatures(REFS, List.of(driver(1)));
    CompletableFuture<OnlineFeatures> second = store.getOnlineFeatures(REFS, List.of(driver(1)));

    timer.advance(Duration.ofMillis(200));

    assertThat(InFlightLimiterTest.cause(second)).isInstanceOf(OverloadedException.class);
  }

  private static RedisUnavailableException unavailable(String reply) {
    return new RedisUnavailableException(reply, new IllegalStateException("test"));
  }

  private static RetryPolicy.Builder policy() {
    return RetryPolicy.builder();
  }

  /** Runs the lookup's retries to its end. */
  private void drain(CompletableFuture<OnlineFeatures> lookup) {
    while (!lookup.isDone()) {
      timer.advance(timer.pendingDelays().get(0));
    }
  }

  /** The memory store, with reads the test can fail or hold; writes pass. Single-threaded. */
  private static final class Gate implements HashStore {
    private final HashStore inner;
    private final Deque<CompletableFuture<List<byte @Nullable []>>> held = new ArrayDeque<>();
    private final Deque<Read> heldReads = new ArrayDeque<>();
    int reads;
    boolean hold;
    private int failures;
    private @Nullable Supplier<RuntimeException> failure;

    Gate(HashStore inner) {
      this.inner = inner;
    }

    void failNext(int n, @Nullable Supplier<RuntimeException> with) {
      failures = n;
      failure = with;
    }

    /** Answers every held read: with {@code error}, or from the memory store. */
    void release(@Nullable RuntimeException error) {
      hold = false;
      while (!held.isEmpty()) {
        CompletableFuture<List<byte @Nullable []>> f = held.poll();
        Read r = heldReads.poll();
        if (error != null) {
          f.completeExceptionally(error);
        } else {
          f.complete(inner.read(r, 0).join());
        }
      }
    }

    @Override
    public Fields prepare(List<byte[]> names) {
      return inner.prepare(names);
    }

    @Override
    public CompletableFuture<List<byte @Nullable []>> read(Read read, long deadlineNanos) {
      reads++;
      if (failures > 0 && failure != null) {
        failures--;
        return CompletableFuture.failedFuture(failure.get());
      }
      if (hold) {
        CompletableFuture<List<byte @Nullable []>> f = new CompletableFuture<>();
        held.add(f);
        heldReads.add(read);
        return f;
      }
      return inner.read(read, deadlineNanos);
    }

    @Override
    public CompletableFuture<Void> write(
        List<HashWrite> writes, long ttlSeconds, long deadlineNanos) {
      return inner.write(writes, ttlSeconds, deadlineNanos);
    }

    @Override
    public String endpoint() {
      return "memory";
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
