package io.inferis.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

/**
 * Flushes held across the connections of one event loop while it handles a read (two embedded
 * channels share the test thread, as two connections share a loop; an embedded channel runs its
 * loop's tasks after each of its own operations, so the reading channel does none mid-read).
 */
class ReadCycleFlushesTest {

  /** On every message read, writes {@code writes} messages to {@code target} and flushes each. */
  private static final class WritesTo extends ChannelInboundHandlerAdapter {
    private final EmbeddedChannel target;
    private final int writes;
    int flushedDuringRead = -1;

    WritesTo(EmbeddedChannel target, int writes) {
      this.target = target;
      this.writes = writes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      for (int i = 0; i < writes; i++) {
        target.pipeline().writeAndFlush("cmd" + i);
      }
      flushedDuringRead = target.outboundMessages().size();
    }
  }

  @Test
  void writesToAnotherConnectionDuringARead_leaveWhenTheReadEnds() {
    EmbeddedChannel other = new EmbeddedChannel(new ReadCycleFlushes(8));
    WritesTo writer = new WritesTo(other, 5);
    EmbeddedChannel reading = new EmbeddedChannel(new ReadCycleFlushes(8), writer);

    reading.writeInbound("reply");

    assertThat(writer.flushedDuringRead).isZero();
    assertThat(other.outboundMessages()).hasSize(5);
    reading.finishAndReleaseAll();
    other.finishAndReleaseAll();
  }

  @Test
  void everyEighthHeldFlush_leavesDuringTheRead() {
    EmbeddedChannel other = new EmbeddedChannel(new ReadCycleFlushes(8));
    WritesTo writer = new WritesTo(other, 10);
    EmbeddedChannel reading = new EmbeddedChannel(new ReadCycleFlushes(8), writer);

    reading.writeInbound("reply");

    assertThat(writer.flushedDuringRead).isEqualTo(8);
    assertThat(other.outboundMessages()).hasSize(10);
    reading.finishAndReleaseAll();
    other.finishAndReleaseAll();
  }

  @Test
  void aFlushOutsideAnyRead_leavesAtOnce() {
    EmbeddedChannel channel = new EmbeddedChannel(new ReadCycleFlushes(8));
    channel.writeAndFlush("cmd");
    assertThat(channel.outboundMessages()).hasSize(1);
    channel.finishAndReleaseAll();
  }

  @Test
  void aReadWhoseEndIsNeverSignalled_isEndedAfterTheTurn() {
    EmbeddedChannel other = new EmbeddedChannel(new ReadCycleFlushes(8));
    WritesTo writer = new WritesTo(other, 3);
    EmbeddedChannel reading = new EmbeddedChannel(new ReadCycleFlushes(8), writer);

    reading.pipeline().fireChannelRead("reply"); // no channelReadComplete follows
    assertThat(other.outboundMessages()).isEmpty();
    reading.runPendingTasks(); // the loop's tasks, after its I/O

    assertThat(other.outboundMessages()).hasSize(3);
    other.writeAndFlush("later");
    assertThat(other.outboundMessages()).hasSize(4);
    reading.finishAndReleaseAll();
    other.finishAndReleaseAll();
  }
}
