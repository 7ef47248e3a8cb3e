package io.inferis.redis.internal;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.RedisCommand;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Where a connector's keyed commands go, and what happens when Redis says a key moved.
 *
 * <p>Standalone and Sentinel: the one connection. Cluster: each command goes on the shared
 * connection to the node that masters its key's slot in the client's current topology, so the
 * commands of one request for one node leave as one batch ({@link LettuceConnector#send}). A
 * MOVED/ASK answer there (the topology changed meanwhile) asks for a topology refresh and re-sends
 * the command through Lettuce's routing connection, which follows redirects. With no open
 * connection to the master yet, no known owner, or reads from replicas, Lettuce's routing picks the
 * node. Futures fail with inferis's exceptions ({@link LettuceConnector#translate}). Thread-safe.
 */
final class CommandRouter {

  /** A command bound for the node of its key, which can be made again for a re-send. */
  interface Keyed<T> {
    byte[] key();

    /** A new command: a command that failed cannot be sent again. */
    AsyncCommand<byte[], byte[], T> newCommand();
  }

  private final LettuceConnector connector;

  CommandRouter(LettuceConnector connector) {
    this.connector = connector;
  }

  /** One command, on the node of its key. */
  <T> CompletableFuture<T> send(Keyed<T> keyed) {
    StatefulRedisClusterConnection<byte[], byte[]> cluster = connector.clusterConnection();
    if (cluster == null) {
      AsyncCommand<byte[], byte[], T> c = keyed.newCommand();
      connector.send(connector.connection(), List.of(c));
      return translated(c);
    }
    if (!connector.options().readFromReplicas()) {
      RedisClusterNode node =
          cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(keyed.key()));
      StatefulRedisConnection<byte[], byte[]> conn =
          node == null ? null : openConnection(cluster, node);
      if (conn != null) {
        AsyncCommand<byte[], byte[], T> c = keyed.newCommand();
        CompletableFuture<T> out = redirectable(c, keyed);
        connector.send(conn, List.of(c));
        return out;
      }
    }
    return routedByLettuce(cluster, keyed);
  }

  /**
   * Every command of a request, made first and then written with one dispatch per node: one Netty
   * write and one socket flush per node, whatever the number of keys. Answered in order.
   */
  <T> List<CompletableFuture<T>> sendAll(List<? extends Keyed<T>> keyed) {
    StatefulRedisClusterConnection<byte[], byte[]> cluster = connector.clusterConnection();
    List<CompletableFuture<T>> out = new ArrayList<>(keyed.size());
    if (cluster == null) {
      List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>(keyed.size());
      for (Keyed<T> k : keyed) {
        AsyncCommand<byte[], byte[], T> c = k.newCommand();
        commands.add(c);
        out.add(translated(c));
      }
      connector.send(connector.connection(), commands);
      return out;
    }
    if (connector.options().readFromReplicas()) {
      for (Keyed<T> k : keyed) {
        out.add(routedByLettuce(cluster, k));
      }
      return out;
    }
    Partitions partitions = cluster.getPartitions();
    Map<RedisClusterNode, List<RedisCommand<byte[], byte[], ?>>> byNode = new LinkedHashMap<>();
    for (Keyed<T> k : keyed) {
      RedisClusterNode node = partitions.getPartitionBySlot(SlotHash.getSlot(k.key()));
      if (node == null) {
        // No owner known for the slot (topology changing): let Lettuce route this one.
        out.add(routedByLettuce(cluster, k));
        continue;
      }
      AsyncCommand<byte[], byte[], T> c = k.newCommand();
      byNode.computeIfAbsent(node, n -> new ArrayList<>()).add(c);
      out.add(redirectable(c, k));
    }
    for (Map.Entry<RedisClusterNode, List<RedisCommand<byte[], byte[], ?>>> e : byNode.entrySet()) {
      List<RedisCommand<byte[], byte[], ?>> group = e.getValue();
      CompletableFuture<StatefulRedisConnection<byte[], byte[]>> conn =
          connectionTo(cluster, e.getKey());
      if (isOpen(conn)) {
        connector.send(conn.join(), group);
      } else {
        // First use of this node: write once its connection is open (the commands carry their
        // deadlines, so the wait counts against them).
        conn.whenComplete(
            (c, err) -> {
              if (err != null) {
                group.forEach(cmd -> cmd.completeExceptionally(err));
              } else {
                c.dispatch(group);
              }
            });
      }
    }
    return out;
  }

  /**
   * The shared connection to {@code node} (Lettuce opens it on first use, asynchronously). Every
   * part of the connector asks by host and port: Lettuce keeps connections asked for by node id
   * apart, so asking by id would open a second connection to the node.
   */
  static CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connectionTo(
      StatefulRedisClusterConnection<byte[], byte[]> cluster, RedisClusterNode node) {
    RedisURI uri = node.getUri();
    return cluster.getConnectionAsync(uri.getHost(), uri.getPort());
  }

  private static @Nullable StatefulRedisConnection<byte[], byte[]> openConnection(
      StatefulRedisClusterConnection<byte[], byte[]> cluster, RedisClusterNode node) {
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> conn = connectionTo(cluster, node);
    return isOpen(conn) ? conn.join() : null;
  }

  private static boolean isOpen(CompletableFuture<StatefulRedisConnection<byte[], byte[]>> conn) {
    return conn.isDone() && !conn.isCompletedExceptionally();
  }

  /**
   * One command through Lettuce's routing connection, which picks the node by slot, opens its
   * connection asynchronously and follows redirects. The single-command dispatch: the routing
   * connection's batch dispatch waits for node connections to open (and would block an event loop).
   */
  private <T> CompletableFuture<T> routedByLettuce(
      StatefulRedisClusterConnection<byte[], byte[]> cluster, Keyed<T> keyed) {
    AsyncCommand<byte[], byte[], T> c = keyed.newCommand();
    cluster.dispatch(c);
    return translated(c);
  }

  /**
   * The answer of a command sent on a node connection, which does not follow redirects: MOVED or
   * ASK refreshes the topology and re-sends it through Lettuce's routing connection.
   */
  private <T> CompletableFuture<T> redirectable(CompletableFuture<T> sent, Keyed<T> keyed) {
    return sent.handle(
            (v, err) -> {
              if (err == null) {
                return CompletableFuture.completedFuture(v);
              }
              if (Exceptions.isRedirect(err)) {
                connector.refreshTopologySoon();
                return routedByLettuce(connector.clusterConnection(), keyed);
              }
              throw connector.translate(err);
            })
        .thenCompose(f -> f);
  }

  private <T> CompletableFuture<T> translated(CompletableFuture<T> sent) {
    return sent.handle(
        (v, err) -> {
          if (err != null) {
            throw connector.translate(err);
          }
          return v;
        });
  }
}
