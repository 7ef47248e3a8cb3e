package io.inferis.features;

import io.inferis.Ticker;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Immutable flow-control and write options of a {@link FeatureStore}, each with a documented
 * default: {@link #DEFAULT_IN_FLIGHT_LIMIT}, {@link #DEFAULT_MAX_WAITERS}, {@link
 * #DEFAULT_ACQUIRE_TIMEOUT}, {@link #DEFAULT_REQUEST_DEADLINE}, {@link RetryPolicy#defaults()}.
 * Time is injected: a {@link Ticker} measures deadlines and waits, a scheduler runs the timers
 * (retry backoff, in-flight wait timeouts), and an {@link InstantSource} dates feature ages.
 * Thread-safe (immutable).
 */
public final class FeatureStoreOptions {

  /** Lookups in flight at once; more wait in FIFO order. */
  public static final int DEFAULT_IN_FLIGHT_LIMIT = 256;

  /** Lookups that may wait for a slot; one more is rejected at once (bounded queue). */
  public static final int DEFAULT_MAX_WAITERS = 4096;

  /** How long a lookup waits for an in-flight slot before {@link OverloadedException}. */
  public static final Duration DEFAULT_ACQUIRE_TIMEOUT = Duration.ofMillis(250);

  /** Deadline of a lookup that does not set its own: wait, send, retries and replies included. */
  public static final Duration DEFAULT_REQUEST_DEADLINE = Duration.ofSeconds(1);

  private static final FeatureStoreOptions DEFAULTS = builder().build();

  private final int inFlightLimit;
  private final int maxWaiters;
  private final Duration acquireTimeout;
  private final Duration requestDeadline;
  private final RetryPolicy retryPolicy;
  private final Duration keyTtl;
  private final boolean skipOlderRows;
  private final boolean coalesceReads;
  private final InstantSource clock;
  private final Ticker ticker;
  private final @Nullable ScheduledExecutorService scheduler;
  private final @Nullable MeterRegistry meterRegistry;

  private FeatureStoreOptions(Builder b) {
    this.inFlightLimit = b.inFlightLimit;
    this.maxWaiters = b.maxWaiters;
    this.acquireTimeout = b.acquireTimeout;
    this.requestDeadline = b.requestDeadline;
    this.retryPolicy = b.retryPolicy;
    this.keyTtl = b.keyTtl;
    this.skipOlderRows = b.skipOlderRows;
    this.coalesceReads = b.coalesceReads;
    this.clock = b.clock;
    this.ticker = b.ticker;
    this.scheduler = b.scheduler;
    this.meterRegistry = b.meterRegistry;
  }

  /** All defaults. */
  public static FeatureStoreOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.inFlightLimit = inFlightLimit;
    b.maxWaiters = maxWaiters;
    b.acquireTimeout = acquireTimeout;
    b.requestDeadline = requestDeadline;
    b.retryPolicy = retryPolicy;
    b.keyTtl = keyTtl;
    b.skipOlderRows = skipOlderRows;
    b.coalesceReads = coalesceReads;
    b.clock = clock;
    b.ticker = ticker;
    b.scheduler = scheduler;
    b.meterRegistry = meterRegistry;
    return b;
  }

  /** See {@link #DEFAULT_IN_FLIGHT_LIMIT}. */
  public int inFlightLimit() {
    return inFlightLimit;
  }

  /** See {@link #DEFAULT_MAX_WAITERS}. */
  public int maxWaiters() {
    return maxWaiters;
  }

  /** See {@link #DEFAULT_ACQUIRE_TIMEOUT}. */
  public Duration acquireTimeout() {
    return acquireTimeout;
  }

  /** See {@link #DEFAULT_REQUEST_DEADLINE}. */
  public Duration requestDeadline() {
    return requestDeadline;
  }

  /** How failed reads are retried; default {@link RetryPolicy#defaults()}. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** TTL set on every written key (Feast's {@code key_ttl_seconds}); zero (default) for none. */
  public Duration keyTtl() {
    return keyTtl;
  }

  /**
   * Skip rows not newer than the stored {@code _ts} (Feast's default, {@code skip_dedup: false}).
   */
  public boolean skipOlderRows() {
    return skipOlderRows;
  }

  /**
   * Whether a read of a key that is already being read the same way (same request shape) shares
   * that read instead of sending its own: for hot entities, Redis then serves one read per round
   * trip however many requests ask. A shared answer may miss a write that finished after the read
   * was sent, so a caller that must read its own writes leaves it off. Default off. Redis only (a
   * memory read is never in flight).
   */
  public boolean coalesceReads() {
    return coalesceReads;
  }

  /** Clock for max-age checks and the memory backend's key TTLs. */
  public InstantSource clock() {
    return clock;
  }

  /** Measures deadlines, in-flight waits and backoff; default {@link Ticker#system()}. */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Runs the store's timers (retry backoff, in-flight wait timeouts), read against {@link
   * #ticker()}'s time. Null (the default): the store runs one daemon timer thread of its own and
   * stops it on close; an injected scheduler is never shut down by the store.
   */
  public @Nullable ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /**
   * Where lookup latencies go ({@code inferis.features.lookups}, a histogram by outcome); null (the
   * default): not recorded.
   */
  public @Nullable MeterRegistry meterRegistry() {
    return meterRegistry;
  }

  /** Builder; not thread-safe; each setter validates. */
  public static final class Builder {
    private int inFlightLimit = DEFAULT_IN_FLIGHT_LIMIT;
    private int maxWaiters = DEFAULT_MAX_WAITERS;
    private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
    private Duration requestDeadline = DEFAULT_REQUEST_DEADLINE;
    private RetryPolicy retryPolicy = RetryPolicy.defaults();
    private Duration keyTtl = Duration.ZERO;
    private boolean skipOlderRows = true;
    private boolean coalesceReads = false;
    private InstantSource clock = InstantSource.system();
    private Ticker ticker = Ticker.system();
    private @Nullable ScheduledExecutorService scheduler;
    private @Nullable MeterRegistry meterRegistry;

    private Builder() {}

    /** At least 1. */
    public Builder inFlightLimit(int limit) {
      this.inFlightLimit = atLeast("inFlightLimit", limit, 1);
      return this;
    }

    /** At least 0 (0: reject whenever the limit is full). */
    public Builder maxWaiters(int max) {
      this.maxWaiters = atLeast("maxWaiters", max, 0);
      return this;
    }

    /** Zero or more. */
    public Builder acquireTimeout(Duration timeout) {
      this.acquireTimeout = notNegative("acquireTimeout", timeout);
      return this;
    }

    /** Positive. */
    public Builder requestDeadline(Duration deadline) {
      this.requestDeadline = positive("requestDeadline", deadline);
      return this;
    }

    /** See {@link FeatureStoreOptions#retryPolicy()}. */
    public Builder retryPolicy(RetryPolicy policy) {
      this.retryPolicy = Objects.requireNonNull(policy, "retryPolicy");
      return this;
    }

    /** Zero (none) or at least one second (Redis EXPIRE has second precision in Feast). */
    public Builder keyTtl(Duration ttl) {
      notNegative("keyTtl", ttl);
      if (!ttl.isZero() && ttl.getSeconds() < 1) {
        throw new IllegalArgumentException("keyTtl must be zero or at least 1 s, was " + ttl);
      }
      this.keyTtl = ttl;
      return this;
    }

    /** See {@link FeatureStoreOptions#skipOlderRows()}. */
    public Builder skipOlderRows(boolean skip) {
      this.skipOlderRows = skip;
      return this;
    }

    /** See {@link FeatureStoreOptions#coalesceReads()}. */
    public Builder coalesceReads(boolean coalesce) {
      this.coalesceReads = coalesce;
      return this;
    }

    /** See {@link FeatureStoreOptions#clock()}. */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** See {@link FeatureStoreOptions#ticker()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /** See {@link FeatureStoreOptions#scheduler()}. */
    public Builder scheduler(@Nullable ScheduledExecutorService scheduler) {
      this.scheduler = scheduler;
      return this;
    }

    /** Records lookup latencies by outcome in {@code registry}; null: not recorded. */
    public Builder meterRegistry(@Nullable MeterRegistry registry) {
      this.meterRegistry = registry;
      return this;
    }

    /** The options. */
    public FeatureStoreOptions build() {
      return new FeatureStoreOptions(this);
    }

    private static int atLeast(String name, int v, int min) {
      if (v < min) {
        throw new IllegalArgumentException(name + " must be >= " + min + ", was " + v);
      }
      return v;
    }

    private static Duration notNegative(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must be >= 0, was " + d);
      }
      return d;
    }

    private static Duration positive(String name, Duration d) {
      notNegative(name, d);
      if (d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return d;
    }
  }
}
