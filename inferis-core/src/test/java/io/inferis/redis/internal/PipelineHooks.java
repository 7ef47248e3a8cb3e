package io.inferis.redis.internal;

import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Pipeline hooks for {@link LettuceConnector#connect(String, io.inferis.redis.RedisOptions,
 * UnaryOperator)}: something done to each new connection's pipeline around the connector's own.
 */
final class PipelineHooks {

  private PipelineHooks() {}

  /** The connector's own pipeline setup, then {@code then} on the channel. */
  static UnaryOperator<NettyCustomizer> after(Consumer<Channel> then) {
    return around(channel -> {}, then);
  }

  /** {@code first} on the channel, then the connector's own pipeline setup. */
  static UnaryOperator<NettyCustomizer> before(Consumer<Channel> first) {
    return around(first, channel -> {});
  }

  private static UnaryOperator<NettyCustomizer> around(
      Consumer<Channel> first, Consumer<Channel> then) {
    return inner ->
        new NettyCustomizer() {
          @Override
          public void afterBootstrapInitialized(Bootstrap bootstrap) {
            inner.afterBootstrapInitialized(bootstrap);
          }

          @Override
          public void afterChannelInitialized(Channel channel) {
            first.accept(channel);
            inner.afterChannelInitialized(channel);
            then.accept(channel);
          }
        };
  }
}
