package io.inferis.registry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current reading of a Feast registry, read once at start and again in the background every
 * {@code interval} (never again for zero, Feast's meaning of a cache TTL of 0 or less). A request
 * only reads the reference {@link #get} returns; it never waits for a registry read. A refresh that
 * fails, or finds a corrupt registry, keeps the last good reading, is logged and counted ({@code
 * inferis.registry.refresh.failures}); {@code inferis.registry.age} is the time since the last good
 * reading. Thread-safe.
 */
public final class RefreshingRegistry implements Supplier<FeastRegistry>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RefreshingRegistry.class);

  private final RegistrySource source;
  private final InstantSource clock;
  private final ScheduledExecutorService scheduler;
  private final boolean ownScheduler;
  private final AtomicReference<FeastRegistry> current = new AtomicReference<>();
  private final AtomicReference<Instant> readAt = new AtomicReference<>();
  private final AtomicReference<@Nullable String> lastFailure = new AtomicReference<>();
  private final AtomicLong failures = new AtomicLong();
  private volatile @Nullable ScheduledFuture<?> refreshes;
  private final @Nullable Counter failureCounter;

  private RefreshingRegistry(
      RegistrySource source,
      InstantSource clock,
      @Nullable ScheduledExecutorService scheduler,
      @Nullable MeterRegistry meters) {
    this.source = source;
    this.clock = clock;
    this.ownScheduler = scheduler == null;
    this.scheduler = scheduler != null ? scheduler : ownScheduler();
    if (meters != null) {
      this.failureCounter =
          Counter.builder("inferis.registry.refresh.failures")
              .description("Registry reads that failed; the last good registry stayed in use")
              .register(meters);
      Gauge.builder("inferis.registry.age", this, r -> r.age().toMillis() / 1000.0)
          .description("Time since the registry was last read successfully")
          .baseUnit("seconds")
          .register(meters);
    } else {
      this.failureCounter = null;
    }
  }

  /**
   * Reads {@code source} now, then every {@code interval} on {@code scheduler} (null: a daemon
   * thread of its own, stopped on close).
   *
   * @throws FeastConfigException if the first read fails: a server must not start without one
   */
  public static RefreshingRegistry start(
      RegistrySource source,
      Duration interval,
      InstantSource clock,
      @Nullable ScheduledExecutorService scheduler,
      @Nullable MeterRegistry meters) {
    Objects.requireNonNull(source, "source");
    RefreshingRegistry r = new RefreshingRegistry(source, clock, scheduler, meters);
    try {
      r.current.set(source.read());
      r.readAt.set(clock.instant());
      if (!interval.isZero() && !interval.isNegative()) {
        long nanos = interval.toNanos();
        r.refreshes =
            r.scheduler.scheduleWithFixedDelay(r::refresh, nanos, nanos, TimeUnit.NANOSECONDS);
      }
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
    return r;
  }

  /** The last good reading. */
  @Override
  public FeastRegistry get() {
    return current.get();
  }

  /** Reads the registry again; on failure keeps the last good reading. Never throws. */
  public void refresh() {
    try {
      FeastRegistry next = source.read();
      current.set(next);
      readAt.set(clock.instant());
      lastFailure.set(null);
    } catch (RuntimeException e) {
      failures.incrementAndGet();
      if (failureCounter != null) {
        failureCounter.increment();
      }
      lastFailure.set(e.getMessage());
      LOG.warn(
          "registry refresh from {} failed; still serving the registry read at {}: {}",
          source.describe(),
          readAt.get(),
          e.getMessage());
    }
  }

  /** Time since the last good reading. */
  public Duration age() {
    return Duration.between(readAt.get(), clock.instant());
  }

  /** Refreshes that failed since start. */
  public long failures() {
    return failures.get();
  }

  /** The last refresh's failure, or null if it succeeded. */
  public @Nullable String lastFailure() {
    return lastFailure.get();
  }

  /** What is read. */
  public String source() {
    return source.describe();
  }

  @Override
  public void close() {
    ScheduledFuture<?> f = refreshes;
    if (f != null) {
      f.cancel(false);
    }
    if (ownScheduler) {
      scheduler.shutdownNow();
    }
  }

  private static ScheduledExecutorService ownScheduler() {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "inferis-registry-refresh");
          t.setDaemon(true);
          return t;
        });
  }
}
