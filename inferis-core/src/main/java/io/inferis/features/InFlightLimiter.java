package io.inferis.features;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An asynchronous semaphore: up to {@code limit} holders; further callers wait in FIFO order, at
 * most {@code maxWaiters} of them (one more is rejected at once), each up to its timeout, after
 * which it fails with {@link OverloadedException} naming the limiter. A released slot goes to the
 * oldest waiter still waiting. Never blocks a thread. Thread-safe.
 */
final class InFlightLimiter {

  /** A held slot; release exactly once (extra calls are ignored). */
  interface Permit {
    void release();
  }

  private final String name;
  private final int limit;
  private final int maxWaiters;
  private final ArrayDeque<CompletableFuture<Permit>> waiters = new ArrayDeque<>();
  private int available; // guarded by this

  InFlightLimiter(String name, int limit, int maxWaiters) {
    this.name = name;
    this.limit = limit;
    this.maxWaiters = maxWaiters;
    this.available = limit;
  }

  CompletableFuture<Permit> acquire(Duration timeout) {
    CompletableFuture<Permit> waiter;
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
      waiter = new CompletableFuture<>();
      waiters.addLast(waiter);
    }
    CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
        .execute(
            () -> {
              boolean removed;
              synchronized (this) {
                removed = waiters.remove(waiter);
              }
              if (removed) {
                waiter.completeExceptionally(
                    new OverloadedException(
                        name
                            + ": in-flight limit "
                            + limit
                            + " stayed full for "
                            + timeout.toMillis()
                            + " ms"));
              }
            });
    return waiter;
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
    CompletableFuture<Permit> next;
    synchronized (this) {
      next = waiters.pollFirst();
      if (next == null) {
        available++;
        return;
      }
    }
    // Completed outside the lock: the waiter's continuation may run here.
    next.complete(newPermit());
  }
}
