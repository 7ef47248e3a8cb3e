package io.inferis.server.feast;

import io.inferis.feast.FieldStatus;
import io.inferis.features.OnlineFeatures;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code feast_feature_freshness_seconds{feature_view}}: per view, how old the newest event
 * timestamp served from it is, now: the time since its data was last written, as Feast's gauge of
 * the same name measures the time since its last materialization. Only views that answered a lookup
 * with a value have a gauge, so series are bounded by the repository's views whatever clients ask
 * for. One instance is shared by every transport of a server. Thread-safe.
 */
public final class FeatureFreshness {

  private final MeterRegistry registry;
  private final InstantSource clock;
  private final Map<String, AtomicLong> newestMillis = new ConcurrentHashMap<>();

  /** Gauges on {@code registry}, ages by {@code clock}. */
  public FeatureFreshness(MeterRegistry registry, InstantSource clock) {
    this.registry = registry;
    this.clock = clock;
  }

  /** Notes the event times {@code result} served. */
  void served(OnlineFeatures result) {
    int features = result.features().size();
    for (int f = 0; f < features; f++) {
      long newest = Long.MIN_VALUE;
      for (int r = 0; r < result.rowCount(); r++) {
        FieldStatus s = result.status(r, f);
        Instant t = result.eventTime(r, f);
        if ((s == FieldStatus.PRESENT || s == FieldStatus.OUTSIDE_MAX_AGE)
            && !t.equals(Instant.EPOCH)) {
          newest = Math.max(newest, t.toEpochMilli());
        }
      }
      if (newest != Long.MIN_VALUE) {
        AtomicLong gauge =
            newestMillis.computeIfAbsent(result.features().get(f).view(), this::gauge);
        // Written only when newer: most lookups serve no newer time than the last one did.
        for (long known = gauge.get(); newest > known; known = gauge.get()) {
          if (gauge.compareAndSet(known, newest)) {
            break;
          }
        }
      }
    }
  }

  private AtomicLong gauge(String view) {
    AtomicLong newest = new AtomicLong(Long.MIN_VALUE);
    Gauge.builder(
            "feast_feature_freshness",
            newest,
            n -> n.get() == Long.MIN_VALUE ? Double.NaN : (clock.millis() - n.get()) / 1000.0)
        .description("Age of the newest event timestamp served from the feature view")
        .baseUnit("seconds")
        .tag("feature_view", view)
        .register(registry);
    return newest;
  }
}
