package io.inferis.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.testing.FakeClock;
import io.inferis.testing.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The in-flight limiter on a fake clock: FIFO hand-over, timed waits, a bounded queue. */
class InFlightLimiterTest {

  private final FakeClock clock = new FakeClock(1_700_000_000_000L);
  private final ManualScheduler timer = new ManualScheduler(clock);

  @Test
  void waitersAreServedInFifoOrder() {
    InFlightLimiter limiter = new InFlightLimiter("test", 2, 100, timer);
    InFlightLimiter.Permit a = limiter.acquire(Duration.ofSeconds(10)).join();
    InFlightLimiter.Permit b = limiter.acquire(Duration.ofSeconds(10)).join();
    List<Integer> served = new CopyOnWriteArrayList<>();
    List<CompletableFuture<InFlightLimiter.Permit>> waiting = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      int id = i;
      waiting.add(limiter.acquire(Duration.ofSeconds(10)).whenComplete((p, e) -> served.add(id)));
    }
    assertThat(limiter.waiting()).isEqualTo(10);
    a.release();
    b.release();
    for (int i = 0; i < 10; i++) {
      waiting.get(i).join().release();
    }
    assertThat(served).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(limiter.available()).isEqualTo(2);
    // Every waiter got its slot: their timeouts were called off.
    assertThat(timer.pending()).isZero();
  }

  @Test
  void waiterTimesOutWithOverloaded_exactlyAtItsTimeout() {
    InFlightLimiter limiter = new InFlightLimiter("lookups", 1, 2, timer);
    InFlightLimiter.Permit held = limiter.acquire(Duration.ZERO).join();
    CompletableFuture<InFlightLimiter.Permit> w1 = limiter.acquire(Duration.ofMillis(200));
    timer.advance(Duration.ofMillis(100));
    CompletableFuture<InFlightLimiter.Permit> w2 = limiter.acquire(Duration.ofMillis(200));

    timer.advance(Duration.ofMillis(99));
    assertThat(w1).isNotDone();
    timer.advance(Duration.ofMillis(1));
    assertThat(cause(w1)).isInstanceOf(OverloadedException.class).hasMessageContaining("200 ms");
    assertThat(w2).isNotDone();
    timer.advance(Duration.ofMillis(100));
    assertThat(cause(w2)).isInstanceOf(OverloadedException.class);

    assertThat(limiter.waiting()).isZero();
    held.release();
    held.release(); // idempotent
    assertThat(limiter.available()).isEqualTo(1);
  }

  @Test
  void aFullQueue_rejectsAtOnce_namingTheLimiter() {
    InFlightLimiter limiter = new InFlightLimiter("lookups", 1, 2, timer);
    limiter.acquire(Duration.ZERO).join();
    limiter.acquire(Duration.ofSeconds(1));
    limiter.acquire(Duration.ofSeconds(1));

    CompletableFuture<InFlightLimiter.Permit> third = limiter.acquire(Duration.ofSeconds(1));

    assertThat(cause(third))
        .isInstanceOf(OverloadedException.class)
        .hasMessageContaining("lookups")
        .hasMessageContaining("2 requests already wait");
  }

  @Test
  void aZeroTimeout_neverWaits() {
    InFlightLimiter limiter = new InFlightLimiter("lookups", 1, 10, timer);
    limiter.acquire(Duration.ZERO).join();

    assertThat(cause(limiter.acquire(Duration.ZERO))).isInstanceOf(OverloadedException.class);
    assertThat(limiter.waiting()).isZero();
  }

  @Test
  void aSlotReleasedBeforeTheTimeout_goesToTheWaiter() {
    InFlightLimiter limiter = new InFlightLimiter("lookups", 1, 10, timer);
    InFlightLimiter.Permit held = limiter.acquire(Duration.ZERO).join();
    CompletableFuture<InFlightLimiter.Permit> waiter = limiter.acquire(Duration.ofMillis(200));

    timer.advance(Duration.ofMillis(150));
    held.release();
    timer.advance(Duration.ofSeconds(1));

    assertThat(waiter).isCompleted();
    assertThat(limiter.available()).isZero();
  }

  /** The failure {@code f} completed with (it must have failed); shared with FlowControlTest. */
  static Throwable cause(CompletableFuture<?> f) {
    assertThat(f).isCompletedExceptionally();
    try {
      f.join();
      throw new AssertionError("expected failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
