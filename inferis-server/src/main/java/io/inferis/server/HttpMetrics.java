package io.inferis.server;

import io.inferis.LatencyBuckets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code inferis.http.requests}: the latency of every answered request by route, method and status,
 * as a Prometheus histogram on {@link LatencyBuckets}. Routes come from {@link HttpRoutes#label},
 * methods from a fixed list, so the number of series is bounded whatever clients send. A no-op
 * without a registry. Thread-safe.
 */
final class HttpMetrics {

  /** A timer's tags; routes, methods and statuses are closed sets, so the map stays small. */
  private record Key(String route, String method, int status) {}

  private final @Nullable MeterRegistry registry;
  // Registering a meter per request (tags, id, registry lookup) sat on the hot path.
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  HttpMetrics(@Nullable MeterRegistry registry) {
    this.registry = registry;
  }

  /** Records {@code req}, answered now, as started at {@code startNanos} under {@code route}. */
  void record(HttpServerRequest req, String route, long startNanos) {
    record(
        route, req.method().name(), req.response().getStatusCode(), System.nanoTime() - startNanos);
  }

  /** Records a request of {@code method} to {@code route} answered with {@code status}. */
  void record(String route, String method, int status, long nanos) {
    if (registry == null) {
      return;
    }
    Key key = new Key(route, methodTag(method), status);
    timers
        .computeIfAbsent(
            key,
            k ->
                Timer.builder("inferis.http.requests")
                    .description("HTTP requests by route and status")
                    .tag("route", k.route())
                    .tag("method", k.method())
                    .tag("status", Integer.toString(k.status()))
                    .serviceLevelObjectives(LatencyBuckets.bounds())
                    .register(registry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  /** Known methods by name, any other as {@code other}: clients must not mint meters. */
  private static String methodTag(String method) {
    return switch (method) {
      case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH" -> method;
      default -> "other";
    };
  }
}
