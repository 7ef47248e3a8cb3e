package io.inferis.server.grpc;

import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.inferis.LatencyBuckets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code inferis.grpc.requests}: the latency of every gRPC call by full method name and status
 * code, as a histogram on {@link LatencyBuckets}. Methods are those the server registered (a call
 * to any other is refused before interceptors run) and codes a closed set, so series are bounded.
 * Thread-safe.
 */
final class GrpcMetrics implements ServerInterceptor {

  private record Key(String method, Status.Code code) {}

  private final MeterRegistry registry;
  private final Map<Key, Timer> timers = new ConcurrentHashMap<>();

  GrpcMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    long start = System.nanoTime();
    String method = call.getMethodDescriptor().getFullMethodName();
    return next.startCall(
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            timer(new Key(method, status.getCode()))
                .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            super.close(status, trailers);
          }
        },
        headers);
  }

  private Timer timer(Key key) {
    return timers.computeIfAbsent(
        key,
        k ->
            Timer.builder("inferis.grpc.requests")
                .description("gRPC calls by method and status code")
                .tag("method", k.method())
                .tag("code", k.code().name())
                .serviceLevelObjectives(LatencyBuckets.bounds())
                .register(registry));
  }
}
