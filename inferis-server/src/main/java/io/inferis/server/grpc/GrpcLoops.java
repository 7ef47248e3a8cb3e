package io.inferis.server.grpc;

import io.grpc.netty.NettyServerBuilder;
import io.inferis.redis.NetTransport;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.ServerLoops;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.ServerChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The gRPC server's event loops, chosen here instead of by grpc-java (whose default is two loops
 * per core, shared by every server in the JVM, and apart from the Redis connector's): the HTTP
 * server's Vert.x loops where each has a Redis connector of its own ({@link #of(Vertx)}), else the
 * Redis connector's own loops where the store has one ({@link RedisConnector#serverLoops()}: a call
 * is answered on the thread that read its Redis reply), else loops of its own on the process's
 * transport ({@link NetTransport}), as many as the HTTP server's. Each loop is registered with the
 * connector so that the lookups its calls make in one turn leave with one write per connection
 * ({@link RedisConnector#batchPerLoopTurn}) rather than one each. The second class outside {@code
 * io.inferis.redis} that touches Netty (the architecture test names both): grpc-java takes its
 * loops as Netty types.
 */
final class GrpcLoops implements AutoCloseable {

  private final EventLoopGroup group;
  private final ChannelFactory<? extends ServerChannel> channels;
  private final boolean owned;

  private GrpcLoops(
      EventLoopGroup group, ChannelFactory<? extends ServerChannel> channels, boolean owned) {
    this.group = group;
    this.channels = channels;
    this.owned = owned;
  }

  /** Registers every loop for per-turn batching (not needed on loops already registered). */
  private GrpcLoops batchingPerTurn() {
    for (EventExecutor loop : group) {
      // A task a loop submits to itself runs after the I/O of the turn that submitted it.
      loop.execute(() -> RedisConnector.batchPerLoopTurn(loop));
    }
    return this;
  }

  /**
   * {@code vertx}'s event loops: an HTTP server's, whose loops registered for per-turn batching as
   * they started, and whose store has a Redis connector on each loop ({@code
   * FeatureHttpServer.Builder.redisPerLoop}). Vert.x owns them.
   */
  static GrpcLoops of(Vertx vertx) {
    VertxInternal v = (VertxInternal) vertx;
    // The server channel of Vert.x's transport (io_uring, epoll or NIO), as its HTTP server uses.
    return new GrpcLoops(v.nettyEventLoopGroup(), v.transport().serverChannelFactory(false), false);
  }

  /** {@code connector}'s loops if it offers them, else {@code loops} of the server's own. */
  static GrpcLoops of(@Nullable RedisConnector connector, int loops) {
    Optional<ServerLoops> shared = connector == null ? Optional.empty() : connector.serverLoops();
    if (shared.isPresent()) {
      ServerLoops theirs = shared.get();
      return new GrpcLoops(
              theirs.group(), new ReflectiveChannelFactory<>(theirs.channelType()), false)
          .batchingPerTurn();
    }
    NetTransport transport = NetTransport.ofConnections();
    return new GrpcLoops(
            new MultiThreadIoEventLoopGroup(
                loops, new DefaultThreadFactory("inferis-grpc", true), transport.ioHandlers()),
            new ReflectiveChannelFactory<>(transport.serverChannel()),
            true)
        .batchingPerTurn();
  }

  /** Accepts and serves {@code builder}'s connections on these loops. */
  NettyServerBuilder serve(NettyServerBuilder builder) {
    return builder.bossEventLoopGroup(group).workerEventLoopGroup(group).channelFactory(channels);
  }

  /** Stops the loops if they are the server's own; call once the server has terminated. */
  @Override
  public void close() {
    if (owned) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }
  }
}
