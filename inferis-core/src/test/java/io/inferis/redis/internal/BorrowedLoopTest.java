package io.inferis.redis.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.inferis.redis.NetTransport;
import io.inferis.redis.RedisOptions;
import io.inferis.testing.RedisCluster;
import io.inferis.testing.RedisFixture;
import io.inferis.testing.RedisNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.Channel;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A connector given another library's event loop ({@link RedisOptions.Builder#eventLoop}) runs
 * every connection on that loop, answers on it, and leaves it running when closed; connectors
 * sharing a meter registry add up in its gauges.
 */
class BorrowedLoopTest {

  @RegisterExtension
  static final RedisFixture<RedisNode> redis = RedisFixture.standalone().dedicated();

  @RegisterExtension static final RedisFixture<RedisCluster> cluster = RedisFixture.cluster();

  /** Another library's loops, on the transport of the process's Redis connections. */
  private static MultiThreadIoEventLoopGroup group;

  @BeforeAll
  static void loops() {
    group = loops(NetTransport.ofConnections());
  }

  @AfterAll
  static void stopLoops() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  @Test
  void everyConnection_runsOnTheGivenLoop_andAnswersOnIt_standaloneAndCluster() throws Exception {
    answersOnTheGivenLoop(group.next(), NetTransport.ofConnections());
  }

  /** Loops of {@code transport}, as another library would run them. */
  private static MultiThreadIoEventLoopGroup loops(NetTransport transport) {
    return new MultiThreadIoEventLoopGroup(2, transport.ioHandlers());
  }

  private static void answersOnTheGivenLoop(EventLoop loop, NetTransport transport)
      throws Exception {
    Thread loopThread = loop.submit(Thread::currentThread).get();
    for (String uri : List.of(redis.get().uri(), cluster.get().uri())) {
      List<Channel> channels = new CopyOnWriteArrayList<>();
      try (LettuceConnector connector =
          LettuceConnector.connect(
              uri,
              RedisOptions.builder().eventLoop(loop).build(),
              PipelineHooks.after(channels::add))) {
        CompletableFuture<Thread> answeredOn = new CompletableFuture<>();
        // Made on the loop, as a server's handler makes it: written, read and answered there.
        loop.execute(
            () ->
                connector
                    .async()
                    .ping()
                    .thenRun(() -> answeredOn.complete(Thread.currentThread())));
        assertThat(answeredOn).succeedsWithin(Duration.ofSeconds(5)).isSameAs(loopThread);
        assertThat(channels)
            .as(uri)
            .isNotEmpty()
            .allMatch(c -> c.eventLoop() == loop)
            .allMatch(transport.socketChannel()::isInstance);
      }
      assertThat(loop.isShutdown()).as("the loop is its owner's to stop").isFalse();
      assertThat(loop.submit(() -> "still running").get(5, TimeUnit.SECONDS))
          .isEqualTo("still running");
    }
  }

  @Test
  void aLoopOfAnotherTransport_isRefused_andTheTransportStaysFixed() {
    NetTransport other =
        NetTransport.ofConnections() == NetTransport.NIO ? NetTransport.EPOLL : NetTransport.NIO;
    assumeTrue(other != NetTransport.EPOLL || Epoll.isAvailable(), "epoll is not available here");
    MultiThreadIoEventLoopGroup otherLoops = loops(other);
    DefaultEventLoop plain = new DefaultEventLoop();
    try {
      assertThatThrownBy(() -> connectOn(otherLoops.next()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("Redis connections use");
      assertThatThrownBy(() -> connectOn(plain))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("io_uring, epoll or NIO");
      assertThatThrownBy(() -> NetTransport.use(other))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("already use " + NetTransport.ofConnections().label());
      NetTransport.use(NetTransport.ofConnections()); // the one in use: nothing to do
    } finally {
      otherLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
      plain.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private static void connectOn(EventLoop loop) {
    LettuceConnector.connect(redis.get().uri(), RedisOptions.builder().eventLoop(loop).build())
        .close();
  }

  @Test
  void connectingOnTheGivenLoopItself_failsAtOnce_ratherThanWaitingForItself() throws Exception {
    EventLoop loop = group.next();
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    loop.execute(
        () -> {
          try (LettuceConnector c =
              LettuceConnector.connect(
                  redis.get().uri(), RedisOptions.builder().eventLoop(loop).build())) {
            failure.complete(null);
          } catch (RuntimeException e) {
            failure.complete(e);
          }
        });
    assertThat(failure)
        .succeedsWithin(Duration.ofSeconds(5))
        .isInstanceOf(IllegalStateException.class)
        .extracting(Throwable::getMessage)
        .asString()
        .contains("connect off the event loop");
  }

  @Test
  void aLoopOfAnotherKind_isRefused() {
    Executor callerRuns = Runnable::run;
    assertThatThrownBy(() -> RedisOptions.builder().eventLoop(callerRuns))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Netty event loop");
  }

  @Test
  void connectorsSharingARegistry_addUpInItsConnectionGauge() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RedisOptions.Builder options = RedisOptions.builder().meterRegistry(meters);
    String node = redis.get().host() + ":" + redis.get().port();
    try (LettuceConnector a = LettuceConnector.connect(redis.get().uri(), options.build());
        LettuceConnector b =
            LettuceConnector.connect(redis.get().uri(), options.eventLoop(group.next()).build())) {
      assertThat(a.async().ping().toCompletableFuture()).succeedsWithin(Duration.ofSeconds(5));
      assertThat(b.async().ping().toCompletableFuture()).succeedsWithin(Duration.ofSeconds(5));
      assertThat(meters.get("inferis.redis.connections").tag("node", node).gauge().value())
          .isEqualTo(2.0);
    }
  }
}
