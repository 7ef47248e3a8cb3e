package io.inferis.cache;

import java.time.Duration;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import org.jspecify.annotations.Nullable;

/**
 * Immutable options of the in-memory cache: the clock (epoch time for TTLs and windows), the
 * scheduler that runs the expiry sweeper, and how much the sweeper does per run ({@link
 * #DEFAULT_SWEEP_INTERVAL}, {@link #DEFAULT_SWEEP_BATCH}).
 */
public final class MemoryCacheOptions {

  /** How often the sweeper runs. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(1);

  /** Keys the sweeper examines per run, so one run's work stays bounded. */
  public static final int DEFAULT_SWEEP_BATCH = 1000;

  private static final MemoryCacheOptions DEFAULTS = builder().build();

  private final InstantSource clock;
  private final @Nullable ScheduledExecutorService scheduler;
  private final Duration sweepInterval;
  private final int sweepBatch;

  private MemoryCacheOptions(Builder b) {
    this.clock = b.clock;
    this.scheduler = b.scheduler;
    this.sweepInterval = b.sweepInterval;
    this.sweepBatch = b.sweepBatch;
  }

  /** System clock, own sweeper thread, default interval and batch. */
  public static MemoryCacheOptions defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.clock = clock;
    b.scheduler = scheduler;
    b.sweepInterval = sweepInterval;
    b.sweepBatch = sweepBatch;
    return b;
  }

  /** The clock; default {@link InstantSource#system()}. */
  public InstantSource clock() {
    return clock;
  }

  /** The sweeper's scheduler, or null for a daemon thread the cache owns and stops on close. */
  public @Nullable ScheduledExecutorService scheduler() {
    return scheduler;
  }

  /** See {@link #DEFAULT_SWEEP_INTERVAL}. */
  public Duration sweepInterval() {
    return sweepInterval;
  }

  /** See {@link #DEFAULT_SWEEP_BATCH}. */
  public int sweepBatch() {
    return sweepBatch;
  }

  /** Builder; not thread-safe. */
  public static final class Builder {
    private InstantSource clock = InstantSource.system();
    private @Nullable ScheduledExecutorService scheduler;
    private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
    private int sweepBatch = DEFAULT_SWEEP_BATCH;

    private Builder() {}

    /** The clock for TTLs and windows (a fake one in tests). */
    public Builder clock(InstantSource clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A shared scheduler for the sweeper; the cache does not shut it down. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
      return this;
    }

    /** Must be positive. */
    public Builder sweepInterval(Duration interval) {
      Objects.requireNonNull(interval, "sweepInterval");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("sweepInterval must be positive, was " + interval);
      }
      this.sweepInterval = interval;
      return this;
    }

    /** Must be at least 1. */
    public Builder sweepBatch(int batch) {
      if (batch < 1) {
        throw new IllegalArgumentException("sweepBatch must be >= 1, was " + batch);
      }
      this.sweepBatch = batch;
      return this;
    }

    /** The options. */
    public MemoryCacheOptions build() {
      return new MemoryCacheOptions(this);
    }
  }
}
