package io.inferis.server;

import io.inferis.audit.AuditOptions;
import io.inferis.audit.AuditReport;
import io.inferis.cache.Cache;
import io.inferis.cache.Lock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the monitoring keys (those under the monitoring prefix) and how many have no TTL, for the
 * gauges {@code inferis.monitoring.keys}, {@code inferis.monitoring.keys.without.ttl} and {@code
 * inferis.monitoring.keys.scan.age} (seconds since the count was taken; -1 before the first).
 *
 * <p>Cheap for a fleet: once per period, one server of all that share the Redis (whichever takes
 * the lock {@code <prefix>keywatch:lock}, held for the period and left to expire) scans the prefix
 * with the audit's pipelined scan and stores the count in {@code <prefix>keywatch:count} (TTL one
 * period); every server reads that one key. So a fleet of any size scans the keyspace once per
 * period, and the gauges of every pod agree. The period is at most the monitoring window, so the
 * watch's own keys are gone one window after the last server stopped, like every monitoring key.
 * Thread-safe.
 */
public final class KeyTtlWatch implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(KeyTtlWatch.class);

  /** What one scan found, as stored in Redis: {@code <keys> <withoutTtl> <epochMillis>}. */
  record Count(long keys, long withoutTtl, long atMillis) {
    byte[] bytes() {
      return (keys + " " + withoutTtl + " " + atMillis).getBytes(StandardCharsets.US_ASCII);
    }

    static Optional<Count> parse(byte[] bytes) {
      String[] parts = new String(bytes, StandardCharsets.US_ASCII).split(" ");
      try {
        return parts.length == 3
            ? Optional.of(
                new Count(
                    Long.parseLong(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2])))
            : Optional.empty();
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
    }
  }

  private final Cache cache;
  private final String prefix;
  private final Duration period;
  private final Function<AuditOptions, AuditReport> scan;
  private final ScheduledExecutorService thread;
  private volatile Count last = new Count(0, 0, -1);

  /**
   * Starts watching the keys under {@code prefix} every {@code period} (first check after a random
   * part of a period, so pods started together do not all look at once).
   *
   * @param scan runs the audit (e.g. {@code KeyAudit.of(connector)::scan})
   */
  public KeyTtlWatch(
      Cache cache,
      String prefix,
      Duration period,
      Function<AuditOptions, AuditReport> scan,
      MeterRegistry registry) {
    this.cache = cache;
    this.prefix = prefix;
    this.period = period;
    this.scan = scan;
    Gauge.builder("inferis.monitoring.keys", this, w -> w.last.keys())
        .description("keys under the monitoring prefix, at the last scan")
        .register(registry);
    Gauge.builder("inferis.monitoring.keys.without.ttl", this, w -> w.last.withoutTtl())
        .description("keys under the monitoring prefix without a TTL, at the last scan")
        .register(registry);
    Gauge.builder("inferis.monitoring.keys.scan.age", this, KeyTtlWatch::scanAgeSeconds)
        .description("seconds since the monitoring keys were last counted; -1: not yet")
        .baseUnit("seconds")
        .register(registry);
    this.thread = Daemons.scheduler("inferis-key-watch");
    long first = ThreadLocalRandom.current().nextLong(Math.max(1, period.toMillis()));
    thread.scheduleWithFixedDelay(this::check, first, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  private double scanAgeSeconds() {
    Count c = last;
    // The local clock: a scrape must not wait for Redis, and clocks differ by far less than a
    // period.
    return c.atMillis() < 0 ? -1 : Math.max(0, System.currentTimeMillis() - c.atMillis()) / 1000.0;
  }

  /** Reads the shared count; scans first if it is missing or a period old and the lock is free. */
  void check() {
    try {
      Optional<Count> shared = cache.get(countKey()).flatMap(Count::parse);
      long now = cache.nowMillis();
      if (shared.isEmpty() || now - shared.get().atMillis() >= period.toMillis()) {
        Optional<Lock> turn = cache.tryLock(prefix + "keywatch:lock", period, Duration.ZERO);
        if (turn.isPresent()) {
          AuditReport report =
              scan.apply(AuditOptions.builder().matchPrefix(prefix).top(0).maxPrefixes(1).build());
          Count count = new Count(report.all().keys(), report.withoutTtl(), cache.nowMillis());
          cache.set(countKey(), count.bytes(), period);
          shared = Optional.of(count);
        }
      }
      shared.ifPresent(c -> last = c);
    } catch (RuntimeException e) {
      LOG.warn("could not count the monitoring keys: {}", e.toString());
    }
  }

  private String countKey() {
    return prefix + "keywatch:count";
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
