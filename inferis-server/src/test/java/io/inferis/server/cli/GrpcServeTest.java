package io.inferis.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import io.inferis.registry.GoldenRedis;
import io.inferis.registry.RealFeast;
import io.inferis.server.grpc.FeastGrpcMethods;
import io.inferis.server.grpc.proto.GetOnlineFeaturesRequest;
import io.inferis.server.grpc.proto.GetOnlineFeaturesResponse;
import io.inferis.testing.JavaProcess;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code inferis serve --feast-repo --grpc-port} in its own JVM: Feast's gRPC services answer as
 * Feast does behind the bearer token, health answers without it, reflection lists the services, and
 * SIGTERM under gRPC load lets every accepted call finish.
 */
class GrpcServeTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  private static final String TOKEN = "grpc-test-token-0123456789";

  @TempDir Path tmp;

  @Test
  void feastRepoOverGrpc_authHealthReflection_andSigtermDrains() throws Exception {
    GoldenRedis.load(redis.get());
    Path repo = RealFeast.copyRepo(tmp);
    Path token = tmp.resolve("token");
    Files.writeString(token, TOKEN + "\n");
    Path models = Files.createDirectories(tmp.resolve("models"));
    Files.writeString(
        models.resolve("driver-risk.json"),
        "{\"name\": \"driver-risk\", \"type\": \"logistic\", \"bias\": -0.5, \"weights\":"
            + " {\"driver_hourly_stats:conv_rate\": -2.0, \"driver_hourly_stats:acc_rate\": -1.5},"
            + " \"classes\": [\"low\", \"high\"]}");
    JavaProcess server =
        JavaProcess.start(
            Map.of("FEAST_REDIS_PORT", Integer.toString(redis.get().port())),
            Main.class,
            ServeBanner.serveOnFreePorts(
                "--feast-repo",
                repo.toString(),
                "--auth-token-file",
                token.toString(),
                "--models",
                models.toString(),
                "--event-loops",
                "2"));
    ManagedChannel channel = null;
    try {
      String base =
          ServeBanner.baseUrl(server.awaitLine(ServeBanner.PREFIX, Duration.ofSeconds(60)));
      int port =
          ServeBanner.grpcPort(server.awaitLine(ServeBanner.GRPC_PREFIX, Duration.ofSeconds(10)));
      channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      GetOnlineFeaturesRequest request =
          GetOnlineFeaturesRequest.parseFrom(
              RealFeast.bytes("golden/grpc/00_single_entity.request.pb"));
      GetOnlineFeaturesResponse golden =
          GetOnlineFeaturesResponse.parseFrom(
              RealFeast.bytes("golden/grpc/00_single_entity.response.pb"));
      ManagedChannel c = channel;

      assertThatThrownBy(() -> lookup(c, CallOptions.DEFAULT, request))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
      GetOnlineFeaturesResponse answer = lookup(c, withToken(), request);
      assertThat(answer.getMetadata().getFeatureNames().getValList())
          .containsExactlyInAnyOrderElementsOf(golden.getMetadata().getFeatureNames().getValList());

      HealthCheckResponse health =
          HealthGrpc.newBlockingStub(channel)
              .withDeadlineAfter(5, TimeUnit.SECONDS)
              .check(HealthCheckRequest.newBuilder().setService("GrpcFeatureServer").build());
      assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);

      java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
      http.send(
          java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/health")).build(),
          java.net.http.HttpResponse.BodyHandlers.discarding());
      for (String[] call :
          new String[][] {
            {"/infer/driver-risk", "{\"entities\": {\"driver_id\": [1001]}}"},
            {
              "/get-online-features",
              new String(
                  RealFeast.bytes("golden/http/01_single_entity.request.json"),
                  java.nio.charset.StandardCharsets.UTF_8)
            }
          }) {
        assertThat(
                http.send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + call[0]))
                            .header("Authorization", "Bearer " + TOKEN)
                            .POST(java.net.http.HttpRequest.BodyPublishers.ofString(call[1]))
                            .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                    .statusCode())
            .as(call[0])
            .isEqualTo(200);
      }
      String metrics =
          http.send(
                  java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/metrics"))
                      .header("Authorization", "Bearer " + TOKEN)
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString())
              .body();
      // The golden rows were written with event times in the past: their age is positive.
      java.util.regex.Matcher fresh =
          java.util.regex.Pattern.compile(
                  "feast_feature_freshness_seconds\\{feature_view=\"([a-z_]+)\"} ([0-9.E]+)")
              .matcher(metrics);
      assertThat(fresh.find()).as(metrics).isTrue();
      assertThat(Double.parseDouble(fresh.group(2))).isPositive();
      // Every metric the shipped alert rules and Grafana dashboard name is exported.
      assertThat(DeployFiles.metricNames(DeployFiles.ALERTS))
          .isNotEmpty()
          .allSatisfy(name -> assertThat(metrics).contains("\n" + name));
      assertThat(DeployFiles.metricNames(DeployFiles.GRAFANA))
          .hasSizeGreaterThan(20)
          .allSatisfy(name -> assertThat(metrics).contains("\n" + name));
      assertThat(metrics)
          .contains(
              "inferis_grpc_requests_seconds_bucket{code=\"OK\","
                  + "method=\"GrpcFeatureServer/GetOnlineFeatures\",le=\"0.002\"}")
          .contains("code=\"UNAUTHENTICATED\"")
          // Lookups by outcome, Redis commands and connections per node.
          .contains("inferis_features_lookups_seconds_bucket{outcome=\"ok\",le=\"0.001\"}")
          .contains(
              "inferis_redis_commands_seconds_bucket{command=\"HMGET\",node=\"127.0.0.1:"
                  + redis.get().port()
                  + "\",le=\"0.001\"}")
          // The shared connection and one per HTTP event loop, on one gauge.
          .contains("inferis_redis_connections{node=\"127.0.0.1:" + redis.get().port() + "\"} 3.0");

      assertThat(services(channel))
          .contains(
              "feast.serving.ServingService",
              "GrpcFeatureServer",
              "grpc.health.v1.Health",
              "grpc.reflection.v1.ServerReflection");

      abandonCalls(port, request);
      drainsUnderLoad(server, channel, request);
      // A client that goes away with calls in flight is routine (a model server scaled in): the
      // server answers into closed streams, which grpc-java reports as a warning with a stack
      // trace per stream. Its log goes through inferis's logging, without those.
      assertThat(server.transcript())
          .doesNotContain("Stream Error")
          .doesNotContain("Stream closed before write could take place");
    } finally {
      if (channel != null) {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
      server.kill();
    }
  }

  private static void drainsUnderLoad(
      JavaProcess server, ManagedChannel channel, GetOnlineFeaturesRequest request)
      throws Exception {
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicLong answered = new AtomicLong();
    ConcurrentLinkedQueue<String> lost = new ConcurrentLinkedQueue<>();
    List<Thread> load = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      Thread th =
          new Thread(
              () -> {
                while (running.get()) {
                  try {
                    lookup(channel, withToken(), request);
                    answered.incrementAndGet();
                  } catch (StatusRuntimeException e) {
                    // UNAVAILABLE: not accepted, the server is shutting down or gone.
                    if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
                      lost.add(e.getStatus().toString());
                    }
                  }
                }
              });
      th.start();
      load.add(th);
    }
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() > 200);
    int exit = server.terminate(Duration.ofSeconds(30));
    running.set(false);
    for (Thread th : load) {
      th.join(10_000);
    }
    assertThat(exit).as("exit code after SIGTERM").isIn(0, 143);
    assertThat(lost).as("calls answered with an error other than UNAVAILABLE").isEmpty();
  }

  /**
   * Starts a burst of lookups on a channel of its own and closes the channel as soon as the first
   * is answered, with the rest in flight.
   */
  private static void abandonCalls(int port, GetOnlineFeaturesRequest request) throws Exception {
    ManagedChannel channel =
        ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
    try {
      List<ListenableFuture<GetOnlineFeaturesResponse>> calls = new ArrayList<>();
      for (int i = 0; i < 500; i++) {
        calls.add(
            ClientCalls.futureUnaryCall(
                channel.newCall(
                    FeastGrpcMethods.Client.getOnlineFeatures(FeastGrpcMethods.FEATURE_SERVER),
                    withToken().withDeadlineAfter(10, TimeUnit.SECONDS)),
                request));
      }
      calls.get(0).get(10, TimeUnit.SECONDS);
      assertThat(calls.stream().filter(c -> !c.isDone()).count())
          .as("calls still in flight when the client goes")
          .isPositive();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  /** The bearer token as call credentials (plaintext is fine: the test talks to loopback). */
  private static final CallCredentials TOKEN_CREDENTIALS =
      new CallCredentials() {
        @Override
        public void applyRequestMetadata(
            RequestInfo info, Executor executor, MetadataApplier applier) {
          Metadata m = new Metadata();
          m.put(
              Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
              "Bearer " + TOKEN);
          applier.apply(m);
        }
      };

  private static CallOptions withToken() {
    return CallOptions.DEFAULT.withCallCredentials(TOKEN_CREDENTIALS);
  }

  private static GetOnlineFeaturesResponse lookup(
      ManagedChannel channel, CallOptions options, GetOnlineFeaturesRequest request) {
    return ClientCalls.blockingUnaryCall(
        channel,
        FeastGrpcMethods.Client.getOnlineFeatures(FeastGrpcMethods.FEATURE_SERVER),
        options.withDeadlineAfter(10, TimeUnit.SECONDS),
        request);
  }

  /** The services reflection lists. */
  private static List<String> services(ManagedChannel channel) throws Exception {
    CompletableFuture<List<String>> names = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .withCallCredentials(TOKEN_CREDENTIALS)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse r) {
                    names.complete(
                        r.getListServicesResponse().getServiceList().stream()
                            .map(ServiceResponse::getName)
                            .toList());
                  }

                  @Override
                  public void onError(Throwable t) {
                    names.completeExceptionally(t);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> out = names.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    return out;
  }
}
