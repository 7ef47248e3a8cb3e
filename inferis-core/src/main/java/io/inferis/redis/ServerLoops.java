package io.inferis.redis;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import java.util.Objects;

/**
 * A connector's event loops, offered to a Netty-based server ({@link
 * RedisConnector#serverLoops()}): the group, and the server channel type that runs on it.
 *
 * @param group the connector's loops; they stop when the connector closes
 * @param channelType the server socket channel of the loops' transport (io_uring, epoll or NIO)
 */
public record ServerLoops(EventLoopGroup group, Class<? extends ServerChannel> channelType) {

  public ServerLoops {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(channelType, "channelType");
  }
}
