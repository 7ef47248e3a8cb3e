package io.inferis.monitoring;

import java.time.Duration;

/** On-demand aggregation of what the store holds. Thread-safe. */
public interface MonitoringQuery {

  /**
   * Aggregates the records of the last {@code window} (ending now, by the monitor's clock) per
   * model: inference and error counts, latency p50/p95/p99/max, counts per predicted class. With
   * {@link Scope#ALL}, over every live server (those in the registries within the last monitoring
   * window); with {@link Scope#SERVER}, over this server only. A window longer than the monitoring
   * window sees only what the store still holds.
   *
   * @throws IllegalArgumentException if {@code scope} is null or {@code window} not positive
   * @throws io.inferis.redis.RedisUnavailableException if the store cannot be read in time
   */
  MonitoringSummary summary(Scope scope, Duration window);
}
