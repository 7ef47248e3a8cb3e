package io.inferis.bench;

import java.util.List;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.Connection;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPool;

/**
 * The incident's shape: a Jedis pool that opens a connection whenever none is free (max 2^31), and
 * one HGET per feature, each on a connection borrowed for it.
 */
final class NaiveJedisClient implements BlockingClient {

  /** One HGET, on whichever connection the pool lends; null when the field is absent. */
  private interface Hget extends AutoCloseable {
    byte[] hget(byte[] key, byte[] field);

    @Override
    void close();
  }

  private final Layout layout;
  private final byte[][] fields;
  private final int features;
  private final Hget redis;

  /** A pool on {@code nodes[0]}, or a JedisCluster seeded by it when {@code cluster}. */
  NaiveJedisClient(List<HostAndPort> nodes, boolean cluster, Layout layout) {
    this.layout = layout;
    this.fields = layout.fields();
    this.features = layout.refs().size();
    this.redis = cluster ? cluster(nodes.get(0)) : standalone(nodes.get(0));
  }

  private static Hget cluster(HostAndPort node) {
    GenericObjectPoolConfig<Connection> cfg = new GenericObjectPoolConfig<>();
    cfg.setMaxTotal(Integer.MAX_VALUE);
    cfg.setMaxIdle(Integer.MAX_VALUE);
    JedisCluster jc = new JedisCluster(node, 5000, 5000, 5, cfg);
    return new Hget() {
      @Override
      public byte[] hget(byte[] key, byte[] field) {
        return jc.hget(key, field);
      }

      @Override
      public void close() {
        jc.close();
      }
    };
  }

  private static Hget standalone(HostAndPort node) {
    GenericObjectPoolConfig<Jedis> cfg = new GenericObjectPoolConfig<>();
    cfg.setMaxTotal(Integer.MAX_VALUE);
    cfg.setMaxIdle(Integer.MAX_VALUE);
    JedisPool pool = new JedisPool(cfg, node.getHost(), node.getPort());
    return new Hget() {
      @Override
      public byte[] hget(byte[] key, byte[] field) {
        try (Jedis j = pool.getResource()) {
          return j.hget(key, field);
        }
      }

      @Override
      public void close() {
        pool.close();
      }
    };
  }

  @Override
  public int lookup(List<Integer> entities) {
    int n = 0;
    for (int e : entities) {
      byte[] key = layout.key(e);
      for (int f = 0; f < features; f++) {
        if (redis.hget(key, fields[f]) != null) {
          n++;
        }
      }
    }
    return n;
  }

  @Override
  public void close() {
    redis.close();
  }
}
