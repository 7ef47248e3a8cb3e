package io.inferis.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class InFlightLimiterTest {

  @Test
  void waitersAreServedInFifoOrder() {
    InFlightLimiter limiter = new InFlightLimiter("test", 2, 100);
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
    for (int i = 0; i < 8; i++) {
      waiting.get(i).join().release();
    }
    waiting.get(8).join().release();
    waiting.get(9).join().release();
    assertThat(served).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    assertThat(limiter.available()).isEqualTo(2);
  }

  @Test
  void waiterTimesOutWithOverloaded_andTheQueueIsBounded() {
    InFlightLimiter limiter = new InFlightLimiter("lookups", 1, 2);
    InFlightLimiter.Permit held = limiter.acquire(Duration.ZERO).join();
    long start = System.nanoTime();
    CompletableFuture<InFlightLimiter.Permit> w1 = limiter.acquire(Duration.ofMillis(200));
    CompletableFuture<InFlightLimiter.Permit> w2 = limiter.acquire(Duration.ofMillis(200));
    CompletableFuture<InFlightLimiter.Permit> w3 = limiter.acquire(Duration.ofMillis(200));
    assertThat(w3).isCompletedExceptionally();
    assertThat(cause(w3)).isInstanceOf(OverloadedException.class).hasMessageContaining("lookups");
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> w1.isDone() && w2.isDone());
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(cause(w1)).isInstanceOf(OverloadedException.class).hasMessageContaining("200 ms");
    assertThat(limiter.waiting()).isZero();
    held.release();
    held.release(); // idempotent
    assertThat(limiter.available()).isEqualTo(1);
  }

  private static Throwable cause(CompletableFuture<?> f) {
    try {
      f.join();
      throw new AssertionError("expected failure");
    } catch (CompletionException e) {
      return e.getCause();
    }
  }
}
