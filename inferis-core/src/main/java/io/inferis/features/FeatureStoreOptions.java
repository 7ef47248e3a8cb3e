package io.inferis.features;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;

/**
 * Immutable flow-control and write options of a {@link FeatureStore}, each with a documented
 * default: {@link #DEFAULT_IN_FLIGHT_LIMIT}, {@link #DEFAULT_MAX_WAITERS}, {@link
 * #DEFAULT_ACQUIRE_TIMEOUT}, {@link #DEFAULT_REQUEST_DEADLINE}, {@link #DEFAULT_MAX_ATTEMPTS},
 * {@link #DEFAULT_RETRY_BASE_DELAY}/{@link #DEFAULT_RETRY_MAX_DELAY}.
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

  /** Attempts per read (1 = no retry); retries only on connection errors and timeouts. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  /**
   * First retry backoff ceiling; each retry doubles it, the delay drawn uniformly (full jitter).
   */
  public static final Duration DEFAULT_RETRY_BASE_DELAY = Duration.ofMillis(10);

  /** Largest retry backoff ceiling. */
  public static final Duration DEFAULT_RETRY_MAX_DELAY = Duration.ofMillis(200);

  private static final FeatureStoreOptions DEFAULTS = builder().build();

  private final int inFlightLimit;
  private final int maxWaiters;
  private final Duration acquireTimeout;
  private final Duration requestDeadline;
  private final int maxAttempts;
  private final Duration retryBaseDelay;
  private final Duration retryMaxDelay;
  private final Duration keyTtl;
  private final boolean skipOlderRows;
  private final boolean coalesceReads;
  private final InstantSource clock;

  private FeatureStoreOptions(Builder b) {
    this.inFlightLimit = b.inFlightLimit;
    this.maxWaiters = b.maxWaiters;
    this.acquireTimeout = b.acquireTimeout;
    this.requestDeadline = b.requestDeadline;
    this.maxAttempts = b.maxAttempts;
    this.retryBaseDelay = b.retryBaseDelay;
    this.retryMaxDelay = b.retryMaxDelay;
    this.keyTtl = b.keyTtl;
    this.skipOlderRows = b.skipOlderRows;
    this.coalesceReads = b.coalesceReads;
    this.clock = b.clock;
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
    b.maxAttempts = maxAttempts;
    b.retryBaseDelay = retryBaseDelay;
    b.retryMaxDelay = retryMaxDelay;
    b.keyTtl = keyTtl;
    b.skipOlderRows = skipOlderRows;
    b.coalesceReads = coalesceReads;
    b.clock = clock;
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

  /** See {@link #DEFAULT_MAX_ATTEMPTS}. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** See {@link #DEFAULT_RETRY_BASE_DELAY}. */
  public Duration retryBaseDelay() {
    return retryBaseDelay;
  }

  /** See {@link #DEFAULT_RETRY_MAX_DELAY}. */
  public Duration retryMaxDelay() {
    return retryMaxDelay;
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

  /** Builder; not thread-safe; each setter validates. */
  public static final class Builder {
    private int inFlightLimit = DEFAULT_IN_FLIGHT_LIMIT;
    private int maxWaiters = DEFAULT_MAX_WAITERS;
    private Duration acquireTimeout = DEFAULT_ACQUIRE_TIMEOUT;
    private Duration requestDeadline = DEFAULT_REQUEST_DEADLINE;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration retryBaseDelay = DEFAULT_RETRY_BASE_DELAY;
    private Duration retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
    private Duration keyTtl = Duration.ZERO;
    private boolean skipOlderRows = true;
    private boolean coalesceReads = false;
    private InstantSource clock = InstantSource.system();

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

    /** At least 1. */
    public Builder maxAttempts(int attempts) {
      this.maxAttempts = atLeast("maxAttempts", attempts, 1);
      return this;
    }

    /** Both positive, max at least base. */
    public Builder retryDelay(Duration base, Duration max) {
      positive("retryBaseDelay", base);
      positive("retryMaxDelay", max);
      if (max.compareTo(base) < 0) {
        throw new IllegalArgumentException("retryMaxDelay must be >= retryBaseDelay");
      }
      this.retryBaseDelay = base;
      this.retryMaxDelay = max;
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
