package io.inferis.redis.internal;

import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.util.concurrent.FastThreadLocal;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Carries a request's deadline to the commands it dispatches: Lettuce asks the {@link
 * #timeoutSource} for a command's timeout while the command is written, on the dispatching thread,
 * so a command sent inside {@link #within} times out at min(command timeout, time left to the
 * deadline). A deadline then costs no timer of its own.
 */
public final class Deadlines {

  /**
   * Netty's thread-local: an array index on Lettuce's (and Vert.x's) event-loop threads, where
   * lookups issued from completions run, instead of a probe of the thread's ThreadLocal map.
   */
  private static final FastThreadLocal<long[]> CURRENT =
      new FastThreadLocal<>() {
        @Override
        protected long[] initialValue() {
          return new long[1];
        }
      };

  private Deadlines() {}

  /**
   * Runs {@code dispatch} with {@code deadlineNanos} ({@link System#nanoTime()} based) in force.
   */
  public static <T> T within(long deadlineNanos, Supplier<T> dispatch) {
    long[] current = CURRENT.get();
    long previous = current[0];
    current[0] = deadlineNanos;
    try {
      return dispatch.get();
    } finally {
      current[0] = previous;
    }
  }

  /**
   * {@code command} as an async command that carries the deadline in force now: its timeout is
   * taken from that deadline wherever and whenever it is written, so a command held to the end of
   * an event loop's turn ({@link LoopTurnBatches}) keeps its request's deadline.
   */
  public static <T> AsyncCommand<byte[], byte[], T> command(Command<byte[], byte[], T> command) {
    return new Carrying<>(command, current());
  }

  /** An async command with the deadline it was made under (0: none). */
  private static final class Carrying<T> extends AsyncCommand<byte[], byte[], T> {
    final long deadlineNanos;

    Carrying(Command<byte[], byte[], T> command, long deadlineNanos) {
      super(command);
      this.deadlineNanos = deadlineNanos;
    }
  }

  /** The deadline in force on this thread, or 0 for none. */
  public static long current() {
    return CURRENT.get()[0];
  }

  /** The timeout source installed on every connection. */
  static TimeoutOptions.TimeoutSource timeoutSource(Duration commandTimeout) {
    long defaultNanos = commandTimeout.toNanos();
    return new TimeoutOptions.TimeoutSource() {
      @Override
      public long getTimeout(RedisCommand<?, ?, ?> command) {
        Carrying<?> carrying = CommandWrapper.unwrap(command, Carrying.class);
        long deadline = carrying != null ? carrying.deadlineNanos : CURRENT.get()[0];
        if (deadline == 0) {
          return defaultNanos;
        }
        return Math.max(1, Math.min(defaultNanos, deadline - System.nanoTime()));
      }

      @Override
      public TimeUnit getTimeUnit() {
        return TimeUnit.NANOSECONDS;
      }
    };
  }
}
