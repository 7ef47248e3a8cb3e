package io.inferis.redis.internal;

import io.inferis.LatencyBuckets;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A connector's meters, per Redis node ({@code host:port}):
 *
 * <ul>
 *   <li>{@code inferis.redis.commands{node,command}}: each command's latency from write to
 *       completion, a histogram on {@link LatencyBuckets}, fed by Lettuce's latency-recorder hook
 *       ({@link CommandLatencyRecorder}). Lettuce's own Micrometer recorder publishes either
 *       client-side percentiles (which do not add up across pods) or about 70 buckets per series,
 *       and a second first-response timer; this is one timer on the buckets every other inferis
 *       latency uses;
 *   <li>{@code inferis.redis.connections{node}}: open connections;
 *   <li>{@code inferis.redis.used.memory{node}}: {@code used_memory} of each master, read by {@link
 *       #memory} every few seconds.
 * </ul>
 *
 * Series are bounded by nodes × command types inferis sends. Thread-safe.
 */
final class RedisMeters implements CommandLatencyRecorder {

  private record CommandKey(SocketAddress node, ProtocolKeyword command) {}

  private final MeterRegistry registry;
  private final Map<CommandKey, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> connections = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> usedMemory = new ConcurrentHashMap<>();
  private final ChannelHandler connectionCounter = new ConnectionCounter();

  RedisMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void recordCommandLatency(
      SocketAddress local,
      SocketAddress remote,
      ProtocolKeyword commandType,
      long firstResponseLatency,
      long completionLatency) {
    timers
        .computeIfAbsent(
            new CommandKey(remote, commandType),
            k ->
                Timer.builder("inferis.redis.commands")
                    .description("Redis commands, write to completion, by node and command")
                    .tag("node", node(k.node()))
                    .tag("command", k.command().toString())
                    .serviceLevelObjectives(LatencyBuckets.bounds())
                    .register(registry))
        .record(completionLatency, TimeUnit.NANOSECONDS);
  }

  /** Counts the connections of the channel it is added to. */
  ChannelHandler connectionCounter() {
    return connectionCounter;
  }

  /** Notes {@code bytes} as the memory {@code node} uses now. */
  void memory(String node, long bytes) {
    gauge(usedMemory, node, "inferis.redis.used.memory", "bytes", "used_memory of each master")
        .set(bytes);
  }

  private AtomicLong connections(String node) {
    return gauge(connections, node, "inferis.redis.connections", null, "open connections per node");
  }

  /** The value behind the gauge {@code name} of {@code node}, registered on first use. */
  private AtomicLong gauge(
      Map<String, AtomicLong> gauges,
      String node,
      String name,
      @Nullable String baseUnit,
      String description) {
    return gauges.computeIfAbsent(
        node,
        n -> {
          AtomicLong v = new AtomicLong();
          Gauge.builder(name, v, AtomicLong::get)
              .description(description)
              .baseUnit(baseUnit)
              .tag("node", n)
              .strongReference(true)
              .register(registry);
          return v;
        });
  }

  static String node(SocketAddress address) {
    return address instanceof InetSocketAddress a
        ? a.getHostString() + ":" + a.getPort()
        : String.valueOf(address);
  }

  /** {@code used_memory} from the text of {@code INFO memory}; -1 if absent. */
  static long usedMemory(String info) {
    return InfoFields.number(info, "used_memory", -1);
  }

  /** The node a channel was counted under: its remote address may be gone once it is closed. */
  private static final AttributeKey<AtomicLong> COUNTED = AttributeKey.valueOf("inferis-node");

  @ChannelHandler.Sharable
  private final class ConnectionCounter extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      AtomicLong count = connections(node(ctx.channel().remoteAddress()));
      count.incrementAndGet();
      ctx.channel().attr(COUNTED).set(count);
      super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
      AtomicLong count = ctx.channel().attr(COUNTED).getAndSet(null);
      if (count != null) {
        count.decrementAndGet();
      }
      super.channelInactive(ctx);
    }
  }
}
