package io.inferis.features;

import io.inferis.redis.internal.LettuceConnector;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Hash operations on Redis over the shared connector: commands are dispatched without waiting for
 * replies, so a request's reads are pipelined (one round trip per node); in a cluster Lettuce
 * routes each by its key's slot.
 */
final class RedisHashStore implements HashStore {

  private final LettuceConnector connector;

  RedisHashStore(LettuceConnector connector) {
    this.connector = connector;
  }

  @Override
  public CompletableFuture<List<byte @Nullable []>> hmget(byte[] key, List<byte[]> fields) {
    RedisFuture<List<KeyValue<byte[], byte[]>>> f =
        connector.async().hmget(key, fields.toArray(new byte[0][]));
    return f.toCompletableFuture()
        .handle(
            (kvs, err) -> {
              if (err != null) {
                throw translate(err);
              }
              List<byte @Nullable []> out = new ArrayList<>(kvs.size());
              for (KeyValue<byte[], byte[]> kv : kvs) {
                out.add(kv.hasValue() ? kv.getValue() : null);
              }
              return out;
            });
  }

  @Override
  public CompletableFuture<List<byte @Nullable []>> hgetall(byte[] key, List<byte[]> fields) {
    return connector
        .async()
        .hgetall(key)
        .toCompletableFuture()
        .handle(
            (all, err) -> {
              if (err != null) {
                throw translate(err);
              }
              Map<java.nio.ByteBuffer, byte[]> byField = new java.util.HashMap<>(all.size() * 2);
              for (Map.Entry<byte[], byte[]> e : all.entrySet()) {
                byField.put(java.nio.ByteBuffer.wrap(e.getKey()), e.getValue());
              }
              List<byte @Nullable []> out = new ArrayList<>(fields.size());
              for (byte[] f : fields) {
                out.add(byField.get(java.nio.ByteBuffer.wrap(f)));
              }
              return out;
            });
  }

  @Override
  public CompletableFuture<Void> hset(List<HashWrite> writes, long ttlSeconds) {
    RedisClusterAsyncCommands<byte[], byte[]> redis = connector.async();
    List<CompletableFuture<?>> acks = new ArrayList<>(writes.size() * 2);
    for (HashWrite w : writes) {
      Map<byte[], byte[]> map = new LinkedHashMap<>();
      for (int i = 0; i < w.fields().size(); i++) {
        map.put(w.fields().get(i), w.values().get(i));
      }
      acks.add(redis.hset(w.key(), map).toCompletableFuture());
      if (ttlSeconds > 0) {
        acks.add(redis.expire(w.key(), ttlSeconds).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(acks.toArray(new CompletableFuture<?>[0]))
        .handle(
            (v, err) -> {
              if (err != null) {
                throw translate(err);
              }
              return null;
            });
  }

  @Override
  public String endpoint() {
    return connector.endpoint();
  }

  @Override
  public void close() {
    // The connector is shared and closed by its owner.
  }

  private RuntimeException translate(Throwable err) {
    return connector.translate(err);
  }
}
