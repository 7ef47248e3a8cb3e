package io.inferis.features;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * An asynchronous semaphore: up to {@code limit} holders; further callers wait in FIFO order, at
 * most {@code maxWaiters} of them (one more is rejected at once), each up to its timeout, after
 * which it fails with {@link OverloadedException} naming the limiter. A released slot goes to the
 * oldest waiter still waiting. Wait timeouts run on the injected {@code timer}. Never blocks a
 * thread. Thread-safe.
 */
final class InFlightLimiter {

  /** A held slot; release exactly once (extra calls are ignored). */
  interface Permit {
    void release();
  }

  /** A caller waiting for a slot, and the timer task that gives up on it. */
  private static final class Waiter {
    final CompletableFuture<Permit> permit = new CompletableFuture<>();
    volatile @Nullable Future<?> timeout;
  }

  private final String name;
  private final int limit;
  private final int maxWaiters;
  private final ScheduledExecutorService timer;
  private final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
  private int available; // guarded by this

  InFlightLimiter(String name, int limit, int maxWaiters, ScheduledExecutorService timer) {
    this.name = name;
    this.limit = limit;
    this.maxWaiters = maxWaiters;
    this.timer = timer;
    this.available = limit;
  }

  /**
   * A slot: at once when one is free and nobody waits, else after the callers ahead of this one, or
   * {@link OverloadedException} after {@code timeout} (at once when it is zero or the queue is
   * full).
   */
  CompletableFuture<Permit> acquire(Duration timeout) {
    Waiter waiter;
    synchronized (this) {
      if (available > 0 && waiters.isEmpty()) {
        available--;
        return CompletableFuture.completedFuture(newPermit());
      }
      if (waiters.size() >= maxWaiters || timeout.isZero()) {
        return CompletableFuture.failedFuture(
            new OverloadedException(
                name
                    + ": in-flight limit "
                    + limit
                    + " is full and "
                    + waiters.size()
                    + " requests already wait (max "
                    + maxWaiters
                    + ")"));
      }
      waiter = new Waiter();
      waiters.addLast(waiter);
    }
    try {
      waiter.timeout =
          timer.schedule(() -> giveUp(waiter, timeout), timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      giveUp(waiter, timeout);
    }
    return waiter.permit;
  }

  private void giveUp(Waiter waiter, Duration timeout) {
    boolean removed;
    synchronized (this) {
      removed = waiters.remove(waiter);
    }
    if (removed) {
      waiter.permit.completeExceptionally(
          new OverloadedException(
              name
                  + ": in-flight limit "
                  + limit
                  + " stayed full for "
                  + timeout.toMillis()
                  + " ms"));
    }
  }

  /** Slots free now (for metrics and tests). */
  synchronized int available() {
    return available;
  }

  /** Callers waiting now. */
  synchronized int waiting() {
    return waiters.size();
  }

  private Permit newPermit() {
    AtomicBoolean released = new AtomicBoolean();
    return () -> {
      if (released.compareAndSet(false, true)) {
        handOver();
      }
    };
  }

  private void handOver() {
    Waiter next;
    synchronized (this) {
      next = waiters.pollFirst();
      if (next == null) {
        available++;
        return;
      }
    }
    Future<?> timeout = next.timeout;
    if (timeout != null) {
      timeout.cancel(false);
    }
    // Completed outside the lock: the waiter's continuation may run here.
    next.permit.complete(newPermit());
  }
}
