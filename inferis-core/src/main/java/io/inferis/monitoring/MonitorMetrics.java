package io.inferis.monitoring;

import io.inferis.LatencyBuckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The monitor's Micrometer meters (names in docs/OPERATIONS.md, "Monitoring"). Per model: {@code
 * inferis.monitoring.inferences}, {@code inferis.monitoring.errors} (counters) and {@code
 * inferis.monitoring.latency} (timer), tagged {@code model}; at most {@code maxModels} distinct
 * tags, later models share {@code model=_other} so a caller cannot explode the series count. Per
 * monitor: queue depth gauge, dropped records by reason, report outcomes. Thread-safe.
 */
final class MonitorMetrics {

  /** The tag value shared by models beyond the limit. */
  static final String OTHER_MODEL = "_other";

  private final MeterRegistry registry;
  private final int maxModels;
  private final ConcurrentHashMap<String, ModelMeters> models = new ConcurrentHashMap<>();
  final Counter droppedQueueFull;
  final Counter droppedWriteFailed;
  final Counter reportsSent;
  final Counter reportFailures;
  final Counter reportsDropped;

  MonitorMetrics(MeterRegistry registry, int maxModels, Supplier<Number> queueDepth) {
    this.registry = registry;
    this.maxModels = maxModels;
    Gauge.builder("inferis.monitoring.queue.depth", queueDepth)
        .description("records waiting to be written")
        .register(registry);
    this.droppedQueueFull = dropped("queue_full");
    this.droppedWriteFailed = dropped("write_failed");
    this.reportsSent =
        Counter.builder("inferis.monitoring.reports.sent")
            .description("reports delivered (2xx)")
            .register(registry);
    this.reportFailures =
        Counter.builder("inferis.monitoring.reports.failures")
            .description("failed report POST attempts and failed report runs")
            .register(registry);
    this.reportsDropped =
        Counter.builder("inferis.monitoring.reports.dropped")
            .description("reports lost: spool full, or rejected with a 4xx")
            .register(registry);
  }

  private Counter dropped(String reason) {
    return Counter.builder("inferis.monitoring.records.dropped")
        .description("records lost before reaching the store")
        .tag("reason", reason)
        .register(registry);
  }

  /** Counts one inference (or error) of {@code model} and its latency. */
  void record(String model, long latencyMicros, boolean error) {
    ModelMeters m = models.get(model);
    if (m == null) {
      m = models.size() < maxModels ? models.computeIfAbsent(model, this::meters) : other();
    }
    if (error) {
      m.errors.increment();
    } else {
      m.inferences.increment();
      m.latency.record(latencyMicros, TimeUnit.MICROSECONDS);
    }
  }

  private ModelMeters other() {
    return models.computeIfAbsent(OTHER_MODEL, this::meters);
  }

  private ModelMeters meters(String model) {
    return new ModelMeters(
        Counter.builder("inferis.monitoring.inferences")
            .description("inferences recorded")
            .tag("model", model)
            .register(registry),
        Counter.builder("inferis.monitoring.errors")
            .description("failed inferences recorded")
            .tag("model", model)
            .register(registry),
        Timer.builder("inferis.monitoring.latency")
            .description("inference latency as recorded")
            .tag("model", model)
            .serviceLevelObjectives(LatencyBuckets.bounds())
            .register(registry));
  }

  private record ModelMeters(Counter inferences, Counter errors, Timer latency) {}
}
