package io.inferis.redis;

import io.inferis.redis.internal.RedisBackends;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import io.netty.channel.uring.IoUringSocketChannel;
import java.util.Locale;

/**
 * The network transport of a process's Redis connections: Linux's io_uring, epoll, or Java's NIO
 * (everywhere). One per process, chosen at the first connection: the best available (io_uring, then
 * epoll, then NIO; io_uring needs Netty's native io_uring library on the class path, which the
 * server ships) unless {@link #use} chose before. A server that runs its connections on its own
 * event loops ({@link RedisOptions.Builder#eventLoop}) runs those loops on this transport.
 */
public enum NetTransport {
  IO_URING(IoUringIoHandler.class, IoUringSocketChannel.class, IoUringServerSocketChannel.class),
  EPOLL(EpollIoHandler.class, EpollSocketChannel.class, EpollServerSocketChannel.class),
  NIO(NioIoHandler.class, NioSocketChannel.class, NioServerSocketChannel.class);

  private final Class<? extends IoHandler> ioHandler;
  private final Class<? extends SocketChannel> socketChannel;
  private final Class<? extends ServerChannel> serverChannel;

  NetTransport(
      Class<? extends IoHandler> ioHandler,
      Class<? extends SocketChannel> socketChannel,
      Class<? extends ServerChannel> serverChannel) {
    this.ioHandler = ioHandler;
    this.socketChannel = socketChannel;
    this.serverChannel = serverChannel;
  }

  /** The transport this process's Redis connections use; fixes it if none was chosen yet. */
  public static NetTransport ofConnections() {
    return RedisBackends.transport();
  }

  /**
   * Makes this process's Redis connections use {@code transport}; call before the first connection
   * (or {@link #ofConnections()}).
   *
   * @throws IllegalStateException if {@code transport} is not available here (the message says
   *     why), or connections already use another
   */
  public static void use(NetTransport transport) {
    RedisBackends.useTransport(transport);
  }

  /** The name users write: {@code io_uring}, {@code epoll}, {@code nio}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The Netty I/O handler type of this transport's event loops. */
  public Class<? extends IoHandler> ioHandler() {
    return ioHandler;
  }

  /** Makes the I/O handlers of event loops on this transport. */
  public IoHandlerFactory ioHandlers() {
    return switch (this) {
      case IO_URING -> IoUringIoHandler.newFactory();
      case EPOLL -> EpollIoHandler.newFactory();
      case NIO -> NioIoHandler.newFactory();
    };
  }

  /** The client socket channel that runs on this transport's loops. */
  public Class<? extends SocketChannel> socketChannel() {
    return socketChannel;
  }

  /** The server socket channel that runs on this transport's loops. */
  public Class<? extends ServerChannel> serverChannel() {
    return serverChannel;
  }
}
