package io.inferis.features;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * How a feature store retries a read that failed for a reason a retry can cure (the connection
 * dropped, Redis answered LOADING, BUSY, TRYAGAIN, a MOVED during failover, ...): how many
 * attempts, how long to back off between them, and a retry budget that keeps retries from
 * multiplying load when everything is failing. Retries never outlast the request's deadline. In the
 * style of Resilience4j's {@code RetryConfig}: immutable, built with {@link #builder()}, every
 * default a {@code DEFAULT_*} constant.
 *
 * <p><b>Backoff</b> is exponential with full jitter: before attempt {@code n + 1} the store waits a
 * delay drawn uniformly from {@code [0, min(maxDelay, baseDelay × 2^(n−1))]}.
 *
 * <p><b>Budget:</b> every lookup earns {@link #budgetRatio()} of a retry and every retry spends
 * one; at most {@link #budgetMaxRetries()} are banked (the bank starts full). Under a sustained
 * outage retries then add at most that ratio of extra load instead of {@code maxAttempts − 1} times
 * it (the retry storm).
 *
 * <p>Thread-safe (immutable).
 */
public final class RetryPolicy {

  /** Attempts per read, the first included (1 = no retry): 3. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /** The backoff ceiling before the first retry: 10 ms; it doubles per retry. */
  public static final Duration DEFAULT_BASE_DELAY = Duration.ofMillis(10);

  /** The largest backoff ceiling: 200 ms. */
  public static final Duration DEFAULT_MAX_DELAY = Duration.ofMillis(200);

  /** Retries earned per lookup: 0.1 (retries add at most 10% load). */
  public static final double DEFAULT_BUDGET_RATIO = 0.1;

  /** Retries banked at most (and at start): 100. */
  public static final int DEFAULT_BUDGET_MAX_RETRIES = 100;

  private static final RetryPolicy DEFAULTS = builder().build();

  private final int maxAttempts;
  private final Duration baseDelay;
  private final Duration maxDelay;
  private final double budgetRatio;
  private final int budgetMaxRetries;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.baseDelay = b.baseDelay;
    this.maxDelay = b.maxDelay;
    this.budgetRatio = b.budgetRatio;
    this.budgetMaxRetries = b.budgetMaxRetries;
  }

  /** Every default. */
  public static RetryPolicy defaults() {
    return DEFAULTS;
  }

  /** One attempt, no retry. */
  public static RetryPolicy none() {
    return builder().maxAttempts(1).build();
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this policy. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.baseDelay = baseDelay;
    b.maxDelay = maxDelay;
    b.budgetRatio = budgetRatio;
    b.budgetMaxRetries = budgetMaxRetries;
    return b;
  }

  /** See {@link #DEFAULT_MAX_ATTEMPTS}. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** See {@link #DEFAULT_BASE_DELAY}. */
  public Duration baseDelay() {
    return baseDelay;
  }

  /** See {@link #DEFAULT_MAX_DELAY}. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** See {@link #DEFAULT_BUDGET_RATIO}. */
  public double budgetRatio() {
    return budgetRatio;
  }

  /** See {@link #DEFAULT_BUDGET_MAX_RETRIES}. */
  public int budgetMaxRetries() {
    return budgetMaxRetries;
  }

  /**
   * The backoff before the next attempt after {@code failedAttempts} (at least 1) have failed,
   * drawn from {@code random}: uniform in {@code [0, ceiling]}, {@code ceiling = min(maxDelay,
   * baseDelay × 2^(failedAttempts−1))}.
   */
  public long backoffNanos(int failedAttempts, RandomGenerator random) {
    if (failedAttempts < 1) {
      throw new IllegalArgumentException("failedAttempts must be >= 1, was " + failedAttempts);
    }
    return random.nextLong(backoffCeilingNanos(failedAttempts) + 1);
  }

  /** The largest backoff after {@code failedAttempts} (at least 1) have failed. */
  public long backoffCeilingNanos(int failedAttempts) {
    int doublings = Math.min(30, Math.max(0, failedAttempts - 1));
    long base = baseDelay.toNanos();
    long ceiling = base > (Long.MAX_VALUE >> doublings) ? Long.MAX_VALUE : base << doublings;
    return Math.min(maxDelay.toNanos(), ceiling);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p
        && p.maxAttempts == maxAttempts
        && p.baseDelay.equals(baseDelay)
        && p.maxDelay.equals(maxDelay)
        && Double.compare(p.budgetRatio, budgetRatio) == 0
        && p.budgetMaxRetries == budgetMaxRetries;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, baseDelay, maxDelay, budgetRatio, budgetMaxRetries);
  }

  @Override
  public String toString() {
    return "RetryPolicy[maxAttempts="
        + maxAttempts
        + ", backoff="
        + baseDelay.toMillis()
        + ".."
        + maxDelay.toMillis()
        + " ms, budget "
        + budgetRatio
        + " per lookup, max "
        + budgetMaxRetries
        + "]";
  }

  /** Builder; not thread-safe; each setter validates and names the constraint it enforces. */
  public static final class Builder {
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration baseDelay = DEFAULT_BASE_DELAY;
    private Duration maxDelay = DEFAULT_MAX_DELAY;
    private double budgetRatio = DEFAULT_BUDGET_RATIO;
    private int budgetMaxRetries = DEFAULT_BUDGET_MAX_RETRIES;

    private Builder() {}

    /** At least 1 (1: no retry). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + attempts);
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** Both positive, {@code max} at least {@code base}. */
    public Builder backoff(Duration base, Duration max) {
      Objects.requireNonNull(base, "base");
      Objects.requireNonNull(max, "max");
      if (base.isNegative() || base.isZero() || max.isNegative() || max.isZero()) {
        throw new IllegalArgumentException(
            "backoff delays must be positive, were " + base + " and " + max);
      }
      if (max.compareTo(base) < 0) {
        throw new IllegalArgumentException(
            "backoff max delay must be >= base delay, was " + max + " < " + base);
      }
      this.baseDelay = base;
      this.maxDelay = max;
      return this;
    }

    /**
     * Retries earned per lookup, in {@code [0, 1]}, and retries banked at most ({@code >= 0}, the
     * bank's size at start too); a bank of 0 turns retries off.
     */
    public Builder budget(double ratio, int maxRetries) {
      if (!(ratio >= 0 && ratio <= 1)) {
        throw new IllegalArgumentException("budget ratio must be in [0, 1], was " + ratio);
      }
      if (maxRetries < 0) {
        throw new IllegalArgumentException("budget max retries must be >= 0, was " + maxRetries);
      }
      this.budgetRatio = ratio;
      this.budgetMaxRetries = maxRetries;
      return this;
    }

    /** The policy. */
    public RetryPolicy build() {
      return new RetryPolicy(this);
    }
  }
}
