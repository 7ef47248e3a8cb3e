package io.inferis.bench;

import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.util.ArrayList;
import java.util.List;

/**
 * Feast's legacy Java serving shape: one Lettuce HMGET future per entity on one connection, awaited
 * in request order.
 */
final class FeastJavaStyleClient implements BlockingClient {

  private final Layout layout;
  private final byte[][] fields;
  private final RedisClient client;
  private final RedisClusterClient clusterClient;
  private final StatefulRedisConnection<byte[], byte[]> conn;
  private final StatefulRedisClusterConnection<byte[], byte[]> clusterConn;
  private final RedisClusterAsyncCommands<byte[], byte[]> async;

  /** Connects to {@code nodes[0]}, or to the cluster the nodes form when {@code cluster}. */
  FeastJavaStyleClient(List<RedisURI> nodes, boolean cluster, Layout layout) {
    this.layout = layout;
    this.fields = layout.fields();
    this.client = cluster ? null : RedisClient.create(nodes.get(0));
    this.clusterClient = cluster ? RedisClusterClient.create(nodes) : null;
    this.conn = cluster ? null : client.connect(ByteArrayCodec.INSTANCE);
    this.clusterConn = cluster ? clusterClient.connect(ByteArrayCodec.INSTANCE) : null;
    this.async = cluster ? clusterConn.async() : conn.async();
  }

  @Override
  public int lookup(List<Integer> entities) throws Exception {
    List<RedisFuture<List<KeyValue<byte[], byte[]>>>> futures = new ArrayList<>(entities.size());
    for (int e : entities) {
      futures.add(async.hmget(layout.key(e), fields));
    }
    int n = 0;
    for (RedisFuture<List<KeyValue<byte[], byte[]>>> f : futures) {
      n += f.get().size();
    }
    return n;
  }

  @Override
  public void close() {
    if (clusterClient != null) {
      clusterConn.close();
      clusterClient.shutdown();
    } else {
      conn.close();
      client.shutdown();
    }
  }
}
