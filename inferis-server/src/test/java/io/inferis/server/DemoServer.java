package io.inferis.server;

import io.inferis.cache.Cache;
import io.inferis.features.FeatureStore;
import io.inferis.monitoring.Monitor;
import io.inferis.monitoring.Monitoring;
import io.inferis.monitoring.MonitoringOptions;
import io.inferis.server.model.Models;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A {@link FeatureHttpServer} on loopback with the demo model, a monitor on {@code cache} and a
 * Prometheus registry, as the server tests use it. {@link #close} closes the server, the monitor,
 * the cache and the store, in that order.
 */
final class DemoServer implements AutoCloseable {

  private final FeatureStore store;
  private final Cache cache;
  private final Monitor monitor;
  private final RunningServer server;

  private DemoServer(
      FeatureStore store,
      Cache cache,
      MonitoringOptions.Builder monitoring,
      ServerOptions options,
      PrometheusMeterRegistry metrics) {
    this.store = store;
    this.cache = cache;
    this.monitor = Monitoring.start(cache, monitoring.meterRegistry(metrics).build());
    this.server =
        RunningServer.start(
            store,
            options,
            b ->
                b.models(new Models().register(Models.driverRisk()))
                    .recorder(monitor)
                    .monitoring(monitor)
                    .metrics(metrics));
  }

  /** Starts a server over {@code store}; the monitor reports as {@code serverId}. */
  static DemoServer start(FeatureStore store, Cache cache, String serverId, ServerOptions options) {
    return start(store, cache, MonitoringOptions.builder().serverId(serverId), options);
  }

  /** As above, with the monitor's own options (the registry is set here). */
  static DemoServer start(
      FeatureStore store,
      Cache cache,
      MonitoringOptions.Builder monitoring,
      ServerOptions options) {
    return new DemoServer(
        store, cache, monitoring, options, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** As above, with meters in {@code metrics} (which the store may share). */
  static DemoServer start(
      FeatureStore store,
      Cache cache,
      String serverId,
      ServerOptions options,
      PrometheusMeterRegistry metrics) {
    return new DemoServer(
        store, cache, MonitoringOptions.builder().serverId(serverId), options, metrics);
  }

  int port() {
    return server.port();
  }

  String base() {
    return server.base();
  }

  FeatureHttpServer server() {
    return server.server();
  }

  Monitor monitor() {
    return monitor;
  }

  @Override
  public void close() {
    server.close();
    monitor.close();
    cache.close();
    store.close();
  }
}
