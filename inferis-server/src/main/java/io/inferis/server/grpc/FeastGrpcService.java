package io.inferis.server.grpc;

import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCalls;
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

  /**
   * {@code feast.serving.ServingService}, {@code GrpcFeatureServer} and its packaged alias. Every
   * method takes and answers bytes: the handler parses the request, so a malformed one is the
   * client's {@code INVALID_ARGUMENT}, and writes the answer.
   */
  List<ServerServiceDefinition> definitions() {
    MethodDescriptor<byte[], byte[]> info =
        FeastGrpcMethods.raw(FeastGrpcMethods.SERVING_SERVICE, "GetFeastServingInfo");
    MethodDescriptor<byte[], byte[]> get =
        FeastGrpcMethods.raw(FeastGrpcMethods.SERVING_SERVICE, "GetOnlineFeatures");
    ServerServiceDefinition serving =
        ServerServiceDefinition.builder(
                FeastGrpcMethods.service(FeastGrpcMethods.SERVING_SERVICE, info, get))
            .addMethod(info, handler("GetFeastServingInfo", this::servingInfo))
            .addMethod(get, handler("GetOnlineFeatures", this::getOnlineFeatures))
            .build();
    return List.of(
        serving,
        featureServer(FeastGrpcMethods.FEATURE_SERVER),
        featureServer(FeastGrpcMethods.FEATURE_SERVER_ALIAS));
  }

  private ServerServiceDefinition featureServer(String name) {
    MethodDescriptor<byte[], byte[]> push = FeastGrpcMethods.raw(name, "Push");
    MethodDescriptor<byte[], byte[]> write = FeastGrpcMethods.raw(name, "WriteToOnlineStore");
    MethodDescriptor<byte[], byte[]> get = FeastGrpcMethods.raw(name, "GetOnlineFeatures");
    return ServerServiceDefinition.builder(FeastGrpcMethods.service(name, push, write, get))
        .addMethod(push, handler("Push", this::push))
        .addMethod(write, handler("WriteToOnlineStore", this::writeToOnlineStore))
        .addMethod(get, handler("GetOnlineFeatures", this::getOnlineFeatures))
        .build();
  }

  /** What a method does with a request's bytes: start the call, answering bytes. */
  @FunctionalInterface
  private interface Call {
    CompletableFuture<byte[]> start(byte[] request) throws InvalidProtocolBufferException;
  }

  /**
   * A unary handler running {@code call} within the concurrency limit: {@code call} parses and
   * starts it (and may throw), its future's outcome is the answer.
   */
  private ServerCallHandler<byte[], byte[]> handler(String method, Call call) {
    return ServerCalls.asyncUnaryCall(
        (request, out) -> {
          if (inFlight.incrementAndGet() > maxConcurrent) {
            inFlight.decrementAndGet();
            out.onError(
                Status.RESOURCE_EXHAUSTED
                    .withDescription("too many requests at once (limit " + maxConcurrent + ")")
                    .asRuntimeException());
            return;
          }
          CompletableFuture<byte[]> answer;
          try {
            answer = call.start(request);
          } catch (InvalidProtocolBufferException e) {
            inFlight.decrementAndGet();
            out.onError(
                GrpcErrors.of(
                    method,
                    ClientError.malformed(
                        "the request is not a valid " + method + " message: " + e.getMessage())));
            return;
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
        });
  }

  private CompletableFuture<byte[]> servingInfo(byte[] bytes)
      throws InvalidProtocolBufferException {
    GetFeastServingInfoRequest.parseFrom(bytes);
    return CompletableFuture.completedFuture(
        GetFeastServingInfoResponse.newBuilder().setVersion(version).build().toByteArray());
  }

  private CompletableFuture<byte[]> getOnlineFeatures(byte[] bytes)
      throws InvalidProtocolBufferException {
    GetOnlineFeaturesRequest request = GetOnlineFeaturesRequest.parseFrom(bytes);
    FeastOnline.Columns columns =
        switch (request.getKindCase()) {
          case FEATURE_SERVICE -> feast.service(request.getFeatureService());
          case FEATURES -> feast.listed(request.getFeatures().getValList());
          case KIND_NOT_SET -> throw ClientError.invalid("set 'features' or 'feature_service'");
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
            result -> OnlineResponse.write(result, columns, rows.columns(), fullNames, statuses));
  }

  private CompletableFuture<byte[]> push(byte[] bytes) throws InvalidProtocolBufferException {
    PushRequest request = PushRequest.parseFrom(bytes);
    // An unset `to` is online, as over HTTP (Feast's gRPC server refuses it).
    FeastOnline.requirePushTarget(request.getTo().isEmpty() ? "online" : request.getTo());
    ProtoFrame row = ProtoFrame.of(request.getFeaturesMap(), request.getTypedFeaturesMap());
    return feast
        .push(request.getStreamFeatureView(), row)
        .thenApply(n -> PushResponse.newBuilder().setStatus(true).build().toByteArray());
  }

  private CompletableFuture<byte[]> writeToOnlineStore(byte[] bytes)
      throws InvalidProtocolBufferException {
    WriteToOnlineStoreRequest request = WriteToOnlineStoreRequest.parseFrom(bytes);
    ProtoFrame row = ProtoFrame.of(request.getFeaturesMap(), request.getTypedFeaturesMap());
    return feast
        .writeToOnlineStore(request.getFeatureViewName(), row)
        .thenApply(
            n -> WriteToOnlineStoreResponse.newBuilder().setStatus(true).build().toByteArray());
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
