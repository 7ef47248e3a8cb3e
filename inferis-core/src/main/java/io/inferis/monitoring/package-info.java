/**
 * Inference monitoring: a {@link io.inferis.monitoring.Recorder} that never blocks or throws into
 * the inference path, registries of live models and servers, a reporter that POSTs an aggregate of
 * the trailing window with retries, a bounded spool and idempotent ids, Micrometer meters, and an
 * on-demand {@link io.inferis.monitoring.MonitoringQuery summary}. Start one with {@link
 * io.inferis.monitoring.Monitoring#start}.
 *
 * <p>Every key is written through {@link io.inferis.cache.Cache#appendAll}, so each write trims the
 * key to the window, caps its members and re-arms its TTL in one atomic step: a killed process
 * leaves nothing behind one window after its last write (docs/DESIGN.md, "Monitoring").
 */
@NullMarked
package io.inferis.monitoring;

import org.jspecify.annotations.NullMarked;
