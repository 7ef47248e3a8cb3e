package io.inferis.testing;

import io.lettuce.core.RedisURI;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A Sentinel group on loopback: one master, one replica and three sentinels with quorum 2 and short
 * timeouts ({@value #DOWN_AFTER_MS} ms down-after), so a failover completes in a few seconds.
 */
public final class RedisSentinelGroup implements RedisDeployment {

  /** The monitored master's name. */
  public static final String MASTER_NAME = "mymaster";

  /** {@code sentinel down-after-milliseconds}. */
  public static final int DOWN_AFTER_MS = 1000;

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final List<RedisNode> servers;
  private final List<RedisNode> sentinels;

  private RedisSentinelGroup(List<RedisNode> servers, List<RedisNode> sentinels) {
    this.servers = servers;
    this.sentinels = sentinels;
  }

  /** Starts the group and waits until every sentinel sees the master, the replica and its peers. */
  public static RedisSentinelGroup start(String name) {
    List<RedisNode> started = new ArrayList<>();
    try {
      RedisNode master = RedisNode.start(name + "-master", List.of(), false, false);
      started.add(master);
      RedisNode replica =
          RedisNode.start(
              name + "-replica",
              List.of("replicaof " + master.host() + " " + master.port()),
              false,
              false);
      started.add(replica);
      List<RedisNode> sentinels = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        RedisNode s =
            RedisNode.start(
                name + "-sentinel-" + i,
                List.of(
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 2",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER_MS,
                    "sentinel failover-timeout " + MASTER_NAME + " 5000",
                    "sentinel parallel-syncs " + MASTER_NAME + " 1"),
                false,
                true);
        started.add(s);
        sentinels.add(s);
      }
      RedisSentinelGroup group = new RedisSentinelGroup(List.of(master, replica), sentinels);
      group.awaitReady();
      return group;
    } catch (RuntimeException e) {
      started.forEach(RedisNode::close);
      throw e;
    }
  }

  /** Waits until each sentinel reports the master up with 1 replica and 2 other sentinels. */
  public void awaitReady() {
    Awaitility.await("sentinel group ready")
        .atMost(READY_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .pollInSameThread()
        .ignoreExceptions()
        .until(this::isReady);
  }

  private boolean isReady() {
    for (RedisNode s : sentinels) {
      Map<String, String> m = sentinelMaster(s);
      if (!"master".equals(m.get("flags"))
          || !"1".equals(m.get("num-slaves"))
          || !"2".equals(m.get("num-other-sentinels"))) {
        return false;
      }
    }
    RedisNode master = master();
    return "1".equals(master.info("replication").get("connected_slaves"));
  }

  /** The data node that the sentinels currently name as master. */
  public RedisNode master() {
    Map<String, String> m = sentinelMaster(sentinels.get(0));
    int port = Integer.parseInt(m.get("port"));
    return servers.stream().filter(n -> n.port() == port).findFirst().orElseThrow();
  }

  /** The three sentinel processes. */
  public List<RedisNode> sentinels() {
    return sentinels;
  }

  /** The master and the replica, in start order. */
  @Override
  public List<RedisNode> nodes() {
    return servers;
  }

  /** {@code redis-sentinel://h:p1,h:p2,h:p3/mymaster}. */
  @Override
  public String uri() {
    return "redis-sentinel://"
        + sentinels.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","))
        + "/"
        + MASTER_NAME;
  }

  /**
   * Asks a sentinel to fail over now ({@code SENTINEL FAILOVER}) and waits until every sentinel
   * names the other node as master and the group is ready again.
   *
   * @return the new master
   */
  public RedisNode failover() {
    RedisNode old = master();
    try (StatefulRedisSentinelConnection<String, String> c =
        Admin.client().connectSentinel(sentinels.get(0).redisUri())) {
      c.sync().failover(MASTER_NAME);
    }
    Awaitility.await("sentinel failover away from " + old)
        .atMost(READY_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .pollInSameThread()
        .ignoreExceptions()
        .until(
            () ->
                sentinels.stream()
                    .allMatch(s -> Integer.parseInt(sentinelMaster(s).get("port")) != old.port()));
    awaitReady();
    return master();
  }

  @Override
  public void flushAll() {
    master().flushAll();
  }

  @Override
  public boolean isUsable() {
    try {
      return servers.stream().allMatch(RedisNode::isUsable)
          && sentinels.stream().allMatch(RedisNode::isUsable)
          && isReady();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @Override
  public void close() {
    sentinels.forEach(RedisNode::close);
    servers.forEach(RedisNode::close);
  }

  private static Map<String, String> sentinelMaster(RedisNode sentinel) {
    RedisURI uri = sentinel.redisUri();
    try (StatefulRedisSentinelConnection<String, String> c = Admin.client().connectSentinel(uri)) {
      return c.sync().master(MASTER_NAME);
    }
  }
}
