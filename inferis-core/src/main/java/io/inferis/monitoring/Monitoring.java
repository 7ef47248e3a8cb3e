package io.inferis.monitoring;

import io.inferis.cache.Cache;

/** Creates monitors and read-only queries over a {@link Cache} (Redis or memory). */
public final class Monitoring {

  private Monitoring() {}

  /**
   * Starts a monitor writing to {@code cache}: its flusher thread, and its reporter if {@link
   * MonitoringOptions#reportUrl()} is set. The cache stays owned by the caller (close it after the
   * monitor).
   *
   * @throws IllegalArgumentException if an argument is null
   */
  public static Monitor start(Cache cache, MonitoringOptions options) {
    Args.notNull(cache, "cache");
    Args.notNull(options, "options");
    return DefaultMonitor.start(cache, options);
  }

  /** {@link #start(Cache, MonitoringOptions)} with {@link MonitoringOptions#defaults()}. */
  public static Monitor start(Cache cache) {
    return start(cache, MonitoringOptions.defaults());
  }

  /**
   * A read-only query of what every server recorded in {@code cache}, for a process that records
   * nothing itself (a dashboard). It writes nothing and starts no thread. {@link Scope#SERVER}
   * means the server id of {@code options}.
   *
   * @throws IllegalArgumentException if an argument is null, or {@code options} has no server id (a
   *     query has no server of its own to generate one for)
   */
  public static MonitoringQuery query(Cache cache, MonitoringOptions options) {
    Args.notNull(cache, "cache");
    Args.notNull(options, "options");
    String server = options.serverId();
    if (server == null) {
      throw new IllegalArgumentException("serverId must be set in options for a query");
    }
    return new Aggregator(
        cache,
        new MonitorKeys(options.prefix()),
        server,
        options.window().toMillis(),
        options.clock());
  }
}
