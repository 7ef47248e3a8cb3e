package io.inferis.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inferis.Ticker;
import io.inferis.redis.RedisOptions;
import io.inferis.redis.RedisUnavailableException;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.output.ValueListOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandHandler;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.EventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every assumption inferis's Redis code makes about Lettuce and Netty beyond their documented API,
 * one test each, so an upgrade that breaks one fails here by name rather than as lost throughput or
 * quiet misbehaviour elsewhere:
 *
 * <ol>
 *   <li>Lettuce puts its {@code CommandHandler} in every connection's pipeline, and inferis's write
 *       consolidation goes just before it; without it, connecting fails.
 *   <li>What {@code CommandHandler} passes on towards the socket is commands (single or as a
 *       collection), and a dispatched batch is flushed once.
 *   <li>Lettuce asks the {@code TimeoutSource} for a command's timeout as it writes it, and finds
 *       inferis's {@code AsyncCommand} subclass through its own wrappers (a cluster's too).
 *   <li>{@code CommandArgs.count}/{@code encode} ({@code FieldArgs}) and {@code CommandOutput}'s
 *       callback order ({@code PickedOutput}) hold in RESP2 and RESP3.
 *   <li>Lettuce reports MOVED as a {@code RedisCommandExecutionException} whose message is Redis's
 *       error line: it has no redirect type of its own.
 *   <li>A task a Netty event loop executes from its own thread runs on that thread after the
 *       current task, which is what holding commands to the end of a loop's turn relies on.
 *   <li>{@code CommandHandler.getStack()} holds the commands it has passed on and Redis has not
 *       answered yet: its size after a read says how many were answered ({@code CommandClock}).
 * </ol>
 */
class LettuceAssumptionsTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  @RegisterExtension static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster();

  private static final byte[] KEY = bytes("assumptions:hash");

  @Test
  void commandHandler_isInEveryPipeline_withOurHandlerJustBeforeIt() {
    List<Channel> channels = new CopyOnWriteArrayList<>();
    try (LettuceConnector connector =
        LettuceConnector.connect(
            redis.get().uri(), RedisOptions.defaults(), PipelineHooks.after(channels::add))) {
      assertThat(connector.async().ping().toCompletableFuture())
          .succeedsWithin(Duration.ofSeconds(5));
      assertThat(channels).isNotEmpty();
      for (Channel channel : channels) {
        List<String> names = channel.pipeline().names();
        String commandHandler = channel.pipeline().context(CommandHandler.class).name();
        assertThat(names.indexOf(ConnectionPipeline.FLUSHES_NAME) + 1)
            .isEqualTo(names.indexOf(commandHandler));
      }
    }
  }

  /**
   * {@code serverLoops()} hands a server the group Lettuce's provider keeps for the transport's
   * type: the loops every connection of the connector runs on, standalone and cluster.
   */
  @Test
  void serverLoops_areTheLoopsEveryConnectionRunsOn() {
    for (String uri : List.of(redis.get().uri(), cluster.get().uri())) {
      List<Channel> channels = new CopyOnWriteArrayList<>();
      try (LettuceConnector connector =
          LettuceConnector.connect(
              uri, RedisOptions.defaults(), PipelineHooks.after(channels::add))) {
        assertThat(connector.async().ping().toCompletableFuture())
            .succeedsWithin(Duration.ofSeconds(5));
        List<EventExecutor> loops = new ArrayList<>();
        connector.serverLoops().orElseThrow().group().forEach(loops::add);
        assertThat(channels).isNotEmpty();
        for (Channel channel : channels) {
          assertThat(loops).as(uri).anyMatch(loop -> loop == channel.eventLoop());
        }
      }
    }
  }

  @Test
  void aPipelineWithoutCommandHandler_makesConnectThrow() {
    UnaryOperator<NettyCustomizer> dropCommandHandler =
        PipelineHooks.before(channel -> channel.pipeline().remove(CommandHandler.class));
    RedisOptions options = RedisOptions.builder().connectTimeout(Duration.ofSeconds(2)).build();

    assertThatThrownBy(
            () -> LettuceConnector.connect(redis.get().uri(), options, dropCommandHandler).close())
        .isInstanceOf(RedisUnavailableException.class)
        .hasMessageContaining("CommandHandler is not in the connection's pipeline");
  }

  @Test
  void writesPassedOnByCommandHandler_areCommands_andADispatchedBatchIsFlushedOnce()
      throws Exception {
    Recorder recorder = new Recorder();
    try (LettuceConnector connector =
        LettuceConnector.connect(
            redis.get().uri(),
            RedisOptions.defaults(),
            PipelineHooks.after(
                ch ->
                    ch.pipeline()
                        .addAfter(ConnectionPipeline.FLUSHES_NAME, "recorder", recorder)))) {
      StatefulRedisConnection<byte[], byte[]> conn = connector.connection();
      assertThat(connector.async().ping().toCompletableFuture())
          .succeedsWithin(Duration.ofSeconds(5));
      recorder.reset();

      List<AsyncCommand<byte[], byte[], String>> batch = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        batch.add(ping());
      }
      conn.dispatch(batch);
      for (AsyncCommand<byte[], byte[], String> c : batch) {
        assertThat(c.get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
      }

      assertThat(recorder.foreign).isEmpty();
      assertThat(recorder.commands.get()).isEqualTo(5);
      assertThat(recorder.flushes.get()).isEqualTo(1);
    }
  }

  @Test
  void commandHandlersStack_holdsWhatItPassedOn_untilRedisAnswers() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    UnaryOperator<NettyCustomizer> watchStack =
        PipelineHooks.after(
            ch -> {
              java.util.Queue<?> stack = ch.pipeline().get(CommandHandler.class).getStack();
              ch.pipeline()
                  .addAfter(
                      ConnectionPipeline.FLUSHES_NAME,
                      "stack-watch",
                      new ChannelDuplexHandler() {
                        @Override
                        public void write(
                            ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                          seen.add("write " + stack.size());
                          ctx.write(msg, promise);
                        }

                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                          ctx.fireChannelRead(msg);
                          seen.add("read " + stack.size());
                        }
                      });
            });
    try (LettuceConnector connector =
        LettuceConnector.connect(redis.get().uri(), RedisOptions.defaults(), watchStack)) {
      assertThat(connector.async().ping().toCompletableFuture())
          .succeedsWithin(Duration.ofSeconds(5));
      seen.clear();
      redis.get().pause();
      List<AsyncCommand<byte[], byte[], String>> batch = new ArrayList<>();
      try {
        for (int i = 0; i < 5; i++) {
          batch.add(ping());
        }
        connector.connection().dispatch(batch);
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> seen.contains("write 5"));
      } finally {
        redis.get().resume();
      }
      for (AsyncCommand<byte[], byte[], String> c : batch) {
        assertThat(c.get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
      }
      // (The earlier PING's read may be noted after the clear: look after the batch's write.)
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> seen.subList(seen.indexOf("write 5"), seen.size()).contains("read 0"));
    }
  }

  @Test
  void aCommandsOwnDeadline_isItsTimeout_onAStandaloneConnection() throws Exception {
    RedisOptions slow = RedisOptions.builder().commandTimeout(Duration.ofSeconds(10)).build();
    try (LettuceConnector connector = LettuceConnector.connect(redis.get().uri(), slow)) {
      assertThat(connector.async().ping().toCompletableFuture())
          .succeedsWithin(Duration.ofSeconds(5));
      redis.get().pause();
      try {
        AsyncCommand<byte[], byte[], String> c = withDeadline(Duration.ofMillis(200));
        connector.send(connector.connection(), List.of(c));
        assertTimesOutWellBefore(c, Duration.ofSeconds(5));
      } finally {
        redis.get().resume();
      }
    }
  }

  @Test
  void aCommandsOwnDeadline_isItsTimeout_throughClusterRouting() throws Exception {
    RedisOptions slow = RedisOptions.builder().commandTimeout(Duration.ofSeconds(10)).build();
    cluster.get().awaitHealthy();
    try (LettuceConnector connector = LettuceConnector.connect(cluster.get().uri(), slow)) {
      String key = "assumptions:{deadline}";
      RedisNode master = cluster.get().masterFor(key);
      assertThat(connector.async().get(bytes(key)).toCompletableFuture())
          .succeedsWithin(Duration.ofSeconds(5));
      Command<byte[], byte[], String> get =
          new Command<>(
              CommandType.GET,
              new StatusOutput<>(ByteArrayCodec.INSTANCE),
              new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(bytes(key)));
      master.pause();
      try {
        AsyncCommand<byte[], byte[], String> c =
            Deadlines.command(
                get, Ticker.system().read() + Duration.ofMillis(200).toNanos(), Ticker.system());
        connector.clusterConnection().dispatch(c);
        assertTimesOutWellBefore(c, Duration.ofSeconds(5));
      } finally {
        master.resume();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(
      value = ProtocolVersion.class,
      names = {"RESP2", "RESP3"})
  void fieldArgsAndPickedOutput_answerAsHmgetDoes(ProtocolVersion protocol) throws Exception {
    RedisClient client = RedisClient.create(redis.get().uri());
    client.setOptions(ClientOptions.builder().protocolVersion(protocol).build());
    try (StatefulRedisConnection<byte[], byte[]> conn = client.connect(ByteArrayCodec.INSTANCE)) {
      conn.sync().del(KEY);
      conn.sync()
          .hset(
              KEY,
              Map.of(
                  bytes("a"), bytes("1"),
                  bytes("b"), new byte[] {0, (byte) 0xff, '\r', '\n'},
                  bytes("c"), bytes("3")));
      List<byte[]> names = List.of(bytes("b"), bytes("missing"), bytes("a"), bytes("b"));
      RedisHashStore.EncodedFields fields = new RedisHashStore.EncodedFields(names);

      AsyncCommand<byte[], byte[], List<byte[]>> hmget =
          new AsyncCommand<>(
              new Command<>(
                  CommandType.HMGET,
                  new ValueListOutput<>(ByteArrayCodec.INSTANCE),
                  new RedisHashStore.FieldArgs(KEY, fields)));
      AsyncCommand<byte[], byte[], List<byte[]>> hgetall =
          new AsyncCommand<>(
              new Command<>(
                  CommandType.HGETALL,
                  new RedisHashStore.PickedOutput(fields),
                  new CommandArgs<>(ByteArrayCodec.INSTANCE).addKey(KEY)));
      conn.dispatch(hmget);
      conn.dispatch(hgetall);

      List<byte[]> expected = new ArrayList<>();
      conn.sync()
          .hmget(KEY, names.toArray(new byte[0][]))
          .forEach(kv -> expected.add(kv.getValueOrElse(null)));
      assertThat(hmget.get(5, TimeUnit.SECONDS)).containsExactlyElementsOf(expected);
      assertThat(hgetall.get(5, TimeUnit.SECONDS)).containsExactlyElementsOf(expected);
      assertThat(expected.get(1)).isNull();
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aMovedAnswer_isACommandExecutionException_whoseMessageStartsWithMoved() {
    cluster.get().awaitHealthy();
    String key = "assumptions:{moved}";
    RedisNode owner = cluster.get().masterFor(key);
    RedisNode other =
        cluster.get().masters().stream().filter(m -> m.port() != owner.port()).findFirst().get();
    RedisClient client = RedisClient.create(other.uri());
    try (StatefulRedisConnection<String, String> conn = client.connect()) {
      Throwable moved = catchFailure(() -> conn.sync().get(key));

      assertThat(moved)
          .isExactlyInstanceOf(RedisCommandExecutionException.class)
          .hasMessageStartingWith("MOVED " + SlotHash.getSlot(key) + " ");
      assertThat(Exceptions.isRedirect(moved)).isTrue();
      assertThat(Exceptions.isRedirect(new RedisCommandExecutionException("ERR MOVEDX"))).isFalse();
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aTaskExecutedFromItsOwnLoop_runsThereAfterTheCurrentTask() throws Exception {
    DefaultEventLoop loop = new DefaultEventLoop();
    try {
      List<String> order = new CopyOnWriteArrayList<>();
      CompletableFuture<Thread> laterOn = new CompletableFuture<>();
      Thread current =
          loop.submit(
                  () -> {
                    loop.execute(
                        () -> {
                          order.add("held batch");
                          laterOn.complete(Thread.currentThread());
                        });
                    order.add("rest of the turn");
                    return Thread.currentThread();
                  })
              .get(5, TimeUnit.SECONDS);

      assertThat(laterOn.get(5, TimeUnit.SECONDS)).isSameAs(current);
      assertThat(order).containsExactly("rest of the turn", "held batch");
    } finally {
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }

  private static void assertTimesOutWellBefore(
      AsyncCommand<byte[], byte[], String> c, Duration bound) throws InterruptedException {
    long start = System.nanoTime();
    Throwable failure;
    try {
      c.get(bound.toMillis() * 2, TimeUnit.MILLISECONDS);
      throw new AssertionError("the command answered a paused server");
    } catch (ExecutionException e) {
      failure = e.getCause();
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the command's deadline did not fire", e);
    }
    assertThat(failure).isInstanceOf(RedisCommandTimeoutException.class);
    // The deadline is 0.2 s; without it the command would wait out its 10 s timeout.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(bound);
  }

  private static AsyncCommand<byte[], byte[], String> withDeadline(Duration left) {
    Command<byte[], byte[], String> ping =
        new Command<>(
            CommandType.PING,
            new StatusOutput<>(ByteArrayCodec.INSTANCE),
            new CommandArgs<>(ByteArrayCodec.INSTANCE));
    return Deadlines.command(ping, Ticker.system().read() + left.toNanos(), Ticker.system());
  }

  private static AsyncCommand<byte[], byte[], String> ping() {
    return new AsyncCommand<>(
        new Command<>(
            CommandType.PING,
            new StatusOutput<>(ByteArrayCodec.INSTANCE),
            new CommandArgs<>(ByteArrayCodec.INSTANCE)));
  }

  private static Throwable catchFailure(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("expected a failure");
  }

  /** Counts the writes and flushes {@code CommandHandler} passes towards the socket. */
  private static final class Recorder extends ChannelDuplexHandler {
    final AtomicInteger commands = new AtomicInteger();
    final AtomicInteger flushes = new AtomicInteger();
    final List<String> foreign = new CopyOnWriteArrayList<>();

    void reset() {
      commands.set(0);
      flushes.set(0);
      foreign.clear();
    }

    @Override
    public boolean isSharable() {
      return true;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
      if (msg instanceof RedisCommand<?, ?, ?>) {
        commands.incrementAndGet();
      } else if (msg instanceof Collection<?> batch
          && batch.stream().allMatch(RedisCommand.class::isInstance)) {
        commands.addAndGet(batch.size());
      } else {
        foreign.add(msg.getClass().getName());
      }
      ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
      flushes.incrementAndGet();
      ctx.flush();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
