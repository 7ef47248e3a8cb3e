package io.inferis.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ClientCalls;
import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.server.Demo;
import io.inferis.server.FeatureHttpServer;
import io.inferis.server.ServerOptions;
import io.inferis.server.grpc.proto.GetOnlineFeaturesRequest;
import io.inferis.testing.RedisNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The gRPC server runs on loops of its own, as many as asked, and stops them when it closes or
 * cannot start.
 */
class GrpcLoopsTest {

  @Test
  void theServersLoops_areAsManyAsAsked_andStopWithIt() throws Exception {
    try (FeatureStore store = FeatureStores.memory(Demo.repo())) {
      FeastGrpcServer server =
          FeastGrpcServer.builder(store)
              .options(ServerOptions.defaults().toBuilder().eventLoops(3).build())
              .build();
      int port = server.start("127.0.0.1", 0);
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        HealthCheckResponse health =
            HealthGrpc.newBlockingStub(channel)
                .withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance());
        assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(loopThreads()).isEqualTo(3);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close(Duration.ofSeconds(5));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> loopThreads() == 0);
    }
  }

  @Test
  void aPortInUse_failsTheStart_andLeavesNoLoops() throws Exception {
    try (FeatureStore store = FeatureStores.memory(Demo.repo());
        ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      FeastGrpcServer server =
          FeastGrpcServer.builder(store)
              .options(ServerOptions.defaults().toBuilder().eventLoops(3).build())
              .build();
      assertThatThrownBy(() -> server.start("127.0.0.1", taken.getLocalPort()))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot listen for gRPC");
      await().atMost(Duration.ofSeconds(10)).until(() -> loopThreads() == 0);
    }
  }

  @Test
  void onTheConnectorsLoops_theServerStartsNone_andLeavesThemRunning() throws Exception {
    try (RedisNode redis = RedisNode.start("grpc-loops");
        RedisConnector connector = RedisConnector.connect(redis.uri());
        FeatureStore store = FeatureStores.redis(Demo.repo(), connector)) {
      assertThat(connector.serverLoops()).isPresent();
      FeastGrpcServer server = FeastGrpcServer.builder(store).serveOnLoopsOf(connector).build();
      int port = server.start("127.0.0.1", 0);
      ManagedChannel channel =
          ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
      try {
        assertThat(
                HealthGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance())
                    .getStatus())
            .isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(loopThreads()).isZero();
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close(Duration.ofSeconds(5));
      }
      // The connector's loops still carry its commands.
      assertThat(connector.serverLoops().orElseThrow().group().isShuttingDown()).isFalse();
      assertThat(
              store
                  .getOnlineFeatures(
                      List.of("driver_hourly_stats:conv_rate"),
                      List.of(Map.of("driver_id", FeatureValue.ofInt64(1))))
                  .get(10, TimeUnit.SECONDS)
                  .rowCount())
          .isEqualTo(1);
    }
  }

  /**
   * On the HTTP server's Vert.x loops, through its store: every call is looked up by a loop's own
   * connector (none by the shared store), the server starts no loops, and the loops run on after it
   * closes.
   */
  @Test
  void onTheHttpServersLoops_callsUseTheLoopsOwnConnectors_andTheLoopsRunOn() throws Exception {
    SimpleMeterRegistry sharedLookups = new SimpleMeterRegistry();
    SimpleMeterRegistry loopLookups = new SimpleMeterRegistry();
    ServerOptions twoLoops = ServerOptions.defaults().toBuilder().eventLoops(2).build();
    Vertx vertx = FeatureHttpServer.newVertx(twoLoops);
    try (RedisNode redis = RedisNode.start("grpc-vertx-loops");
        RedisConnector connector = RedisConnector.connect(redis.uri());
        FeatureStore store =
            FeatureStores.redis(
                Demo.repo(),
                connector,
                FeatureStoreOptions.builder().meterRegistry(sharedLookups).build())) {
      FeatureHttpServer http =
          FeatureHttpServer.builder(vertx, store)
              .options(twoLoops)
              .redisPerLoop(
                  redis.uri(),
                  RedisOptions.defaults(),
                  c ->
                      FeatureStores.redis(
                          Demo.repo(),
                          c,
                          FeatureStoreOptions.builder().meterRegistry(loopLookups).build()))
              .build();
      http.start("127.0.0.1", 0);
      FeastGrpcServer server =
          FeastGrpcServer.builder(http.store()).serveOnVertxLoops(vertx).build();
      int port = server.start("127.0.0.1", 0);
      try {
        for (int i = 0; i < 10; i++) {
          // A channel of its own each time: a new connection, given to the loops in turn.
          ManagedChannel channel =
              ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
          try {
            assertThat(
                    ClientCalls.blockingUnaryCall(
                            channel,
                            FeastGrpcMethods.Client.getOnlineFeatures(
                                FeastGrpcMethods.FEATURE_SERVER),
                            CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS),
                            LOOKUP)
                        .getResultsCount())
                .isEqualTo(2);
          } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
          }
        }
        assertThat(loopThreads()).isZero();
        assertThat(lookups(loopLookups)).isEqualTo(10);
        assertThat(lookups(sharedLookups)).as("none on the shared connector").isZero();
      } finally {
        server.close(Duration.ofSeconds(5));
        http.close(Duration.ofSeconds(5));
      }
      io.vertx.core.Promise<String> ran = io.vertx.core.Promise.promise();
      vertx.getOrCreateContext().runOnContext(v -> ran.complete("the loops still run"));
      assertThat(ran.future().await()).isEqualTo("the loops still run");
    } finally {
      vertx.close().await();
    }
  }

  private static final GetOnlineFeaturesRequest LOOKUP = GoldenGrpc.ONE_DRIVER;

  /** Lookups a store with meters on {@code registry} has made. */
  private static long lookups(SimpleMeterRegistry registry) {
    return registry.find("inferis.features.lookups").timers().stream()
        .mapToLong(io.micrometer.core.instrument.Timer::count)
        .sum();
  }

  private static long loopThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("inferis-grpc-"))
        .count();
  }
}
