package io.inferis.server.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
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
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * {@code inferis.grpc.requests}: the latency of every gRPC call by full method name and status
 * code, as a histogram on {@link LatencyBuckets}. Methods are those the server registered (a call
 * to any other is refused before interceptors run) and codes a closed set, so series are bounded.
 * Each call is counted once, when it ends: under the code the server closed it with, unless its
 * client went away first (a cancelled call, a closed connection): then {@code DEADLINE_EXCEEDED} if
 * its deadline had passed (a client gives up at its deadline, the server's work ends at the same
 * deadline), else {@code CANCELLED}, whatever its work ended with later, or if it never reached a
 * handler. Thread-safe.
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
    Ending ending =
        new Ending(call.getMethodDescriptor().getFullMethodName(), Context.current().getDeadline());
    ServerCall.Listener<Q> listener =
        next.startCall(
            new SimpleForwardingServerCall<>(call) {
              @Override
              public void close(Status status, Metadata trailers) {
                ending.end(isCancelled() ? ending.goneBeforeAnswer(status) : status.getCode());
                super.close(status, trailers);
              }
            },
            headers);
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onHalfClose() {
        ending.requested = true;
        super.onHalfClose();
      }

      @Override
      public void onCancel() {
        // A call whose request was whole is answered (and counted) when its work ends, within
        // its deadline; one cancelled earlier never reaches the handler.
        if (!ending.requested) {
          ending.end(ending.goneBeforeAnswer(null));
        }
        super.onCancel();
      }
    };
  }

  /** One call's end, recorded once: by the server's close, or by a cancellation before it. */
  private final class Ending {
    private final String method;
    private final @Nullable Deadline deadline;
    private final long start = System.nanoTime();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean requested;

    Ending(String method, @Nullable Deadline deadline) {
      this.method = method;
      this.deadline = deadline;
    }

    /**
     * The code of a call whose client went away before its answer ({@code answered}, if the server
     * then closed it): {@code DEADLINE_EXCEEDED} if the call's deadline had passed (the client gave
     * up at it, or the work ended at it), else {@code CANCELLED}.
     */
    Status.Code goneBeforeAnswer(@Nullable Status answered) {
      boolean late = deadline != null && deadline.isExpired();
      boolean workAtDeadline =
          answered == null || answered.getCode() == Status.Code.DEADLINE_EXCEEDED;
      return late && workAtDeadline ? Status.Code.DEADLINE_EXCEEDED : Status.Code.CANCELLED;
    }

    void end(Status.Code code) {
      if (ended.compareAndSet(false, true)) {
        timer(new Key(method, code)).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      }
    }
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
