package io.inferis.server.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.redis.RedisConnector;
import io.inferis.registry.FeastRepoConfig;
import io.inferis.registry.GoldenRedis;
import io.inferis.registry.RealFeast;
import io.inferis.registry.RefreshingRegistry;
import io.inferis.registry.RegistrySource;
import io.inferis.server.grpc.proto.FeatureList;
import io.inferis.server.grpc.proto.GetOnlineFeaturesRequest;
import io.inferis.server.grpc.proto.RepeatedValue;
import io.inferis.server.grpc.proto.Value;
import io.inferis.testing.RedisNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * The real Feast repository served over gRPC from a Redis holding the bytes Feast wrote: its
 * registry, a store on the Redis, a started {@link FeastGrpcServer} and a plaintext channel to it.
 */
final class GoldenGrpc implements AutoCloseable {

  /** Driver 1001's {@code conv_rate}: a feature the Feast repository and the demo both define. */
  static final GetOnlineFeaturesRequest ONE_DRIVER =
      GetOnlineFeaturesRequest.newBuilder()
          .setFeatures(FeatureList.newBuilder().addVal("driver_hourly_stats:conv_rate"))
          .putEntities(
              "driver_id",
              RepeatedValue.newBuilder().addVal(Value.newBuilder().setInt64Val(1001)).build())
          .build();

  final RefreshingRegistry registry;
  final RedisConnector connector;
  final FeatureStore store;
  final FeastGrpcServer server;
  final ManagedChannel channel;

  /**
   * Loads Feast's bytes into {@code redis}, copies the repository into {@code tmp} and serves it;
   * {@code server} and {@code channel} finish their builders.
   */
  GoldenGrpc(
      RedisNode redis,
      Path tmp,
      UnaryOperator<FeastGrpcServer.Builder> server,
      UnaryOperator<ManagedChannelBuilder<?>> channel) {
    GoldenRedis.load(redis);
    Path repo = RealFeast.copyRepo(tmp);
    FeastRepoConfig config = FeastRepoConfig.load(repo, repo.resolve(FeastRepoConfig.DEFAULT_FILE));
    this.registry =
        RefreshingRegistry.start(
            RegistrySource.of(config), Duration.ZERO, InstantSource.system(), null, null);
    this.connector = RedisConnector.connect(redis.uri());
    this.store =
        FeatureStores.redis(() -> registry.get().repo(), connector, FeatureStoreOptions.defaults());
    // On the connector's loops, as `inferis serve` runs it.
    this.server =
        server
            .apply(FeastGrpcServer.builder(store).feastRegistry(registry).serveOnLoopsOf(connector))
            .build();
    int port = this.server.start("127.0.0.1", 0);
    this.channel =
        channel.apply(ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext()).build();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close(Duration.ofSeconds(5));
    store.close();
    connector.close();
    registry.close();
  }
}
