package io.inferis.bench;

import io.inferis.feast.EntityKeys;
import io.inferis.feast.FeatureValue;
import io.inferis.feast.FieldHashes;
import io.inferis.features.FeatureRef;
import io.inferis.features.FeatureStore;
import io.inferis.features.FeatureStoreOptions;
import io.inferis.features.FeatureStores;
import io.inferis.features.OnlineFeatures;
import io.inferis.redis.RedisConnector;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.JedisPool;

/** The clients the lookup benchmark compares; each answers one request synchronously. */
final class LookupClients {

  private LookupClients() {}

  /**
   * Command timeout as long as the baselines' (Lettuce's 60 s default), so (c) does not time out.
   */
  static final io.inferis.redis.RedisOptions BENCH_REDIS =
      io.inferis.redis.RedisOptions.builder()
          .commandTimeout(java.time.Duration.ofSeconds(60))
          .build();

  /** One client under test. */
  interface Client extends AutoCloseable {
    /** Looks up the scenario's features for {@code entities}; returns how many values it saw. */
    int lookup(List<Integer> entities) throws Exception;

    @Override
    void close();
  }

  /** A client whose lookups complete asynchronously (no thread blocks per request). */
  interface AsyncClient extends AutoCloseable {
    java.util.concurrent.CompletableFuture<?> lookup(List<Integer> entities);

    @Override
    void close();
  }

  /** inferis through its async API, as an event-driven server calls it. */
  static AsyncClient inferisAsync(
      String url, io.inferis.features.FeatureRepo repo, List<String> refs) {
    return inferisAsync(url, repo, refs, false);
  }

  /** {@link #inferisAsync}, sharing reads of entities in flight when {@code coalesce}. */
  static AsyncClient inferisAsync(
      String url, io.inferis.features.FeatureRepo repo, List<String> refs, boolean coalesce) {
    RedisConnector connector = RedisConnector.connect(url, BENCH_REDIS);
    FeatureStore store = store(connector, repo, coalesce);
    return new AsyncClient() {
      @Override
      public java.util.concurrent.CompletableFuture<?> lookup(List<Integer> entities) {
        return store.getOnlineFeatures(refs, rows(entities));
      }

      @Override
      public void close() {
        store.close();
        connector.close();
      }
    };
  }

  /** Precomputed keys and fields of a scenario, shared by the baselines. */
  record Layout(String project, List<FeatureRef> refs) {
    byte[] key(int entity) {
      return EntityKeys.redisKey(Map.of("driver_id", FeatureValue.ofInt64(entity)), project);
    }

    /** HMGET field list of one entity's hash: every feature field, then each view's _ts. */
    byte[][] fields() {
      List<byte[]> f = new ArrayList<>();
      Map<String, Boolean> views = new LinkedHashMap<>();
      for (FeatureRef r : refs) {
        f.add(FieldHashes.featureField(r.view(), r.feature()));
        views.put(r.view(), true);
      }
      for (String v : views.keySet()) {
        f.add(FieldHashes.timestampField(v));
      }
      return f.toArray(new byte[0][]);
    }
  }

  /** The inferis store the benchmark's inferis clients use, on its own connector. */
  private static FeatureStore store(
      RedisConnector connector, io.inferis.features.FeatureRepo repo) {
    return store(connector, repo, false);
  }

  private static FeatureStore store(
      RedisConnector connector, io.inferis.features.FeatureRepo repo, boolean coalesce) {
    return FeatureStores.redis(
        repo,
        connector,
        FeatureStoreOptions.builder()
            .inFlightLimit(256)
            .requestDeadline(java.time.Duration.ofSeconds(30))
            .coalesceReads(coalesce)
            .build());
  }

  private static List<Map<String, FeatureValue>> rows(List<Integer> entities) {
    List<Map<String, FeatureValue>> rows = new ArrayList<>(entities.size());
    for (int e : entities) {
      rows.add(Map.of("driver_id", FeatureValue.ofInt64(e)));
    }
    return rows;
  }

  /** inferis: FeatureStore.get over a shared connector. */
  static Client inferis(String url, io.inferis.features.FeatureRepo repo, List<String> refs) {
    RedisConnector connector = RedisConnector.connect(url, BENCH_REDIS);
    FeatureStore store = store(connector, repo);
    return new Client() {
      @Override
      public int lookup(List<Integer> entities) {
        OnlineFeatures r = store.get(refs, rows(entities));
        return r.rowCount() * r.features().size();
      }

      @Override
      public void close() {
        store.close();
        connector.close();
      }
    };
  }

  /**
   * The incident's shape: a pool that opens a connection whenever none is free (max 2^31), one HGET
   * per feature.
   */
  static Client naive(List<HostAndPort> nodes, boolean cluster, Layout layout) {
    byte[][] fields = layout.fields();
    int features = layout.refs().size();
    if (cluster) {
      GenericObjectPoolConfig<redis.clients.jedis.Connection> cfg = new GenericObjectPoolConfig<>();
      cfg.setMaxTotal(Integer.MAX_VALUE);
      cfg.setMaxIdle(Integer.MAX_VALUE);
      JedisCluster jc = new JedisCluster(nodes.get(0), 5000, 5000, 5, cfg);
      return new Client() {
        @Override
        public int lookup(List<Integer> entities) {
          int n = 0;
          for (int e : entities) {
            byte[] key = layout.key(e);
            for (int f = 0; f < features; f++) {
              if (jc.hget(key, fields[f]) != null) {
                n++;
              }
            }
          }
          return n;
        }

        @Override
        public void close() {
          jc.close();
        }
      };
    }
    GenericObjectPoolConfig<Jedis> cfg = new GenericObjectPoolConfig<>();
    cfg.setMaxTotal(Integer.MAX_VALUE);
    cfg.setMaxIdle(Integer.MAX_VALUE);
    JedisPool pool = new JedisPool(cfg, nodes.get(0).getHost(), nodes.get(0).getPort());
    return new Client() {
      @Override
      public int lookup(List<Integer> entities) {
        int n = 0;
        for (int e : entities) {
          byte[] key = layout.key(e);
          for (int f = 0; f < features; f++) {
            try (Jedis j = pool.getResource()) {
              if (j.hget(key, fields[f]) != null) {
                n++;
              }
            }
          }
        }
        return n;
      }

      @Override
      public void close() {
        pool.close();
      }
    };
  }

  /** Feast's legacy Java serving shape: one HMGET future per entity, awaited in request order. */
  static Client feastJava(List<RedisURI> nodes, boolean cluster, Layout layout) {
    byte[][] fields = layout.fields();
    RedisClient client = cluster ? null : RedisClient.create(nodes.get(0));
    RedisClusterClient clusterClient = cluster ? RedisClusterClient.create(nodes) : null;
    StatefulRedisConnection<byte[], byte[]> conn =
        cluster ? null : client.connect(ByteArrayCodec.INSTANCE);
    StatefulRedisClusterConnection<byte[], byte[]> cconn =
        cluster ? clusterClient.connect(ByteArrayCodec.INSTANCE) : null;
    RedisClusterAsyncCommands<byte[], byte[]> async = cluster ? cconn.async() : conn.async();
    return new Client() {
      @Override
      public int lookup(List<Integer> entities) throws Exception {
        List<RedisFuture<List<KeyValue<byte[], byte[]>>>> futures =
            new ArrayList<>(entities.size());
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
        if (cluster) {
          cconn.close();
          clusterClient.shutdown();
        } else {
          conn.close();
          client.shutdown();
        }
      }
    };
  }
}
