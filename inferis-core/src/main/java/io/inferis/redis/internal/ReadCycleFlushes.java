package io.inferis.redis.internal;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.List;

/**
 * Flush consolidation across the connections of one event loop. While the loop handles replies read
 * from any of its connections, flushes on every connection of that loop are held, and sent when
 * that read ends or when one connection has {@code flushEvery} of them waiting. The continuations
 * of lookups answered by one cluster node issue the next lookups to every node; with consolidation
 * per connection only (Netty's {@code FlushConsolidationHandler}), each of those writes to another
 * node was a socket write of its own. Outside a read, a flush goes out at once.
 *
 * <p>One instance per connection; all state is touched by the loop's thread only (Netty calls a
 * handler on its channel's loop).
 */
final class ReadCycleFlushes extends ChannelDuplexHandler {

  /** The loop's read in progress, and the connections holding flushes until it ends. */
  private static final class LoopReads {
    ChannelHandlerContext reading;
    final List<ReadCycleFlushes> holding = new ArrayList<>();
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
  private int held;
  private boolean listed;

  ReadCycleFlushes(int flushEvery) {
    this.flushEvery = flushEvery;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void flush(ChannelHandlerContext ctx) {
    LoopReads loop = LOOP_READS.get();
    if (loop.reading == null) {
      ctx.flush();
      return;
    }
    if (!listed) {
      listed = true;
      if (loop.holding.isEmpty()) {
        // A safety net, run after this turn's I/O: the read has ended by then, unless its end
        // was never signalled (a connection torn down mid-read); then it is ended here.
        ChannelHandlerContext reading = loop.reading;
        reading.channel().eventLoop().execute(() -> endRead(reading));
      }
      loop.holding.add(this);
    }
    if (++held >= flushEvery) {
      flushHeld();
    }
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

  /** Ends the loop's read if {@code ctx} was reading: every held flush of the loop goes out. */
  private static void endRead(ChannelHandlerContext ctx) {
    LoopReads loop = LOOP_READS.get();
    if (loop.reading != ctx) {
      return;
    }
    loop.reading = null;
    // No read is in progress now, so a flush made while these go out passes straight through and
    // the list does not change under the loop: no copy per read.
    List<ReadCycleFlushes> holding = loop.holding;
    for (int i = 0; i < holding.size(); i++) {
      ReadCycleFlushes h = holding.get(i);
      h.listed = false;
      h.flushHeld();
    }
    holding.clear();
  }

  private void flushHeld() {
    if (held > 0) {
      held = 0;
      ctx.flush();
    }
  }
}
