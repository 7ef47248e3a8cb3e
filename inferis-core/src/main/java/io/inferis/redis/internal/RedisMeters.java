package io.inferis.redis.internal;

import io.inferis.LatencyBuckets;
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
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A connector's meters, per Redis node ({@code host:port}):
 *
 * <ul>
 *   <li>{@code inferis.redis.commands{node,command}}: each command's latency from its write to the
 *       read that answers it, a histogram on {@link LatencyBuckets}, timed by a {@code
 *       CommandClock} in each connection's pipeline. Lettuce's own Micrometer recorder publishes
 *       either client-side percentiles (which do not add up across pods) or about 70 buckets per
 *       series, and a second first-response timer; this is one timer on the buckets every other
 *       inferis latency uses;
 *   <li>{@code inferis.redis.connections{node}}: open connections;
 *   <li>{@code inferis.redis.used.memory{node}}: {@code used_memory} of each master, read by {@link
 *       #memory} every few seconds.
 * </ul>
 *
 * Series are bounded by nodes × command types inferis sends. Thread-safe.
 */
final class RedisMeters {

  private record CommandKey(SocketAddress node, ProtocolKeyword command) {}

  private final MeterRegistry registry;
  private final Map<CommandKey, Timer> timers = new ConcurrentHashMap<>();
  private final ChannelHandler connectionCounter = new ConnectionCounter();

  /**
   * The gauges' values by registry, then by meter and node, shared by every connector on a
   * registry: connectors that share one (a connector per event loop) add up in one gauge per node,
   * where a registry keeps the first gauge of a name and tags and would show that connector's count
   * alone. The values do not refer to their registry, which is only weakly held.
   */
  private static final Map<MeterRegistry, Map<String, AtomicLong>> GAUGES =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final Map<String, AtomicLong> gauges;

  RedisMeters(MeterRegistry registry) {
    this.registry = registry;
    this.gauges = GAUGES.computeIfAbsent(registry, r -> new ConcurrentHashMap<>());
  }

  /**
   * The timer of {@code command} on {@code node}, registered on first use; fed by each connection's
   * {@code CommandClock}.
   */
  Timer commandTimer(SocketAddress node, ProtocolKeyword command) {
    return timers.computeIfAbsent(
        new CommandKey(node, command),
        k ->
            Timer.builder("inferis.redis.commands")
                .description("Redis commands, write to reply, by node and command")
                .tag("node", node(k.node()))
                .tag("command", k.command().toString())
                .serviceLevelObjectives(LatencyBuckets.bounds())
                .register(registry));
  }

  /** Counts the connections of the channel it is added to. */
  ChannelHandler connectionCounter() {
    return connectionCounter;
  }

  /** Notes {@code bytes} as the memory {@code node} uses now. */
  void memory(String node, long bytes) {
    gauge(node, "inferis.redis.used.memory", "bytes", "used_memory of each master").set(bytes);
  }

  private AtomicLong connections(String node) {
    return gauge(node, "inferis.redis.connections", null, "open connections per node");
  }

  /**
   * The value behind the gauge {@code name} of {@code node}, registered on first use on this
   * registry.
   */
  private AtomicLong gauge(
      String node, String name, @Nullable String baseUnit, String description) {
    return gauges.computeIfAbsent(
        name + ' ' + node,
        key -> {
          AtomicLong v = new AtomicLong();
          Gauge.builder(name, v, AtomicLong::get)
              .description(description)
              .baseUnit(baseUnit)
              .tag("node", node)
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
