package io.inferis.redis.internal;

import io.inferis.redis.NetTransport;
import io.lettuce.core.resource.Transports;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.uring.IoUring;
import org.jspecify.annotations.Nullable;

/**
 * Which transport Lettuce's connections use. Lettuce picks one per process, once, from two system
 * properties it reads when it first connects (epoll before io_uring before NIO); a connection on a
 * borrowed loop must use that loop's transport, so the process's one choice is made here: the best
 * available unless {@link #use} chose another or the user set Lettuce's switches, never Lettuce's
 * epoll-first default (which also warns on every connection when io_uring is present too).
 */
final class ConnectionTransport {

  private static final String EPOLL_PROPERTY = "io.lettuce.core.epoll";
  private static final String IO_URING_PROPERTY = "io.lettuce.core.iouring";

  private static @Nullable NetTransport fixed;

  private ConnectionTransport() {}

  /** The transport connections use, fixed now if it was not yet. */
  static synchronized NetTransport current() {
    if (fixed == null) {
      if (System.getProperty(EPOLL_PROPERTY) == null
          && System.getProperty(IO_URING_PROPERTY) == null) {
        prefer(IoUring.isAvailable() ? NetTransport.IO_URING : NetTransport.EPOLL);
      }
      fixed = of(Transports.socketChannelClass());
    }
    return fixed;
  }

  /** Makes connections use {@code wanted}; see {@link NetTransport#use}. */
  static synchronized void use(NetTransport wanted) {
    if (fixed == null) {
      @Nullable Throwable unavailable =
          switch (wanted) {
            case IO_URING -> IoUring.unavailabilityCause();
            case EPOLL -> Epoll.unavailabilityCause();
            case NIO -> null;
          };
      if (unavailable != null) {
        throw new IllegalStateException(
            wanted.label() + " is not available here: " + unavailable.getMessage(), unavailable);
      }
      prefer(wanted);
    }
    NetTransport now = current();
    if (now != wanted) {
      throw new IllegalStateException(
          "Redis connections already use "
              + now.label()
              + "; choose the transport before the first connection");
    }
  }

  /** Sets Lettuce's switches so that it picks {@code t} (when available). */
  private static void prefer(NetTransport t) {
    System.setProperty(EPOLL_PROPERTY, Boolean.toString(t == NetTransport.EPOLL));
    System.setProperty(IO_URING_PROPERTY, Boolean.toString(t == NetTransport.IO_URING));
  }

  private static NetTransport of(Class<? extends Channel> socket) {
    for (NetTransport t : NetTransport.values()) {
      if (t.socketChannel() == socket) {
        return t;
      }
    }
    return NetTransport.NIO;
  }
}
