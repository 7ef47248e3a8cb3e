package io.inferis.redis.internal;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;

/**
 * Commands dispatched from another library's Netty event loop (an HTTP server's, such as
 * inferis-server's Vert.x loops) are held until that loop has handled this turn's I/O, then written
 * with one {@code dispatch(Collection)} per connection. A loop that read 20 requests from its
 * sockets in one turn hands Lettuce one write task and one flush instead of 20 of each, and Redis
 * reads one segment instead of 20.
 *
 * <p>The hold costs no timer and no added wait: a task submitted from a loop's own thread runs in
 * the same turn, after the I/O events ({@code docs/DESIGN.md}). Commands from the connector's own
 * event loops, made while a loop handles replies, are held until that read ends ({@link
 * ReadCycleFlushes}); commands from any other thread (a blocking caller) are dispatched at once.
 */
final class LoopTurnBatches {

  /** Held commands of the loop that owns this thread. */
  private static final FastThreadLocal<HeldCommands> HELD =
      new FastThreadLocal<>() {
        @Override
        protected HeldCommands initialValue() {
          return new HeldCommands();
        }
      };

  private LoopTurnBatches() {}

  /**
   * Dispatches {@code commands} on {@code conn}: at once, at the end of the calling event loop's
   * turn, or, on one of {@code ownLoops} (the connector's own), at the end of the read that loop is
   * handling or once {@code flushEvery} commands for {@code conn} wait.
   */
  static void dispatch(
      StatefulRedisConnection<byte[], byte[]> conn,
      List<? extends RedisCommand<byte[], byte[], ?>> commands,
      Set<EventExecutor> ownLoops,
      int flushEvery) {
    EventExecutor loop = ThreadExecutorMap.currentExecutor();
    boolean held;
    if (loop == null) {
      held = false;
    } else if (ownLoops.contains(loop)) {
      held = ReadCycleFlushes.holdDuringRead(conn, commands, flushEvery);
    } else {
      held = hold(loop, conn, commands);
    }
    if (!held) {
      HeldCommands.write(conn, commands);
    }
  }

  private static boolean hold(
      EventExecutor loop,
      StatefulRedisConnection<byte[], byte[]> conn,
      List<? extends RedisCommand<byte[], byte[], ?>> commands) {
    HeldCommands held = HELD.get();
    if (held.isEmpty()) {
      try {
        loop.execute(held::writeAll);
      } catch (RejectedExecutionException shuttingDown) {
        return false;
      }
    }
    held.add(conn, commands, Integer.MAX_VALUE);
    return true;
  }
}
