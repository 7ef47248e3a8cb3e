package io.inferis.redis.internal;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Commands held per connection, in dispatch order, until they are written as one batch per
 * connection: the end of an event loop's turn ({@link LoopTurnBatches}) or of its read ({@link
 * ReadCycleFlushes}). Touched by one event loop's thread only.
 */
final class HeldCommands {

  private Map<StatefulRedisConnection<byte[], byte[]>, List<RedisCommand<byte[], byte[], ?>>>
      byConnection = new IdentityHashMap<>();

  boolean isEmpty() {
    return byConnection.isEmpty();
  }

  /**
   * Adds {@code commands} to those held for {@code conn}; writes them all at once when {@code
   * writeAt} or more wait.
   */
  void add(
      StatefulRedisConnection<byte[], byte[]> conn,
      List<? extends RedisCommand<byte[], byte[], ?>> commands,
      int writeAt) {
    List<RedisCommand<byte[], byte[], ?>> held =
        byConnection.computeIfAbsent(conn, c -> new ArrayList<>());
    held.addAll(commands);
    if (held.size() >= writeAt) {
      byConnection.remove(conn);
      writeOrFail(conn, held);
    }
  }

  /**
   * Writes every connection's held commands, one batch each. The lists are handed to Lettuce (a
   * write to another loop's channel keeps them until it runs), so a fresh map takes their place.
   */
  void writeAll() {
    if (byConnection.isEmpty()) {
      return;
    }
    Map<StatefulRedisConnection<byte[], byte[]>, List<RedisCommand<byte[], byte[], ?>>> batch =
        byConnection;
    byConnection = new IdentityHashMap<>();
    batch.forEach(HeldCommands::writeOrFail);
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

  /** {@link #write}, failing the commands if the connection closed meanwhile. */
  private static void writeOrFail(
      StatefulRedisConnection<byte[], byte[]> conn, List<RedisCommand<byte[], byte[], ?>> batch) {
    try {
      write(conn, batch);
    } catch (RuntimeException closed) {
      // Leave the other connections' commands alone.
      batch.forEach(c -> c.completeExceptionally(closed));
    }
  }
}
