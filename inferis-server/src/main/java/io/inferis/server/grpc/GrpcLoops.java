package io.inferis.server.grpc;

import io.grpc.netty.NettyServerBuilder;
import io.inferis.redis.RedisConnector;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The gRPC server's event loops, made here instead of by grpc-java (whose default is two loops per
 * core, shared by every server in the JVM): as many as the HTTP server's, native epoll where there
 * is one, and each registered with the Redis connector so that the lookups its calls make in one
 * loop turn leave with one write per connection ({@link RedisConnector#batchPerLoopTurn}) rather
 * than one each. The second class outside {@code io.inferis.redis} that touches Netty (the
 * architecture test names both): grpc-java takes its loops as Netty types.
 */
final class GrpcLoops implements AutoCloseable {

  private final EventLoopGroup group;
  private final Class<? extends ServerChannel> channelType;

  GrpcLoops(int loops) {
    boolean epoll = Epoll.isAvailable();
    this.group =
        new MultiThreadIoEventLoopGroup(
            loops,
            new DefaultThreadFactory("inferis-grpc", true),
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    for (EventExecutor loop : group) {
      // A task a loop submits to itself runs after the I/O of the turn that submitted it.
      loop.execute(() -> RedisConnector.batchPerLoopTurn(loop));
    }
  }

  /** Accepts and serves {@code builder}'s connections on these loops. */
  NettyServerBuilder serve(NettyServerBuilder builder) {
    return builder.bossEventLoopGroup(group).workerEventLoopGroup(group).channelType(channelType);
  }

  /** Stops the loops; call once the server has terminated. */
  @Override
  public void close() {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
