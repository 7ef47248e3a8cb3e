package io.inferis.monitoring;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;

/**
 * A running monitor: the {@link Recorder} of one server, the registries it keeps alive, the
 * reporter (when a report URL is set) and on-demand summaries. Created by {@link Monitoring#start};
 * close it before the cache it writes to. Thread-safe.
 *
 * <p>Threads: one flusher thread (writes records and registry entries, heartbeats), and the
 * reporter's scheduler thread (its own unless one is injected).
 */
public interface Monitor extends Recorder, MonitoringQuery, AutoCloseable {

  /**
   * Writes every record queued before this call, waiting at most {@code timeout}.
   *
   * @return true if they were written (or their write failed and was counted) in time
   * @throws IllegalArgumentException if {@code timeout} is null or negative
   */
  boolean flush(Duration timeout);

  /** A snapshot of the counters. */
  MonitorStats stats();

  /** The registry the meters are in (the injected one, or the monitor's private one). */
  MeterRegistry meterRegistry();

  /**
   * Stops recording (later records are dropped and counted), writes the queued records, sends a
   * final report of the trailing window and tries the spooled reports once each, all within {@link
   * MonitoringOptions#closeTimeout()}; then stops its threads. Never throws. Idempotent. The cache
   * is left open.
   */
  @Override
  void close();
}
