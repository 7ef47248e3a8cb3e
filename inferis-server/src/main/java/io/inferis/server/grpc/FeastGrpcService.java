package io.inferis.server.grpc;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import io.inferis.server.feast.ClientError;
import io.inferis.server.feast.EntityRows;
import io.inferis.server.feast.FeastOnline;
import io.inferis.server.feast.Statuses;
import io.inferis.server.grpc.proto.GetFeastServingInfoRequest;
import io.inferis.server.grpc.proto.GetFeastServingInfoResponse;
import io.inferis.server.grpc.proto.GetOnlineFeaturesRequest;
import io.inferis.server.grpc.proto.PushRequest;
import io.inferis.server.grpc.proto.PushResponse;
import io.inferis.server.grpc.proto.RepeatedValue;
import io.inferis.server.grpc.proto.Value;
import io.inferis.server.grpc.proto.WriteToOnlineStoreRequest;
import io.inferis.server.grpc.proto.WriteToOnlineStoreResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The handlers of Feast's two gRPC services over {@link FeastOnline}: parse the request (entity
 * rows by {@link EntityRows}' rules, values by {@link ProtoInputs}), run the operation, answer (a
 * lookup as {@link OnlineResponse} writes it). A call's gRPC deadline bounds its Redis work; calls
 * beyond {@code maxConcurrent} are refused {@code RESOURCE_EXHAUSTED}; failures map as {@link
 * GrpcErrors} says. Handlers never block, so they run on the transport's threads. Thread-safe.
 */
final class FeastGrpcService {

  private final FeastOnline feast;
  private final Statuses statuses;
  private final int maxConcurrent;
  private final String version;
  private final AtomicInteger inFlight = new AtomicInteger();

  FeastGrpcService(FeastOnline feast, Statuses statuses, int maxConcurrent, String version) {
    this.feast = feast;
    this.statuses = statuses;
    this.maxConcurrent = maxConcurrent;
    this.version = version;
  }

  /** Calls being handled. */
  int inFlight() {
    return inFlight.get();
  }

  /** {@code feast.serving.ServingService}, {@code GrpcFeatureServer} and its packaged alias. */
  List<ServerServiceDefinition> definitions() {
    MethodDescriptor<GetFeastServingInfoRequest, GetFeastServingInfoResponse> info =
        FeastGrpcMethods.Client.GET_FEAST_SERVING_INFO;
    MethodDescriptor<GetOnlineFeaturesRequest, byte[]> get =
        lookup(FeastGrpcMethods.SERVING_SERVICE);
    ServerServiceDefinition serving =
        ServerServiceDefinition.builder(
                FeastGrpcMethods.service(FeastGrpcMethods.SERVING_SERVICE, info, get))
            .addMethod(info, ServerCalls.asyncUnaryCall(this::servingInfo))
            .addMethod(get, ServerCalls.asyncUnaryCall(this::getOnlineFeatures))
            .build();
    return List.of(
        serving,
        featureServer(FeastGrpcMethods.FEATURE_SERVER),
        featureServer(FeastGrpcMethods.FEATURE_SERVER_ALIAS));
  }

  private static MethodDescriptor<GetOnlineFeaturesRequest, byte[]> lookup(String service) {
    return FeastGrpcMethods.unary(
        service,
        "GetOnlineFeatures",
        GetOnlineFeaturesRequest.getDefaultInstance(),
        FeastGrpcMethods.BYTES);
  }

  private ServerServiceDefinition featureServer(String name) {
    MethodDescriptor<PushRequest, PushResponse> push =
        FeastGrpcMethods.unary(
            name,
            "Push",
            PushRequest.getDefaultInstance(),
            ProtoUtils.marshaller(PushResponse.getDefaultInstance()));
    MethodDescriptor<WriteToOnlineStoreRequest, WriteToOnlineStoreResponse> write =
        FeastGrpcMethods.unary(
            name,
            "WriteToOnlineStore",
            WriteToOnlineStoreRequest.getDefaultInstance(),
            ProtoUtils.marshaller(WriteToOnlineStoreResponse.getDefaultInstance()));
    MethodDescriptor<GetOnlineFeaturesRequest, byte[]> get = lookup(name);
    return ServerServiceDefinition.builder(FeastGrpcMethods.service(name, push, write, get))
        .addMethod(push, ServerCalls.asyncUnaryCall(this::push))
        .addMethod(write, ServerCalls.asyncUnaryCall(this::writeToOnlineStore))
        .addMethod(get, ServerCalls.asyncUnaryCall(this::getOnlineFeatures))
        .build();
  }

  private void servingInfo(
      GetFeastServingInfoRequest request, StreamObserver<GetFeastServingInfoResponse> out) {
    out.onNext(GetFeastServingInfoResponse.newBuilder().setVersion(version).build());
    out.onCompleted();
  }

  private void getOnlineFeatures(GetOnlineFeaturesRequest request, StreamObserver<byte[]> out) {
    run(
        "GetOnlineFeatures",
        out,
        () -> {
          FeastOnline.Columns columns =
              switch (request.getKindCase()) {
                case FEATURE_SERVICE -> feast.service(request.getFeatureService());
                case FEATURES -> feast.listed(request.getFeatures().getValList());
                case KIND_NOT_SET ->
                    throw ClientError.invalid("set 'features' or 'feature_service'");
              };
          Map<String, List<Value>> given = new LinkedHashMap<>();
          for (Map.Entry<String, RepeatedValue> e : request.getEntitiesMap().entrySet()) {
            given.put(e.getKey(), e.getValue().getValList());
          }
          if (given.isEmpty()) {
            throw ClientError.invalid("'entities' must map join keys to lists of values");
          }
          EntityRows<Value> rows =
              EntityRows.read(
                  given,
                  feast.entitiesByJoinKey(),
                  (cell, entity, what) -> ProtoInputs.value(cell, entity.type(), what),
                  feast.maxEntities());
          boolean fullNames = request.getFullFeatureNames();
          return feast
              .lookup(columns, rows, remaining())
              .thenApply(
                  result ->
                      OnlineResponse.write(result, columns, rows.columns(), fullNames, statuses));
        });
  }

  private void push(PushRequest request, StreamObserver<PushResponse> out) {
    run(
        "Push",
        out,
        () -> {
          // An unset `to` is online, as over HTTP (Feast's gRPC server refuses it).
          FeastOnline.requirePushTarget(request.getTo().isEmpty() ? "online" : request.getTo());
          ProtoFrame row = ProtoFrame.of(request.getFeaturesMap(), request.getTypedFeaturesMap());
          return feast
              .push(request.getStreamFeatureView(), row)
              .thenApply(n -> PushResponse.newBuilder().setStatus(true).build());
        });
  }

  private void writeToOnlineStore(
      WriteToOnlineStoreRequest request, StreamObserver<WriteToOnlineStoreResponse> out) {
    run(
        "WriteToOnlineStore",
        out,
        () -> {
          ProtoFrame row = ProtoFrame.of(request.getFeaturesMap(), request.getTypedFeaturesMap());
          return feast
              .writeToOnlineStore(request.getFeatureViewName(), row)
              .thenApply(n -> WriteToOnlineStoreResponse.newBuilder().setStatus(true).build());
        });
  }

  /**
   * Runs one call within the concurrency limit: {@code call} parses and starts it (and may throw),
   * its future's outcome is the answer.
   */
  private <R> void run(String method, StreamObserver<R> out, Supplier<CompletableFuture<R>> call) {
    if (inFlight.incrementAndGet() > maxConcurrent) {
      inFlight.decrementAndGet();
      out.onError(
          Status.RESOURCE_EXHAUSTED
              .withDescription("too many requests at once (limit " + maxConcurrent + ")")
              .asRuntimeException());
      return;
    }
    CompletableFuture<R> answer;
    try {
      answer = call.get();
    } catch (RuntimeException e) {
      inFlight.decrementAndGet();
      out.onError(GrpcErrors.of(method, e));
      return;
    }
    answer.whenComplete(
        (r, failure) -> {
          inFlight.decrementAndGet();
          if (failure != null) {
            out.onError(GrpcErrors.of(method, failure));
          } else {
            out.onNext(r);
            out.onCompleted();
          }
        });
  }

  /**
   * What is left of the call's deadline, or null for none (the store's own applies).
   *
   * @throws io.grpc.StatusRuntimeException {@code DEADLINE_EXCEEDED} when nothing is left
   */
  private static @Nullable Duration remaining() {
    Deadline deadline = Context.current().getDeadline();
    if (deadline == null) {
      return null;
    }
    long nanos = deadline.timeRemaining(TimeUnit.NANOSECONDS);
    if (nanos <= 0) {
      throw Status.DEADLINE_EXCEEDED
          .withDescription("the call's deadline passed before it was read")
          .asRuntimeException();
    }
    return Duration.ofNanos(nanos);
  }
}
