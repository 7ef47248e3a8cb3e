package io.inferis.redis.internal;

import io.inferis.Ticker;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Carries a request's deadline on the commands it sends: Lettuce asks the {@link #timeoutSource}
 * for a command's timeout when the command is written, and a command made by {@link #command}
 * answers min(command timeout, time left to its deadline). A deadline then costs no timer of its
 * own, and a command held to the end of an event loop's turn ({@link LoopTurnBatches}) keeps its
 * request's deadline.
 */
final class Deadlines {

  private Deadlines() {}

  /**
   * {@code command} as an async command that times out at {@code deadlineNanos} on {@code ticker}.
   */
  static <T> AsyncCommand<byte[], byte[], T> command(
      Command<byte[], byte[], T> command, long deadlineNanos, Ticker ticker) {
    return new Carrying<>(command, deadlineNanos, ticker);
  }

  /** An async command with the deadline it was made for. */
  private static final class Carrying<T> extends AsyncCommand<byte[], byte[], T> {
    final long deadlineNanos;
    final Ticker ticker;

    Carrying(Command<byte[], byte[], T> command, long deadlineNanos, Ticker ticker) {
      super(command);
      this.deadlineNanos = deadlineNanos;
      this.ticker = ticker;
    }

    long remainingNanos() {
      return deadlineNanos - ticker.read();
    }
  }

  /**
   * The timeout source installed on every connection: a command's own deadline when it carries one
   * (found through Lettuce's wrappers, e.g. a cluster command's), else {@code commandTimeout}.
   */
  static TimeoutOptions.TimeoutSource timeoutSource(Duration commandTimeout) {
    long defaultNanos = commandTimeout.toNanos();
    return new TimeoutOptions.TimeoutSource() {
      @Override
      public long getTimeout(RedisCommand<?, ?, ?> command) {
        Carrying<?> carrying = CommandWrapper.unwrap(command, Carrying.class);
        if (carrying == null) {
          return defaultNanos;
        }
        return Math.max(1, Math.min(defaultNanos, carrying.remainingNanos()));
      }

      @Override
      public TimeUnit getTimeUnit() {
        return TimeUnit.NANOSECONDS;
      }
    };
  }
}
