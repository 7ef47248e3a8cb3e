package io.inferis.features;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The retry budget of one store ({@link RetryPolicy}): a bank of retries that every lookup adds
 * {@link RetryPolicy#budgetRatio()} of a retry to, up to {@link RetryPolicy#budgetMaxRetries()},
 * and every retry takes one from. Starts full. Lock-free; a deposit lost to a race is harmless.
 * Thread-safe.
 */
final class RetryBudget {

  /** Budget units one retry costs: fine enough that a ratio such as 0.1 deposits whole units. */
  private static final long UNITS_PER_RETRY = 1000;

  private final long deposit;
  private final long max;
  private final AtomicLong units;

  RetryBudget(RetryPolicy policy) {
    this.deposit = Math.round(policy.budgetRatio() * UNITS_PER_RETRY);
    this.max = policy.budgetMaxRetries() * UNITS_PER_RETRY;
    this.units = new AtomicLong(max);
  }

  /** One lookup's share. */
  void deposit() {
    long u = units.get();
    if (u < max) {
      units.compareAndSet(u, Math.min(max, u + deposit));
    }
  }

  /** Takes one retry from the bank; false when less than one is banked. */
  boolean withdraw() {
    while (true) {
      long u = units.get();
      if (u < UNITS_PER_RETRY) {
        return false;
      }
      if (units.compareAndSet(u, u - UNITS_PER_RETRY)) {
        return true;
      }
    }
  }

  /** Whole retries banked now (tests, metrics). */
  long banked() {
    return units.get() / UNITS_PER_RETRY;
  }
}
