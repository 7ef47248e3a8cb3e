package io.inferis.redis.internal;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Write and flush consolidation across the connections of one event loop. While the loop handles
 * replies read from any of its connections, the commands its continuations issue are held per
 * connection, and written with one {@code dispatch(Collection)} and one flush per connection when
 * that read ends or when a connection has {@code flushEvery} commands waiting. The continuations of
 * lookups answered by one cluster node issue the next lookups to every node; written one by one,
 * each command was a pass through Lettuce's and Netty's write path (an encoder buffer, a promise,
 * an outbound-buffer entry), and with consolidation per connection only (Netty's {@code
 * FlushConsolidationHandler}) each write to another node was a socket write of its own. Outside a
 * read, commands are written and flushed at once.
 *
 * <p>One instance per connection, placed just before Lettuce's {@code CommandHandler} so that it
 * sees commands, not bytes. All state is touched by the loop's thread only (Netty calls a handler
 * on its channel's loop; {@link #holdDuringRead} is called on the loop's thread).
 */
final class ReadCycleFlushes extends ChannelDuplexHandler {

  /** The loop's read in progress, and the connections holding commands or flushes until it ends. */
  private static final class LoopReads {
    ChannelHandlerContext reading;
    final List<ReadCycleFlushes> holding = new ArrayList<>();
    final HeldCommands commands = new HeldCommands();

    /** Notes a first held command or flush of this read: queues the read's safety net. */
    void startHolding() {
      if (holding.isEmpty() && commands.isEmpty()) {
        safetyNet(reading);
      }
    }
  }

  private static final FastThreadLocal<LoopReads> LOOP_READS =
      new FastThreadLocal<>() {
        @Override
        protected LoopReads initialValue() {
          return new LoopReads();
        }
      };

  private final int flushEvery;
  private ChannelHandlerContext ctx;
  private boolean flushWanted;
  private int unflushed;
  private boolean listed;

  ReadCycleFlushes(int flushEvery) {
    this.flushEvery = flushEvery;
  }

  /**
   * Holds {@code commands} for {@code conn} until the read the calling thread's loop is handling
   * ends, or until {@code flushEvery} of them wait; false if the calling thread is not a connector
   * loop handling a read (the caller dispatches them itself).
   */
  static boolean holdDuringRead(
      StatefulRedisConnection<byte[], byte[]> conn,
      List<? extends RedisCommand<byte[], byte[], ?>> commands,
      int flushEvery) {
    LoopReads loop = LOOP_READS.getIfExists();
    if (loop == null || loop.reading == null) {
      return false;
    }
    loop.startHolding();
    loop.commands.add(conn, commands, flushEvery);
    return true;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    unflushed += msg instanceof Collection<?> batch ? batch.size() : 1;
    ctx.write(msg, promise);
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    flushWanted = true;
    LoopReads loop = LOOP_READS.get();
    if (loop.reading == null) {
      flushHeld();
      return;
    }
    if (!listed) {
      listed = true;
      loop.startHolding();
      loop.holding.add(this);
    }
    if (unflushed >= flushEvery) {
      flushHeld();
    }
  }

  /**
   * Queues, after this turn's I/O, the end of {@code reading}'s read: it has ended by then, unless
   * its end was never signalled (a connection torn down mid-read); then it is ended there.
   */
  private static void safetyNet(ChannelHandlerContext reading) {
    reading.channel().eventLoop().execute(() -> endRead(reading));
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    LOOP_READS.get().reading = ctx;
    ctx.fireChannelRead(msg);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    endRead(ctx);
    ctx.fireChannelReadComplete();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    endRead(ctx);
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    endRead(ctx);
    ctx.fireChannelInactive();
  }

  @Override
  public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
    flushHeld();
    ctx.disconnect(promise);
  }

  @Override
  public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
    flushHeld();
    ctx.close(promise);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    endRead(ctx);
    flushHeld();
  }

  /**
   * Ends the loop's read if {@code ctx} was reading: the held commands are written, one batch per
   * connection, and every held flush of the loop goes out.
   */
  private static void endRead(ChannelHandlerContext ctx) {
    LoopReads loop = LOOP_READS.get();
    if (loop.reading != ctx) {
      return;
    }
    loop.reading = null;
    // No read is in progress now, so these writes and flushes pass straight through: nothing is
    // added to the holding list while it is gone through, and no copy of it is needed.
    loop.commands.writeAll();
    List<ReadCycleFlushes> holding = loop.holding;
    for (int i = 0; i < holding.size(); i++) {
      ReadCycleFlushes h = holding.get(i);
      h.listed = false;
      h.flushHeld();
    }
    holding.clear();
  }

  private void flushHeld() {
    if (flushWanted) {
      flushWanted = false;
      unflushed = 0;
      ctx.flush();
    }
  }
}
