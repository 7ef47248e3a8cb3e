package io.inferis.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.inferis.Ticker;
import io.inferis.redis.RedisOptions;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.ValueOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Redis command latency, timed by inferis's handler in each connection's pipeline: every answered
 * command once, by node and type, and nothing left waiting once the answers are in, through
 * timeouts and a connection lost with commands in flight.
 */
class CommandClockTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  @RegisterExtension static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster();

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<Channel> channels = new CopyOnWriteArrayList<>();

  private LettuceConnector connect(Duration commandTimeout) {
    RedisOptions options =
        RedisOptions.builder().meterRegistry(registry).commandTimeout(commandTimeout).build();
    return LettuceConnector.connect(redis.get().uri(), options, PipelineHooks.after(channels::add));
  }

  @Test
  void everyAnsweredCommand_isTimedOnce_byNodeAndType() {
    try (LettuceConnector connector = connect(Duration.ofSeconds(5))) {
      List<CompletableFuture<?>> all = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        all.add(connector.async().set(bytes("clock:" + i), bytes("v")).toCompletableFuture());
      }
      List<AsyncCommand<byte[], byte[], byte[]>> batch = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        batch.add(get("clock:" + i % 30));
      }
      connector.send(connector.connection(), batch);
      all.addAll(batch);
      assertThat(CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)))
          .succeedsWithin(Duration.ofSeconds(5));

      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(timer("SET").count()).isEqualTo(20);
                assertThat(timer("GET").count()).isEqualTo(100);
              });
      assertThat(timer("GET").max(TimeUnit.NANOSECONDS)).isPositive();
      assertThat(waiting()).isZero();
    }
  }

  @Test
  void inACluster_eachCommandIsTimedUnderTheNodeThatAnsweredIt() {
    cluster.get().awaitHealthy();
    RedisOptions options = RedisOptions.builder().meterRegistry(registry).build();
    try (LettuceConnector connector = LettuceConnector.connect(cluster.get().uri(), options)) {
      List<CommandRouter.Keyed<byte[]>> reads = new ArrayList<>();
      Map<String, Long> expected = new HashMap<>();
      for (int i = 0; i < 60; i++) {
        String key = "clock:cluster:" + i;
        RedisNode master = cluster.get().masterFor(key);
        expected.merge(master.host() + ":" + master.port(), 1L, Long::sum);
        reads.add(
            new CommandRouter.Keyed<>() {
              @Override
              public byte[] key() {
                return bytes(key);
              }

              @Override
              public AsyncCommand<byte[], byte[], byte[]> newCommand() {
                return get(key);
              }
            });
      }
      // Twice: the first batch may go through Lettuce's routing while node connections open.
      for (int round = 0; round < 2; round++) {
        assertThat(
                CompletableFuture.allOf(
                    connector.router().sendAll(reads).toArray(CompletableFuture[]::new)))
            .succeedsWithin(Duration.ofSeconds(10));
      }

      assertThat(expected).hasSizeGreaterThan(1);
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                Map<String, Long> timed = new HashMap<>();
                for (Timer t :
                    registry.find("inferis.redis.commands").tag("command", "GET").timers()) {
                  timed.put(t.getId().getTag("node"), t.count());
                }
                Map<String, Long> twice = new HashMap<>();
                expected.forEach((node, n) -> twice.put(node, 2 * n));
                assertThat(timed).isEqualTo(twice);
              });
    }
  }

  @Test
  void aCommandThatTimedOut_isTimedWhenItsAnswerComes() {
    try (LettuceConnector connector = connect(Duration.ofSeconds(10))) {
      assertThat(echo(connector)).succeedsWithin(Duration.ofSeconds(5));
      redis.get().pause();
      AsyncCommand<byte[], byte[], byte[]> late;
      try {
        late = echoWithin(Duration.ofMillis(200));
        connector.send(connector.connection(), List.of(late));
        assertThat(late).failsWithin(Duration.ofSeconds(5));
      } finally {
        redis.get().resume();
      }
      assertThat(echo(connector)).succeedsWithin(Duration.ofSeconds(5));

      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(timer("ECHO").count()).isEqualTo(3));
      // The late ECHO's answer came after the pause: at least its 200 ms deadline.
      assertThat(timer("ECHO").max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(200);
      assertThat(waiting()).isZero();
    }
  }

  @Test
  void aConnectionLostWithCommandsInFlight_timesEachAnsweredCommandOnce() {
    try (LettuceConnector connector = connect(Duration.ofSeconds(10))) {
      assertThat(echo(connector)).succeedsWithin(Duration.ofSeconds(5));
      Channel first = channels.get(channels.size() - 1);
      redis.get().pause();
      List<AsyncCommand<byte[], byte[], byte[]>> inFlight = new ArrayList<>();
      try {
        for (int i = 0; i < 10; i++) {
          inFlight.add(get("clock:lost:" + i));
        }
        connector.send(connector.connection(), inFlight);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> waitingOn(first) == 10);
        first.close().syncUninterruptibly();
      } finally {
        redis.get().resume();
      }
      // Lettuce replays or fails what was in flight; whichever, each answer is timed once.
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> inFlight.stream().allMatch(CompletableFuture::isDone));
      long answered = inFlight.stream().filter(c -> !c.isCompletedExceptionally()).count();
      assertThat(echo(connector)).succeedsWithin(Duration.ofSeconds(5));

      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(() -> assertThat(timer("ECHO").count()).isEqualTo(2));
      assertThat(gets(registry)).isEqualTo(answered);
      assertThat(first.pipeline().get(CommandClock.class)).isNull();
      assertThat(waiting()).isZero();
    }
  }

  /**
   * A clock on an embedded channel, with {@code stack} standing in for Lettuce's: each test writes
   * as {@code CommandHandler} does (on the stack, then on), and answers as it does (off the stack,
   * completed, during a read).
   */
  private static final class Embedded {
    final ArrayDeque<AsyncCommand<byte[], byte[], byte[]>> stack = new ArrayDeque<>();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final EmbeddedChannel channel =
        new EmbeddedChannel(new CommandClock(new RedisMeters(registry)::commandTimer, stack));

    AsyncCommand<byte[], byte[], byte[]> write() {
      AsyncCommand<byte[], byte[], byte[]> c = get("embedded");
      stack.add(c);
      channel.writeOutbound(c);
      return c;
    }

    /** A read in which Lettuce answers the {@code n} oldest commands. */
    void answer(int n) {
      for (int i = 0; i < n; i++) {
        stack.poll().complete();
      }
      channel.writeInbound("replies");
    }

    long timed() {
      return gets(registry);
    }

    int waiting() {
      return channel.pipeline().get(CommandClock.class).waiting();
    }
  }

  @Test
  void aCommandLeavingTheStackUnanswered_byARedirect_isNotTimed() {
    Embedded e = new Embedded();
    e.write();
    AsyncCommand<byte[], byte[], byte[]> redirected = e.write();
    e.write();
    e.stack.poll().complete();
    e.stack.remove(redirected); // Lettuce re-sends it on another node's connection
    e.channel.writeInbound("replies");

    assertThat(e.timed()).isEqualTo(1);
    assertThat(e.waiting()).isEqualTo(1);
    e.answer(1);
    assertThat(e.timed()).isEqualTo(2);
    assertThat(e.waiting()).isZero();
    e.channel.finishAndReleaseAll();
  }

  @Test
  void commandsRemovedWithoutAReply_leaveTheQueueAtTheNextWrite() {
    Embedded e = new Embedded();
    e.write();
    AsyncCommand<byte[], byte[], byte[]> failed = e.write();
    e.write();
    e.stack.remove(failed); // its write failed: Lettuce takes it off the stack, unanswered
    failed.completeExceptionally(new IllegalStateException("write failed"));
    e.write();

    assertThat(e.waiting()).isEqualTo(e.stack.size()).isEqualTo(3);
    e.answer(3);
    assertThat(e.waiting()).isZero();
    assertThat(e.timed()).isEqualTo(3);
    e.channel.finishAndReleaseAll();
  }

  @Test
  void moreCommandsThanTheRingHolds_areAnsweredInOrder_acrossItsEnd() {
    Embedded e = new Embedded();
    for (int i = 0; i < 40; i++) {
      e.write();
    }
    e.answer(30);
    for (int i = 0; i < 50; i++) {
      e.write();
    }
    assertThat(e.waiting()).isEqualTo(60);
    e.answer(25);
    assertThat(e.timed()).isEqualTo(55);
    e.answer(35);
    assertThat(e.timed()).isEqualTo(90);
    assertThat(e.waiting()).isZero();
    e.channel.finishAndReleaseAll();
  }

  @Test
  void aConnectionThatCloses_dropsWhatItsClockHeld() {
    Embedded e = new Embedded();
    e.write();
    e.write();
    CommandClock clock = e.channel.pipeline().get(CommandClock.class);
    e.channel.close();

    assertThat(clock.waiting()).isZero();
    assertThat(e.timed()).isZero();
    e.channel.finishAndReleaseAll();
  }

  /** GETs timed on {@code registry}, on any node. */
  private static long gets(SimpleMeterRegistry registry) {
    Timer t = registry.find("inferis.redis.commands").tag("command", "GET").timer();
    return t == null ? 0 : t.count();
  }

  private Timer timer(String command) {
    return registry
        .get("inferis.redis.commands")
        .tag("node", redis.get().host() + ":" + redis.get().port())
        .tag("command", command)
        .timer();
  }

  /** Commands waiting in the clocks of the open connections. */
  private int waiting() {
    int n = 0;
    for (Channel c : channels) {
      n += c.isActive() ? waitingOn(c) : 0;
    }
    return n;
  }

  /** Commands waiting in {@code channel}'s clock, read on its loop. */
  private static int waitingOn(Channel channel) {
    return channel
        .eventLoop()
        .submit(
            () -> {
              CommandClock clock = channel.pipeline().get(CommandClock.class);
              return clock == null ? 0 : clock.waiting();
            })
        .syncUninterruptibly()
        .getNow();
  }

  private static CompletableFuture<byte[]> echo(LettuceConnector connector) {
    return connector.async().echo(bytes("clock")).toCompletableFuture();
  }

  private static AsyncCommand<byte[], byte[], byte[]> get(String key) {
    return new AsyncCommand<>(
        new Command<>(
            CommandType.GET,
            new ValueOutput<>(ByteArrayCodec.INSTANCE),
            new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(bytes(key))));
  }

  private static AsyncCommand<byte[], byte[], byte[]> echoWithin(Duration left) {
    Command<byte[], byte[], byte[]> echo =
        new Command<>(
            CommandType.ECHO,
            new ValueOutput<>(ByteArrayCodec.INSTANCE),
            new CommandArgs<>(ByteArrayCodec.INSTANCE).addValue(bytes("late")));
    return Deadlines.command(echo, Ticker.system().read() + left.toNanos(), Ticker.system());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
