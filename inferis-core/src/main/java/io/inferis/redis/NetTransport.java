package io.inferis.redis;

import io.inferis.redis.internal.RedisBackends;

/**
 * The network transport of a process's Redis connections: Linux's io_uring, epoll, or Java's NIO
 * (everywhere). One per process, chosen at the first connection: epoll (NIO where there is none)
 * unless {@link #use} chose before; io_uring, which needs Netty's native io_uring library on the
 * class path (the server ships it), only when chosen. A server that runs its connections on its own
 * event loops ({@link RedisOptions.Builder#eventLoop}) runs those loops on this transport.
 */
public enum NetTransport {
  IO_URING,
  EPOLL,
  NIO;

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
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
