package io.inferis.redis.internal;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Commands dispatched from another library's event loop (an HTTP server's, such as inferis-server's
 * Vert.x loops) are held until that loop has handled this turn's I/O, then written with one {@code
 * dispatch(Collection)} per connection. A loop that read 20 requests from its sockets in one turn
 * hands Lettuce one write task and one flush instead of 20 of each, and Redis reads one segment
 * instead of 20.
 *
 * <p>A loop takes part once it has {@linkplain #register registered} itself, on its own thread,
 * with an executor that runs a task submitted from that thread later in the same turn, after the
 * I/O events (Netty's and Vert.x's event loops do): the hold then costs no timer and no added wait
 * (docs/DESIGN.md). Commands from the connector's own event loops, made while a loop handles
 * replies, are held until that read ends ({@link ReadCycleFlushes}); commands from any other thread
 * (a blocking caller) are dispatched at once.
 */
final class LoopTurnBatches {

  /** A registered loop: the executor that ends its turns, and what it holds until then. */
  private static final class Turn {
    final Executor sameTurn;
    final HeldCommands held = new HeldCommands();

    Turn(Executor sameTurn) {
      this.sameTurn = sameTurn;
    }

    /** Holds {@code commands} to the end of this turn; false if the loop is shutting down. */
    boolean hold(
        StatefulRedisConnection<byte[], byte[]> conn,
        List<? extends RedisCommand<byte[], byte[], ?>> commands) {
      if (held.isEmpty()) {
        try {
          sameTurn.execute(held::writeAll);
        } catch (RejectedExecutionException shuttingDown) {
          return false;
        }
      }
      held.add(conn, commands, Integer.MAX_VALUE);
      return true;
    }
  }

  /** The registered loop that owns this thread, if any. */
  private static final FastThreadLocal<Turn> TURN = new FastThreadLocal<>();

  private LoopTurnBatches() {}

  /** Registers the calling thread's event loop; see {@link LoopTurnBatches}. */
  static void register(Executor sameTurn) {
    TURN.set(new Turn(Objects.requireNonNull(sameTurn, "sameTurn")));
  }

  /**
   * Dispatches {@code commands} on {@code conn}: at the end of the read the calling connector loop
   * is handling (or once {@code flushEvery} commands for {@code conn} wait), at the end of the
   * calling registered loop's turn, or at once.
   */
  static void dispatch(
      StatefulRedisConnection<byte[], byte[]> conn,
      List<? extends RedisCommand<byte[], byte[], ?>> commands,
      int flushEvery) {
    if (ReadCycleFlushes.holdDuringRead(conn, commands, flushEvery)) {
      return;
    }
    Turn turn = TURN.getIfExists();
    if (turn == null || !turn.hold(conn, commands)) {
      HeldCommands.write(conn, commands);
    }
  }
}
