package io.inferis.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.inferis.server.ServerOptions;
import io.inferis.server.grpc.proto.GetOnlineFeaturesRequest;
import io.inferis.server.grpc.proto.GetOnlineFeaturesResponse;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inferis_grpc_requests} counts each call once, under the code it ended with: a call whose
 * client went away is {@code CANCELLED}, not the code its lookup ended with later; a call whose
 * deadline passed is {@code DEADLINE_EXCEEDED}.
 */
class GrpcMetricsTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  @TempDir Path tmp;

  private static final GetOnlineFeaturesRequest LOOKUP = GoldenGrpc.ONE_DRIVER;

  private static final MethodDescriptor<GetOnlineFeaturesRequest, GetOnlineFeaturesResponse>
      METHOD = FeastGrpcMethods.Client.getOnlineFeatures(FeastGrpcMethods.FEATURE_SERVER);

  @Test
  void aCallItsClientCancels_isCountedCancelled_once() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (GoldenGrpc golden =
        new GoldenGrpc(
            redis.get(),
            tmp,
            b ->
                b.metrics(meters).options(ServerOptions.builder().maxConcurrentRequests(1).build()),
            c -> c)) {
      // Redis stopped: the lookup waits for it, and the client gives up first.
      redis.get().pause();
      try {
        ClientCall<GetOnlineFeaturesRequest, GetOnlineFeaturesResponse> call =
            golden.channel.newCall(METHOD, CallOptions.DEFAULT);
        var answer = ClientCalls.futureUnaryCall(call, LOOKUP);
        // The server holds it once a second call finds its one slot taken.
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> code(golden, Duration.ofSeconds(5)) == Status.Code.RESOURCE_EXHAUSTED);
        call.cancel("the model server scaled in", null);
        assertThat(answer).failsWithin(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> codes(meters).containsKey("CANCELLED"));
      } finally {
        redis.get().resume();
      }
      // The cancelled call's lookup ends (at the store's deadline) before this one can start.
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> code(golden, Duration.ofSeconds(5)) == Status.Code.OK);
      Map<String, Long> codes = codes(meters);
      assertThat(codes).containsEntry("CANCELLED", 1L).containsEntry("OK", 1L);
      assertThat(codes.keySet()).containsOnly("CANCELLED", "OK", "RESOURCE_EXHAUSTED");
    }
  }

  @Test
  void aCallWhoseDeadlinePasses_isCountedDeadlineExceeded_once() throws Exception {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    try (GoldenGrpc golden = new GoldenGrpc(redis.get(), tmp, b -> b.metrics(meters), c -> c)) {
      redis.get().pause();
      try {
        assertThat(code(golden, Duration.ofMillis(500))).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(() -> assertThat(codes(meters)).containsKey("DEADLINE_EXCEEDED"));
      } finally {
        redis.get().resume();
      }
      assertThat(code(golden, Duration.ofSeconds(10))).isEqualTo(Status.Code.OK);
      assertThat(codes(meters)).isEqualTo(Map.of("DEADLINE_EXCEEDED", 1L, "OK", 1L));
    }
  }

  /** The code a lookup with {@code deadline} ends with. */
  private static Status.Code code(GoldenGrpc golden, Duration deadline) {
    try {
      ClientCalls.blockingUnaryCall(
          golden.channel,
          METHOD,
          CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS),
          LOOKUP);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  /** Calls counted per code. */
  private static Map<String, Long> codes(SimpleMeterRegistry meters) {
    Map<String, Long> out = new TreeMap<>();
    for (Timer t : meters.find("inferis.grpc.requests").timers()) {
      out.merge(t.getId().getTag("code"), t.count(), Long::sum);
    }
    return out;
  }
}
