package io.inferis.testing;

import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;

/**
 * A real Redis Cluster of 3 masters and 3 replicas on loopback, formed with plain commands over a
 * client connection (CLUSTER MEET, ADDSLOTS, REPLICATE), with a short {@code cluster-node-timeout}
 * so failures are detected in about a second.
 *
 * <p>Nodes 0–2 start as masters of slots 0–5460, 5461–10922 and 10923–16383; node {@code 3+i}
 * replicates node {@code i}. After a failover the roles move; {@link #masters()} reads them from
 * the cluster.
 */
public final class RedisCluster implements RedisDeployment {

  /** {@code cluster-node-timeout} of every node, in milliseconds. */
  public static final int NODE_TIMEOUT_MS = 1500;

  private static final Duration FORM_TIMEOUT = Duration.ofSeconds(60);
  private static final int[][] SLOT_RANGES = {{0, 5460}, {5461, 10922}, {10923, 16383}};

  private final List<RedisNode> nodes;
  private final RedisSecurity security;

  private RedisCluster(List<RedisNode> nodes, RedisSecurity security) {
    this.nodes = nodes;
    this.security = security;
  }

  /** Starts 6 nodes, forms the cluster and waits until it is healthy. */
  public static RedisCluster start(String name) {
    return start(name, RedisSecurity.none());
  }

  /**
   * Starts 6 nodes secured as {@code security} says (under TLS the cluster bus and replication use
   * TLS too), forms the cluster and waits until it is healthy.
   */
  public static RedisCluster start(String name, RedisSecurity security) {
    List<String> conf =
        List.of(
            "cluster-enabled yes",
            "cluster-config-file nodes.conf",
            "cluster-node-timeout " + NODE_TIMEOUT_MS,
            "cluster-require-full-coverage no",
            "cluster-replica-validity-factor 0",
            "repl-diskless-sync yes",
            "repl-diskless-sync-delay 0");
    List<RedisNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        nodes.add(RedisNode.start(name + "-" + i, conf, true, false, security));
      }
      RedisCluster cluster = new RedisCluster(List.copyOf(nodes), security);
      cluster.form();
      return cluster;
    } catch (RuntimeException e) {
      nodes.forEach(RedisNode::close);
      throw e;
    }
  }

  private void form() {
    RedisNode first = nodes.get(0);
    for (RedisNode n : nodes.subList(1, nodes.size())) {
      first.call(c -> c.clusterMeet(n.host(), n.port()));
    }
    for (int m = 0; m < 3; m++) {
      int[] slots = IntStream.rangeClosed(SLOT_RANGES[m][0], SLOT_RANGES[m][1]).toArray();
      nodes.get(m).call(c -> c.clusterAddSlots(slots));
    }
    awaitUntil("all 6 nodes know each other", () -> nodes.stream().allMatch(this::knowsAll));
    for (int m = 0; m < 3; m++) {
      String masterId = nodes.get(m).call(c -> c.clusterMyId());
      nodes.get(m + 3).call(c -> c.clusterReplicate(masterId));
    }
    awaitHealthy();
  }

  private boolean knowsAll(RedisNode n) {
    List<String> lines = clusterNodes(n);
    return lines.size() == nodes.size() && lines.stream().noneMatch(l -> l.contains("handshake"));
  }

  /**
   * Waits until every running node reports {@code cluster_state:ok}, no node is flagged
   * fail/pfail/handshake/noaddr, there are 3 masters owning all slots, and every replica's link to
   * its master is up.
   */
  public void awaitHealthy() {
    awaitUntil("cluster healthy", this::isHealthy);
  }

  /** See {@link #awaitHealthy()}; a snapshot check. */
  public boolean isHealthy() {
    try {
      for (RedisNode n : nodes) {
        if (!n.isRunning() || n.isPaused()) {
          return false;
        }
        if (!"ok".equals(Admin.parseInfo(n.call(c -> c.clusterInfo())).get("cluster_state"))) {
          return false;
        }
        List<String> lines = clusterNodes(n);
        if (lines.size() != nodes.size()
            || lines.stream().anyMatch(l -> l.matches(".*\\b(fail\\??|handshake|noaddr)\\b.*"))) {
          return false;
        }
        Map<String, String> repl = n.info("replication");
        if ("slave".equals(repl.get("role")) && !"up".equals(repl.get("master_link_status"))) {
          return false;
        }
      }
      return masters().size() == 3 && replicas().size() == 3;
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** All six nodes in start order, whatever their current role. */
  @Override
  public List<RedisNode> nodes() {
    return nodes;
  }

  /** The nodes that are masters now, as the first reachable node sees it. */
  public List<RedisNode> masters() {
    return byRole("master");
  }

  /** The nodes that are replicas now. */
  public List<RedisNode> replicas() {
    return byRole("slave");
  }

  /** The master that owns {@code key}'s slot now. */
  public RedisNode masterFor(String key) {
    return masterForSlot(SlotHash.getSlot(key));
  }

  /** The master that owns {@code slot} now. */
  public RedisNode masterForSlot(int slot) {
    for (String line : clusterNodes(anyReachable())) {
      String[] f = line.split(" ");
      if (!f[2].contains("master") || f[2].contains("fail")) {
        continue;
      }
      for (int i = 8; i < f.length; i++) {
        String[] range = f[i].split("-");
        if (range[0].startsWith("[")) {
          continue;
        }
        int lo = Integer.parseInt(range[0]);
        int hi = range.length > 1 ? Integer.parseInt(range[1]) : lo;
        if (slot >= lo && slot <= hi) {
          return byAddress(f[1]);
        }
      }
    }
    throw new IllegalStateException("no master owns slot " + slot);
  }

  /** The replicas of {@code master} now. */
  public List<RedisNode> replicasOf(RedisNode master) {
    String masterId = master.call(c -> c.clusterMyId());
    return clusterNodes(anyReachable()).stream()
        .map(l -> l.split(" "))
        .filter(f -> f[2].contains("slave") && f[3].equals(masterId))
        .map(f -> byAddress(f[1]))
        .collect(Collectors.toList());
  }

  /**
   * Runs {@code CLUSTER FAILOVER} on a replica of {@code master} and waits until the replica is a
   * master and the cluster is healthy again.
   *
   * @return the promoted node
   */
  public RedisNode failover(RedisNode master) {
    RedisNode replica = replicasOf(master).get(0);
    // A manual failover that the master does not acknowledge in time (5 s, e.g. while it is still
    // catching up after an earlier fault) is dropped by the replica without an error: ask again.
    long[] askedAt = {System.nanoTime() - MANUAL_FAILOVER_RETRY.toNanos() - 1};
    awaitUntil(
        "failover of " + master + " to " + replica,
        () -> {
          if ("master".equals(replica.info("replication").get("role"))) {
            return true;
          }
          if (System.nanoTime() - askedAt[0] > MANUAL_FAILOVER_RETRY.toNanos()) {
            askedAt[0] = System.nanoTime();
            replica.call(c -> c.clusterFailover(false));
          }
          return false;
        });
    awaitHealthy();
    return replica;
  }

  /**
   * Comma-separated seed URI the product accepts: {@code redis-cluster://h1:p1,h2:p2,...} ({@code
   * rediss-cluster://} and credentials when secured).
   */
  @Override
  public String uri() {
    return security.urlPrefix(true)
        + nodes.stream().map(n -> n.host() + ":" + n.port()).collect(Collectors.joining(","));
  }

  @Override
  public RedisSecurity security() {
    return security;
  }

  /** FLUSHALL on every master. */
  @Override
  public void flushAll() {
    masters().forEach(RedisNode::flushAll);
  }

  @Override
  public boolean isUsable() {
    return isHealthy();
  }

  @Override
  public void close() {
    nodes.forEach(RedisNode::close);
  }

  private List<RedisNode> byRole(String role) {
    return clusterNodes(anyReachable()).stream()
        .map(l -> l.split(" "))
        .filter(f -> Arrays.asList(f[2].split(",")).contains(role) && !f[2].contains("fail"))
        .map(f -> byAddress(f[1]))
        .collect(Collectors.toList());
  }

  private RedisNode anyReachable() {
    return nodes.stream()
        .filter(n -> n.isRunning() && !n.isPaused())
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no cluster node is running"));
  }

  private RedisNode byAddress(String addr) {
    // "127.0.0.1:30001@40001" or, in 7.0, "127.0.0.1:30001@40001,hostname"
    String hostPort = addr.split("@")[0];
    int port = Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    return nodes.stream()
        .filter(n -> n.port() == port)
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("unknown node " + addr));
  }

  private static List<String> clusterNodes(RedisNode n) {
    return Arrays.stream(n.call(c -> c.clusterNodes()).split("\n"))
        .map(String::trim)
        .filter(l -> !l.isEmpty())
        .collect(Collectors.toList());
  }

  /**
   * Longer than Redis's manual-failover timeout (5 s), after which an unfinished one is dropped.
   */
  private static final Duration MANUAL_FAILOVER_RETRY = Duration.ofSeconds(8);

  private static void awaitUntil(String what, java.util.concurrent.Callable<Boolean> condition) {
    Awaitility.await(what)
        .atMost(FORM_TIMEOUT)
        .pollInterval(Duration.ofMillis(100))
        .pollInSameThread()
        .ignoreExceptions()
        .until(condition);
  }
}
