package io.inferis.monitoring;

import io.inferis.cache.Cache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Monitor}: validates and enqueues on the caller's thread (see {@link Recorder}), and
 * owns the {@link Flusher}, the {@link Reporter} and their threads.
 */
final class DefaultMonitor implements Monitor {

  private static final Logger log = LoggerFactory.getLogger(DefaultMonitor.class);

  private final String serverId;
  private final MonitoringOptions options;
  private final InstantSource clock;
  private final RecordQueue queue;
  private final Counters counters = new Counters();
  private final MeterRegistry registry;
  private final MonitorMetrics metrics;
  private final Flusher flusher;
  private final Aggregator aggregator;
  private final @Nullable Reporter reporter;
  private final @Nullable ScheduledExecutorService ownScheduler;
  private final AtomicBoolean closed = new AtomicBoolean();

  private DefaultMonitor(Cache cache, MonitoringOptions o) {
    String id = o.serverId();
    this.serverId = id != null ? id : MonitorKeys.generateServerId();
    this.options = o;
    this.clock = o.clock();
    this.queue = new RecordQueue(o.queueCapacity(), o.batchSize());
    MeterRegistry injected = o.meterRegistry();
    this.registry = injected != null ? injected : new SimpleMeterRegistry();
    this.metrics = new MonitorMetrics(registry, o.maxMeteredModels(), queue::size);
    MonitorKeys keys = new MonitorKeys(o.prefix());
    this.flusher = new Flusher(cache, keys, serverId, o, queue, counters, metrics);
    this.aggregator = new Aggregator(cache, keys, serverId, o.window().toMillis(), clock);
    if (o.reportUrl() != null) {
      ScheduledExecutorService scheduler = o.scheduler();
      this.ownScheduler = scheduler == null ? newScheduler(serverId) : null;
      this.reporter =
          new Reporter(
              aggregator,
              serverId,
              o,
              scheduler != null ? scheduler : ownScheduler,
              counters,
              metrics,
              this::stats);
    } else {
      this.ownScheduler = null;
      this.reporter = null;
    }
  }

  static DefaultMonitor start(Cache cache, MonitoringOptions options) {
    DefaultMonitor m = new DefaultMonitor(cache, options);
    m.flusher.start();
    if (m.reporter != null) {
      m.reporter.start();
    }
    return m;
  }

  private static ScheduledExecutorService newScheduler(String serverId) {
    return Executors.newSingleThreadScheduledExecutor(
        r -> {
          Thread t = new Thread(r, "inferis-monitor-reporter-" + serverId);
          t.setDaemon(true);
          return t;
        });
  }

  @Override
  public void record(String modelId, InferenceRecord record) {
    Args.modelId(modelId);
    Args.notNull(record, "record");
    enqueue(modelId, record, null, null);
  }

  @Override
  public void recordError(String modelId, InferenceRecord request, Throwable error) {
    Args.modelId(modelId);
    Args.notNull(request, "request");
    Args.notNull(error, "error");
    enqueue(modelId, request, error.getClass().getName(), RecordCodec.errorMessage(error));
  }

  private void enqueue(
      String modelId,
      InferenceRecord record,
      @Nullable String errorType,
      @Nullable String errorMessage) {
    try {
      if (closed.get()) {
        counters.droppedRecords.increment();
        return;
      }
      long t = record.rawEventTimeMillis();
      long eventTime = t >= 0 ? t : clock.millis();
      metrics.record(modelId, record.latencyMicros(), errorType != null);
      counters.recorded.increment();
      StoredRecord stored =
          new StoredRecord(serverId, modelId, eventTime, record, errorType, errorMessage);
      if (queue.offer(stored)) {
        counters.droppedRecords.increment();
        metrics.droppedQueueFull.increment();
      }
    } catch (RuntimeException e) {
      // Monitoring must never fail an inference; a broken meter registry or clock is counted.
      counters.droppedRecords.increment();
      log.debug("record dropped", e);
    }
  }

  @Override
  public String serverId() {
    return serverId;
  }

  @Override
  public boolean flush(Duration timeout) {
    Args.notNull(timeout, "timeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be >= 0, was " + timeout);
    }
    return flusher.flush(timeout);
  }

  @Override
  public MonitoringSummary summary(Scope scope, Duration window) {
    return aggregator.summary(scope, window);
  }

  @Override
  public MonitorStats stats() {
    return new MonitorStats(
        counters.recorded.sum(),
        counters.written.get(),
        counters.droppedRecords.sum(),
        counters.failedRecords.get(),
        queue.size(),
        queue.capacity(),
        counters.reportsSent.get(),
        counters.reportFailures.get(),
        counters.reportsDropped.get(),
        reporter == null ? 0 : reporter.spooled(),
        counters.reportRunsSkipped.get());
  }

  @Override
  public MeterRegistry meterRegistry() {
    return registry;
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + options.closeTimeout().toNanos();
    try {
      // Records first, so the final report sees them.
      flusher.stop(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      int left = queue.size();
      if (left > 0) {
        counters.droppedRecords.add(left);
        metrics.droppedQueueFull.increment(left);
      }
      if (reporter != null) {
        reporter.close(deadline);
      }
    } catch (RuntimeException e) {
      log.warn("monitor close failed (ignored)", e);
    } finally {
      if (ownScheduler != null) {
        ownScheduler.shutdownNow();
      }
      if (options.meterRegistry() == null) {
        registry.close();
      }
    }
  }

  @Override
  public String toString() {
    return "Monitor[" + serverId + "]";
  }
}
