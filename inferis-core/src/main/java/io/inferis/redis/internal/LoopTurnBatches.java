package io.inferis.redis.internal;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.internal.ThreadExecutorMap;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

  /** Held commands of the loop that owns this thread, by connection, in dispatch order. */
  private static final FastThreadLocal<Held> HELD =
      new FastThreadLocal<>() {
        @Override
        protected Held initialValue() {
          return new Held();
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
      write(conn, commands);
    }
  }

  /**
   * Dispatches {@code commands} on {@code conn} now. Lettuce writes a collection as one channel
   * write per command plus a flush, which from a thread other than the connection's event loop is
   * one loop task each; a single command goes as one write-and-flush task.
   */
  static void write(
      StatefulRedisConnection<byte[], byte[]> conn,
      List<? extends RedisCommand<byte[], byte[], ?>> commands) {
    if (commands.size() == 1) {
      conn.dispatch(commands.get(0));
    } else {
      conn.dispatch(commands);
    }
  }

  private static boolean hold(
      EventExecutor loop,
      StatefulRedisConnection<byte[], byte[]> conn,
      List<? extends RedisCommand<byte[], byte[], ?>> commands) {
    Held held = HELD.get();
    if (held.byConnection.isEmpty()) {
      try {
        loop.execute(held::drain);
      } catch (RejectedExecutionException shuttingDown) {
        return false;
      }
    }
    held.byConnection.computeIfAbsent(conn, c -> new ArrayList<>()).addAll(commands);
    return true;
  }

  /** One loop's held commands; touched by that loop's thread only. */
  private static final class Held {
    private Map<StatefulRedisConnection<byte[], byte[]>, List<RedisCommand<byte[], byte[], ?>>>
        byConnection = new IdentityHashMap<>();

    void drain() {
      Map<StatefulRedisConnection<byte[], byte[]>, List<RedisCommand<byte[], byte[], ?>>> batch =
          byConnection;
      byConnection = new IdentityHashMap<>();
      for (Map.Entry<StatefulRedisConnection<byte[], byte[]>, List<RedisCommand<byte[], byte[], ?>>>
          e : batch.entrySet()) {
        try {
          write(e.getKey(), e.getValue());
        } catch (RuntimeException closed) {
          // A connection closed meanwhile: fail its commands, leave the other connections' alone.
          e.getValue().forEach(c -> c.completeExceptionally(closed));
        }
      }
    }
  }
}
