package io.inferis.redis.internal;

import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import org.jspecify.annotations.Nullable;

/**
 * What inferis adds to the pipeline of every connection Lettuce opens: flush consolidation across
 * each event loop's connections ({@link ReadCycleFlushes}) just before Lettuce's {@code
 * CommandHandler}, where writes are still commands (counted per command) and reads are replies
 * about to be handled; with meters, a {@link CommandClock} before it, which times the commands, and
 * a connection counter. A pipeline without {@code CommandHandler} (a Lettuce that builds its
 * pipeline differently) fails the connection: the consolidation placed anywhere else would lose
 * commands' counts or flushes without a sign.
 */
final class ConnectionPipeline implements NettyCustomizer {

  /**
   * While replies are being handled, a connection's commands are written and flushed once this many
   * wait, without waiting for the read to end, so that Redis starts on them while the event loop
   * finishes the rest. Holding all of them to the end (256 here before) made client and server take
   * turns, each idle while the other worked. With flushes held but commands written one by one, 8
   * measured best (16 and 32 no better); since the commands themselves are held and written as one
   * batch, 32 measured best: with 64 lookups in flight two batches alternate, one at Redis while
   * the loop handles the other's replies (docs/DESIGN.md).
   */
  static final int FLUSH_EVERY_DURING_READ = 32;

  /** The name of the flush consolidation in every connection's pipeline. */
  static final String FLUSHES_NAME = "inferis-flush-consolidation";

  /** The name of the handler that times commands, just before {@link #FLUSHES_NAME}. */
  static final String CLOCK_NAME = "inferis-command-clock";

  private final @Nullable RedisMeters meters;

  /** With {@code meters} null, no clock and no counter. */
  ConnectionPipeline(@Nullable RedisMeters meters) {
    this.meters = meters;
  }

  @Override
  public void afterChannelInitialized(Channel channel) {
    ChannelPipeline pipeline = channel.pipeline();
    ChannelHandlerContext commands = pipeline.context(CommandHandler.class);
    if (commands == null) {
      throw new IllegalStateException(
          "Lettuce's CommandHandler is not in the connection's pipeline "
              + pipeline.names()
              + "; inferis places its write consolidation just before it and cannot connect"
              + " without it (is this a Lettuce version inferis was not built for?)");
    }
    pipeline.addBefore(
        commands.name(), FLUSHES_NAME, new ReadCycleFlushes(FLUSH_EVERY_DURING_READ));
    if (meters != null) {
      pipeline.addFirst("inferis-connection-count", meters.connectionCounter());
      CommandHandler handler = (CommandHandler) commands.handler();
      pipeline.addBefore(
          FLUSHES_NAME, CLOCK_NAME, new CommandClock(meters::commandTimer, handler.getStack()));
    }
  }

  @Override
  public void afterBootstrapInitialized(Bootstrap bootstrap) {}
}
