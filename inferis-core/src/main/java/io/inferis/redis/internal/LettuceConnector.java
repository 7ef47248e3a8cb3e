package io.inferis.redis.internal;

import io.inferis.redis.NetTransport;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.redis.RedisTimeoutException;
import io.inferis.redis.ServerLoops;
import io.lettuce.core.ReadFrom;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.RedisCommand;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.lettuce.core.resource.Transports;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * {@link RedisConnector} over Lettuce: one {@link ClientResources} (event loops) and one
 * multiplexed connection per node, shared by all callers.
 *
 * <p>Commands issued while an event loop is handling replies (the continuations of asynchronous
 * callers), on any of that loop's connections, share socket flushes: every connection's Netty
 * pipeline gets a {@link ReadCycleFlushes} just before Lettuce's {@code CommandHandler}, and
 * connecting fails if that handler is not there; see docs/DESIGN.md. Commands from a registered
 * event loop of another library leave together at the end of its turn ({@link LoopTurnBatches}); a
 * command written from any other thread is flushed at once, so no command waits for company. Keyed
 * commands are routed by {@link CommandRouter}.
 */
final class LettuceConnector implements RedisConnector {

  /**
   * Keys and values are raw bytes: Feast's keys are binary (serialized entity keys), and one codec
   * keeps one connection per node for every user of the connector.
   */
  static final RedisCodec<byte[], byte[]> CODEC = ByteArrayCodec.INSTANCE;

  static {
    // The process's transport, before Lettuce reads its switches at the first connection.
    ConnectionTransport.current();
  }

  private final RedisUrl url;
  private final RedisOptions options;
  private final ClientResources resources;
  private final @Nullable RedisClient client;
  private final @Nullable RedisClusterClient clusterClient;
  private final @Nullable StatefulRedisConnection<byte[], byte[]> connection;
  private final @Nullable StatefulRedisClusterConnection<byte[], byte[]> clusterConnection;
  private final AtomicBoolean closed = new AtomicBoolean();
  private @Nullable EventLoopGroup loops;
  private final CommandRouter router = new CommandRouter(this);
  private final @Nullable RedisMeters meters;

  private final AtomicLong lastTimeoutRefresh = new AtomicLong(System.nanoTime() - REFRESH_GAP);

  /** At most one topology refresh per this many nanoseconds is triggered by timeouts. */
  private static final long REFRESH_GAP = TimeUnit.SECONDS.toNanos(1);

  private LettuceConnector(
      RedisUrl url, RedisOptions options, UnaryOperator<NettyCustomizer> pipelineHook) {
    this.url = url;
    this.options = options;
    applySecurity(url, options);
    MeterRegistry registry = options.meterRegistry();
    this.meters = registry == null ? null : new RedisMeters(registry);
    EventLoop borrowed = options.eventLoop() instanceof EventLoop loop ? loop : null;
    DefaultClientResources.Builder resourcesBuilder =
        DefaultClientResources.builder()
            .reconnectDelay(
                Delay.fullJitter(
                    options.reconnectMinDelay(),
                    options.reconnectMaxDelay(),
                    2,
                    TimeUnit.MILLISECONDS))
            .nettyCustomizer(pipelineHook.apply(new ConnectionPipeline(meters)));
    // Commands are timed by inferis's own handler (CommandClock): Lettuce's recorder would wrap
    // every command to time it.
    resourcesBuilder.commandLatencyRecorder(CommandLatencyRecorder.disabled());
    if (borrowed != null) {
      NetTransport loops = transportOf(borrowed);
      if (loops != ConnectionTransport.current()) {
        throw new IllegalArgumentException(
            "eventLoop runs "
                + loops.label()
                + ", and Redis connections use "
                + ConnectionTransport.current().label()
                + " (NetTransport.ofConnections(): run the loop on that one)");
      }
      if (borrowed.inEventLoop()) {
        // Connecting waits for the handshake, which the loop itself would have to run.
        throw new IllegalStateException(
            "connect off the event loop the connector is given: connecting waits for that loop");
      }
      // Another library's loop: Lettuce runs on it and never stops it; one computation thread
      // serves the few tasks Lettuce runs off the loop (reconnect delays, topology refreshes).
      resourcesBuilder
          .eventLoopGroupProvider(new BorrowedLoop(borrowed))
          .computationThreadPoolSize(1);
    }
    this.resources = resourcesBuilder.build();
    for (RedisURI uri : url.uris()) {
      // Lettuce's default (60 s) bounds topology refreshes and Sentinel queries: a hung node
      // would stall them that long.
      uri.setTimeout(options.commandTimeout());
    }
    try {
      if (url.kind() == RedisUrl.Kind.CLUSTER) {
        this.client = null;
        this.connection = null;
        this.clusterClient = RedisClusterClient.create(resources, url.uris());
        clusterClient.setOptions(LettuceOptions.cluster(options));
        this.clusterConnection = reportingHandshake(() -> clusterClient.connect(CODEC));
        if (options.readFromReplicas()) {
          clusterConnection.setReadFrom(ReadFrom.REPLICA_PREFERRED);
        }
      } else {
        this.clusterClient = null;
        this.clusterConnection = null;
        this.client = RedisClient.create(resources);
        client.setOptions(LettuceOptions.client(options));
        this.connection = reportingHandshake(() -> client.connect(CODEC, url.uris().get(0)));
      }
    } catch (RuntimeException e) {
      shutdownQuietly();
      throw Exceptions.translate(e, url.redacted(), options.commandTimeout());
    }
    if (meters != null) {
      resources
          .eventExecutorGroup()
          .scheduleAtFixedRate(
              this::sampleMemory, 0, MEMORY_SAMPLE_PERIOD.toSeconds(), TimeUnit.SECONDS);
    }
  }

  /** Connection attempts that may lose their handshake's outcome to Lettuce before one reports. */
  private static final int HANDSHAKE_ATTEMPTS = 3;

  /**
   * {@code connect}, made again when Lettuce lost the handshake's outcome: when Redis refuses the
   * handshake (NOAUTH, WRONGPASS) the channel can close before Lettuce has reported the refusal,
   * and the attempt fails with "RedisHandshakeHandler not registered" or "Connection closed
   * prematurely" instead (on a loaded 2-core machine 2 in 750 connects without a password, 10 in
   * 750 with a wrong one). The next attempt reports the refusal; a connection that closes every
   * time fails as it did.
   */
  static <T> T reportingHandshake(Supplier<T> connect) {
    for (int attempt = 1; ; attempt++) {
      try {
        return connect.get();
      } catch (RuntimeException e) {
        if (attempt == HANDSHAKE_ATTEMPTS || !lostHandshake(e)) {
          throw e;
        }
      }
    }
  }

  /** True when {@code t} is Lettuce's report of a handshake whose outcome it did not see. */
  static boolean lostHandshake(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      boolean handlerGone =
          c instanceof IllegalStateException
              && "RedisHandshakeHandler not registered".equals(c.getMessage());
      boolean closedFirst =
          c instanceof RedisConnectionException
              && "Connection closed prematurely".equals(c.getMessage());
      if (handlerGone || closedFirst) {
        return true;
      }
    }
    return false;
  }

  /** How often each master's {@code used_memory} is read for {@link RedisMeters}. */
  private static final Duration MEMORY_SAMPLE_PERIOD = Duration.ofSeconds(10);

  /** Reads {@code INFO memory} of every master, without waiting: a failed read leaves the last. */
  private void sampleMemory() {
    if (closed.get() || meters == null) {
      return;
    }
    if (clusterConnection != null) {
      for (RedisClusterNode node : clusterConnection.getPartitions()) {
        if (node.is(RedisClusterNode.NodeFlag.UPSTREAM)) {
          String name = node.getUri().getHost() + ":" + node.getUri().getPort();
          CommandRouter.connectionTo(clusterConnection, node)
              .thenCompose(c -> c.async().info("memory"))
              .thenAccept(info -> meters.memory(name, RedisMeters.usedMemory(info)));
        }
      }
    } else if (connection != null) {
      RedisURI uri = url.uris().get(0);
      // Behind Sentinel the address is the master's name: it moves with failovers.
      String name =
          url.kind() == RedisUrl.Kind.SENTINEL
              ? uri.getSentinelMasterId()
              : uri.getHost() + ":" + uri.getPort();
      connection
          .async()
          .info("memory")
          .thenAccept(info -> meters.memory(name, RedisMeters.usedMemory(info)));
    }
  }

  /**
   * Puts the options' credentials and hostname-verification mode on the URL's URIs (the cluster
   * client copies both to every node it discovers), refusing combinations that would silently not
   * do what was asked: credentials twice, or TLS material for a plain-text URL.
   */
  private static void applySecurity(RedisUrl url, RedisOptions options) {
    if (options.hasTlsMaterial() && !url.isTls()) {
      throw new IllegalArgumentException(
          "TLS certificates are configured but the URL does not use TLS (use rediss://,"
              + " rediss-cluster:// or rediss-sentinel://): "
              + url.redacted());
    }
    // A fresh copy: Lettuce keeps the array it is given (so it must not be cleared afterwards).
    char[] password = options.password();
    if (password != null && url.hasCredentials()) {
      throw new IllegalArgumentException(
          "credentials are given both in the URL and in the options; give them once: "
              + url.redacted());
    }
    for (RedisURI uri : url.uris()) {
      if (url.isTls()) {
        uri.setVerifyPeer(options.tlsVerifyHostname() ? SslVerifyMode.FULL : SslVerifyMode.CA);
      }
      if (password != null) {
        if (options.username() != null) {
          uri.setAuthentication(options.username(), password);
        } else {
          uri.setAuthentication(password);
        }
      }
    }
  }

  /**
   * {@code loop}'s transport (io_uring, epoll or NIO).
   *
   * @throws IllegalArgumentException if the loop runs another transport
   */
  static NetTransport transportOf(EventLoop loop) {
    if (loop instanceof IoEventLoop io) {
      for (NetTransport t : NetTransport.values()) {
        if (io.isIoType(t.ioHandler())) {
          return t;
        }
      }
    }
    throw new IllegalArgumentException(
        "eventLoop must run io_uring, epoll or NIO, was " + loop.getClass().getName());
  }

  /** Connects; see {@link RedisConnector#connect(String, RedisOptions)}. */
  static LettuceConnector connect(String url, RedisOptions options) {
    return connect(url, options, UnaryOperator.identity());
  }

  /**
   * {@link #connect(String, RedisOptions)} with {@code pipelineHook} wrapped around the customizer
   * that sets up every connection's pipeline: for tests that check what happens to a pipeline
   * unlike the one Lettuce builds.
   */
  static LettuceConnector connect(
      String url, RedisOptions options, UnaryOperator<NettyCustomizer> pipelineHook) {
    return new LettuceConnector(RedisUrl.parse(url), options, pipelineHook);
  }

  /**
   * The connector behind a {@link RedisConnector}; every connector inferis creates is one.
   *
   * @throws IllegalArgumentException for a foreign implementation
   */
  static LettuceConnector of(RedisConnector connector) {
    if (connector instanceof LettuceConnector c) {
      return c;
    }
    throw new IllegalArgumentException(
        "connector must come from RedisConnector.connect, was " + connector.getClass());
  }

  /**
   * Async commands on the shared connection; for a cluster they route by key slot (MOVED/ASK
   * followed by Lettuce).
   */
  RedisClusterAsyncCommands<byte[], byte[]> async() {
    return clusterConnection != null ? clusterConnection.async() : connection.async();
  }

  /** The standalone/Sentinel connection, or null for a cluster. */
  @Nullable StatefulRedisConnection<byte[], byte[]> connection() {
    return connection;
  }

  /** The cluster connection, or null for standalone/sentinel. */
  @Nullable StatefulRedisClusterConnection<byte[], byte[]> clusterConnection() {
    return clusterConnection;
  }

  /**
   * The typed exception for a failed command (see {@link Exceptions#translate}). In a cluster, a
   * timeout also triggers a topology refresh (at most one per second): a hung master that the
   * cluster has failed over keeps its TCP connection, so neither a reconnect nor a MOVED reply
   * would tell the client before the periodic refresh.
   */
  RuntimeException translate(Throwable failure) {
    RuntimeException e = Exceptions.translate(failure, endpoint(), options.commandTimeout());
    if (e instanceof RedisTimeoutException) {
      refreshTopologySoon();
    }
    return e;
  }

  /**
   * Asks a cluster client to re-read the topology now, at most once per second (a no-op for
   * standalone/Sentinel): after a timeout, or a MOVED/ASK reply on a node connection, which unlike
   * the routed API does not follow redirects or refresh by itself.
   */
  void refreshTopologySoon() {
    if (clusterClient == null || closed.get()) {
      return;
    }
    long now = System.nanoTime();
    long last = lastTimeoutRefresh.get();
    if (now - last >= REFRESH_GAP && lastTimeoutRefresh.compareAndSet(last, now)) {
      clusterClient.refreshPartitionsAsync();
    }
  }

  @Override
  public String endpoint() {
    return url.redacted();
  }

  @Override
  public boolean isCluster() {
    return clusterConnection != null;
  }

  @Override
  public RedisOptions options() {
    return options;
  }

  /** Where this connector's keyed commands go. */
  CommandRouter router() {
    return router;
  }

  /**
   * Dispatches {@code commands} on {@code conn}: at once, or, when called on a registered event
   * loop of another library (an HTTP server's), together with the other commands that loop sends in
   * the same turn; see {@link LoopTurnBatches}. {@code conn} is the standalone connection or a
   * cluster node's, never the routing cluster connection: its batch dispatch waits for node
   * connections to open, which on an event loop can wait for itself.
   */
  void send(
      StatefulRedisConnection<byte[], byte[]> conn,
      List<? extends RedisCommand<byte[], byte[], ?>> commands) {
    LoopTurnBatches.dispatch(conn, commands, ConnectionPipeline.FLUSH_EVERY_DURING_READ);
  }

  @Override
  public Optional<ServerLoops> serverLoops() {
    NetTransport transport = ConnectionTransport.current();
    // Lettuce's own pick (kqueue, say) where it is none of the three: no server channel to offer.
    if (transport.socketChannel() != Transports.socketChannelClass() || closed.get()) {
      return Optional.empty();
    }
    return Optional.of(new ServerLoops(loops(), transport.serverChannel()));
  }

  /** The group Lettuce runs this connector's connections on (the provider keeps one per type). */
  private synchronized EventLoopGroup loops() {
    if (loops == null) {
      loops = resources.eventLoopGroupProvider().allocate(Transports.eventLoopGroupClass());
    }
    return loops;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      if (connection != null) {
        connection.close();
      }
      if (clusterConnection != null) {
        clusterConnection.close();
      }
      shutdownQuietly();
    }
  }

  private void shutdownQuietly() {
    if (client != null) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (clusterClient != null) {
      clusterClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }

  @Override
  public String toString() {
    return "RedisConnector[" + url.redacted() + "]";
  }
}
