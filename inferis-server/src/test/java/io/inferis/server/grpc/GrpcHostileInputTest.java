package io.inferis.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.inferis.features.FeatureStore;
import io.inferis.server.ServerOptions;
import io.inferis.server.grpc.proto.FeatureList;
import io.inferis.server.grpc.proto.GetOnlineFeaturesRequest;
import io.inferis.server.grpc.proto.PushRequest;
import io.inferis.server.grpc.proto.RepeatedValue;
import io.inferis.server.grpc.proto.Value;
import io.inferis.server.grpc.proto.WriteToOnlineStoreRequest;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.ScanIterator;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and mistaken gRPC calls to a server on the real Feast repository: each is answered with
 * the status code that says what is wrong, the server keeps answering, and Redis holds exactly the
 * bytes it held before.
 */
class GrpcHostileInputTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final int MAX_BYTES = 64 * 1024;

  @TempDir Path tmp;

  private GoldenGrpc golden;
  private FeatureStore store;
  private ManagedChannel channel;

  @BeforeEach
  void start() {
    golden =
        new GoldenGrpc(
            redis.get(),
            tmp,
            b ->
                b.options(
                    ServerOptions.builder()
                        .maxEntities(100)
                        .maxFeatures(20)
                        .maxBodyBytes(MAX_BYTES)
                        .build()),
            c -> c.maxInboundMessageSize(16 * 1024 * 1024));
    store = golden.store;
    channel = golden.channel;
  }

  @AfterEach
  void stop() throws Exception {
    golden.close();
  }

  private static GetOnlineFeaturesRequest.Builder lookup(String... features) {
    return GetOnlineFeaturesRequest.newBuilder()
        .setFeatures(FeatureList.newBuilder().addAllVal(java.util.List.of(features)));
  }

  private static RepeatedValue ids(long... ids) {
    RepeatedValue.Builder b = RepeatedValue.newBuilder();
    for (long id : ids) {
      b.addVal(Value.newBuilder().setInt64Val(id));
    }
    return b.build();
  }

  private Status.Code code(Supplier<?> call) {
    StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::get);
    assertThat(e).as("the call must fail").isNotNull();
    assertThat(e.getStatus().getDescription()).as("a message saying why").isNotBlank();
    return e.getStatus().getCode();
  }

  private <Q, R> R call(MethodDescriptor<Q, R> method, Q request) {
    return ClientCalls.blockingUnaryCall(
        channel, method, CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request);
  }

  private Object get(GetOnlineFeaturesRequest request) {
    return call(
        FeastGrpcMethods.Client.getOnlineFeatures(FeastGrpcMethods.FEATURE_SERVER), request);
  }

  @Test
  void mistakesAndHostileInput_getTheirStatusCode_andChangeNothing() {
    Map<String, Map<String, String>> before = snapshot();
    MethodDescriptor<byte[], byte[]> raw =
        FeastGrpcMethods.raw(FeastGrpcMethods.FEATURE_SERVER, "GetOnlineFeatures");
    MethodDescriptor<byte[], byte[]> rawPush =
        FeastGrpcMethods.raw(FeastGrpcMethods.FEATURE_SERVER, "Push");

    // Not a protobuf message at all, and a truncated one.
    assertThat(code(() -> call(raw, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff})))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    byte[] valid =
        lookup("driver_hourly_stats:conv_rate")
            .putEntities("driver_id", ids(1001))
            .build()
            .toByteArray();
    assertThat(code(() -> call(raw, java.util.Arrays.copyOf(valid, valid.length - 3))))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(code(() -> call(rawPush, new byte[] {0x0a, 0x7f, 0x01})))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);

    // Unknown feature, view and feature service.
    assertThat(
            code(
                () ->
                    get(
                        lookup("driver_hourly_stats:no_such_feature")
                            .putEntities("driver_id", ids(1001))
                            .build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(code(() -> get(lookup("no_view:x").putEntities("driver_id", ids(1001)).build())))
        .isEqualTo(Status.Code.NOT_FOUND);
    assertThat(
            code(
                () ->
                    get(
                        GetOnlineFeaturesRequest.newBuilder()
                            .setFeatureService("no_service")
                            .putEntities("driver_id", ids(1001))
                            .build())))
        .isEqualTo(Status.Code.NOT_FOUND);

    // Too many entities, and too many features.
    long[] many = new long[101];
    assertThat(
            code(
                () ->
                    get(
                        lookup("driver_hourly_stats:conv_rate")
                            .putEntities("driver_id", ids(many))
                            .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    String[] features = new String[21];
    java.util.Arrays.fill(features, "driver_hourly_stats:conv_rate");
    assertThat(code(() -> get(lookup(features).putEntities("driver_id", ids(1001)).build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);

    // A missing join key: none known, and the view's own missing beside another's.
    assertThat(
            code(
                () ->
                    get(
                        lookup("driver_hourly_stats:conv_rate")
                            .putEntities("no_such_key", ids(1))
                            .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(oneEntity("customer_id", Value.newBuilder().setStringVal("c-001").build()))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    // An entity value of a type that does not convert, and a null one.
    assertThat(oneEntity("driver_id", Value.newBuilder().setStringVal("1001").build()))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(oneEntity("driver_id", Value.getDefaultInstance()))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);

    // Larger than the largest message the server takes.
    assertThat(
            code(
                () ->
                    get(
                        lookup("driver_hourly_stats:conv_rate")
                            .putEntities("driver_id", ids(1001))
                            .putRequestContext(
                                "padding",
                                RepeatedValue.newBuilder()
                                    .addVal(
                                        Value.newBuilder()
                                            .setBytesVal(ByteString.copyFrom(new byte[MAX_BYTES])))
                                    .build())
                            .build())))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    // Writes that must not land: an unknown push source, both maps, a value that does not convert,
    // an unknown view, an offline-only push.
    PushRequest.Builder push =
        PushRequest.newBuilder()
            .setStreamFeatureView("driver_stats_push")
            .putFeatures("driver_id", "2001")
            .putFeatures("conv_rate", "0.75")
            .putFeatures("event_timestamp", "2026-11-21T08:00:00+00:00");
    assertThat(
            code(
                () ->
                    call(
                        FeastGrpcMethods.Client.PUSH,
                        push.clone().setStreamFeatureView("no_source").build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    call(
                        FeastGrpcMethods.Client.PUSH,
                        push.clone()
                            .putTypedFeatures("rank", Value.newBuilder().setInt64Val(1).build())
                            .build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    call(
                        FeastGrpcMethods.Client.PUSH,
                        push.clone().putFeatures("conv_rate", "fast").build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(() -> call(FeastGrpcMethods.Client.PUSH, push.clone().setTo("offline").build())))
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(
            code(
                () ->
                    call(
                        FeastGrpcMethods.Client.WRITE_TO_ONLINE_STORE,
                        WriteToOnlineStoreRequest.newBuilder()
                            .setFeatureViewName("no_view")
                            .putFeatures("driver_id", "1")
                            .build())))
        .isEqualTo(Status.Code.NOT_FOUND);

    // Still serving, and Redis unchanged.
    GetOnlineFeaturesRequest ok =
        lookup("driver_hourly_stats:conv_rate").putEntities("driver_id", ids(1001)).build();
    assertThat(
            call(FeastGrpcMethods.Client.getOnlineFeatures(FeastGrpcMethods.FEATURE_SERVER), ok)
                .getResultsCount())
        .isEqualTo(2);
    assertThat(snapshot()).isEqualTo(before);
  }

  /** Every key's fields and values, hex-encoded. */
  private static Map<String, Map<String, String>> snapshot() {
    HexFormat hex = HexFormat.of();
    return redis
        .get()
        .withBinary(
            c -> {
              Map<String, Map<String, String>> out = new TreeMap<>();
              for (ScanIterator<byte[]> it = ScanIterator.scan(c); it.hasNext(); ) {
                byte[] key = it.next();
                Map<String, String> fields = new TreeMap<>();
                c.hgetall(key).forEach((f, v) -> fields.put(hex.formatHex(f), hex.formatHex(v)));
                out.put(hex.formatHex(key), fields);
              }
              return out;
            });
  }

  /** The code of a lookup of conv_rate for one entity row: {@code joinKey} = {@code value}. */
  private Status.Code oneEntity(String joinKey, Value value) {
    return code(
        () ->
            get(
                lookup("driver_hourly_stats:conv_rate")
                    .putEntities(joinKey, RepeatedValue.newBuilder().addVal(value).build())
                    .build()));
  }
}
