package io.inferis.redis.internal;

import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.RedisCommand;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.net.SocketAddress;
import java.util.Collection;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Times each command of one connection, from its write to the read that completes it, into the
 * connector's meters ({@code inferis.redis.commands}): placed towards the socket from Lettuce's
 * {@code CommandHandler}, it sees the commands that handler has just put on its stack of commands
 * awaiting replies, in the order Redis answers them, and after each read the stack says how many of
 * them were answered: that many leave this clock's queue, and each that is done is recorded at the
 * time the read began. One clock reading per write and per read, no object per command.
 *
 * <p>Lettuce's own hook ({@code CommandLatencyRecorder}) wraps every command in a second object
 * that its stack then hashes through on every add and removal, and reads the clock three times per
 * command: with 100 commands per request that was 12% of the server's CPU (docs/BENCHMARKS.md).
 *
 * <p>A command answered with a redirect that Lettuce re-sends elsewhere is not done here and is not
 * recorded; a command removed from the stack without a reply (its write failed, which precedes the
 * connection's close) may cost the queue one command recorded late or not at all. The queue never
 * holds more than Lettuce's stack once a write or read has passed, and that stack is bounded by the
 * request queue size ({@code RedisOptions.requestQueueSize}). Called on the channel's event loop
 * only.
 */
final class CommandClock extends ChannelDuplexHandler {

  /** The timer of commands of a type on a node. */
  @FunctionalInterface
  interface Timers {
    Timer of(SocketAddress node, ProtocolKeyword command);
  }

  private final Timers timers;
  private final Queue<?> stack;

  /** Commands written and not yet answered, oldest at {@code head}; a ring of a power-of-2. */
  private RedisCommand<?, ?, ?>[] commands = new RedisCommand<?, ?, ?>[16];

  private long[] writtenAt = new long[16];
  private int head;
  private int size;

  private @Nullable Channel channel;
  private @Nullable ProtocolKeyword lastType;
  private @Nullable Timer lastTimer;

  /**
   * @param stack Lettuce's commands awaiting replies on this connection ({@code
   *     CommandHandler.getStack()})
   */
  CommandClock(Timers timers, Queue<?> stack) {
    this.timers = timers;
    this.stack = stack;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    long now = System.nanoTime();
    if (msg instanceof RedisCommand<?, ?, ?> command) {
      add(command, now);
    } else if (msg instanceof Collection<?> batch) {
      for (Object o : batch) {
        if (o instanceof RedisCommand<?, ?, ?> command) {
          add(command, now);
        }
      }
    }
    // What left the stack without a reply since the last write or read (failed writes) leaves here.
    dropBeyond(stack.size());
    ctx.write(msg, promise);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    long readAt = System.nanoTime();
    try {
      ctx.fireChannelRead(msg);
    } finally {
      answered(size - stack.size(), readAt);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  /** A closed connection's pipeline is taken down: what the clock held goes with it. */
  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    dropBeyond(0);
  }

  /** Commands written and not yet answered or dropped; for tests. */
  int waiting() {
    return size;
  }

  /** Records the {@code count} oldest commands that are done as answered at {@code readAt}. */
  private void answered(int count, long readAt) {
    for (int i = 0; i < count; i++) {
      RedisCommand<?, ?, ?> c = commands[head];
      if (c.isDone()) {
        timer(c.getType()).record(readAt - writtenAt[head], TimeUnit.NANOSECONDS);
      }
      commands[head] = null;
      head = (head + 1) & (commands.length - 1);
      size--;
    }
  }

  /** Drops the oldest commands, unrecorded, until at most {@code keep} remain. */
  private void dropBeyond(int keep) {
    while (size > keep) {
      commands[head] = null;
      head = (head + 1) & (commands.length - 1);
      size--;
    }
  }

  private void add(RedisCommand<?, ?, ?> command, long now) {
    if (size == commands.length) {
      grow();
    }
    int at = (head + size) & (commands.length - 1);
    commands[at] = command;
    writtenAt[at] = now;
    size++;
  }

  private void grow() {
    RedisCommand<?, ?, ?>[] more = new RedisCommand<?, ?, ?>[commands.length * 2];
    long[] moreAt = new long[more.length];
    for (int i = 0; i < size; i++) {
      int from = (head + i) & (commands.length - 1);
      more[i] = commands[from];
      moreAt[i] = writtenAt[from];
    }
    commands = more;
    writtenAt = moreAt;
    head = 0;
  }

  /** The timer of {@code type} on this connection's node; batches are mostly of one type. */
  private Timer timer(ProtocolKeyword type) {
    if (type != lastType || lastTimer == null) {
      lastTimer = timers.of(channel.remoteAddress(), type);
      lastType = type;
    }
    return lastTimer;
  }
}
