package io.inferis.server.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.inferis.feast.FeatureValue;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.server.Demo;
import io.inferis.server.ServerOptions;
import io.inferis.testing.RedisNode;
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

  private static long loopThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("inferis-grpc-"))
        .count();
  }
}
