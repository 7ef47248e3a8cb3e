package io.inferis.features;

import io.inferis.redis.internal.LettuceConnector;
import io.inferis.redis.internal.LuaScript;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
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

  /**
   * ARGV: ttl seconds, then field, value pairs. HSET and EXPIRE in one atomic step, so a writer
   * that dies between the two cannot leave a hash without its TTL. HSET goes in chunks of 1,000
   * pairs: Lua's {@code unpack} is limited to ~8,000 values.
   */
  static final LuaScript HSET_EXPIRE =
      new LuaScript(
          "for i = 2, #ARGV, 2000 do\n"
              + "  redis.call('HSET', KEYS[1], unpack(ARGV, i, math.min(i + 1999, #ARGV)))\n"
              + "end\n"
              + "return redis.call('EXPIRE', KEYS[1], ARGV[1])\n");

  @Override
  public CompletableFuture<Void> hset(List<HashWrite> writes, long ttlSeconds) {
    RedisClusterAsyncCommands<byte[], byte[]> redis = connector.async();
    List<CompletableFuture<?>> acks = new ArrayList<>(writes.size());
    for (HashWrite w : writes) {
      if (ttlSeconds > 0) {
        byte[][] args = new byte[1 + 2 * w.fields().size()][];
        args[0] = Long.toString(ttlSeconds).getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < w.fields().size(); i++) {
          args[1 + 2 * i] = w.fields().get(i);
          args[2 + 2 * i] = w.values().get(i);
        }
        acks.add(HSET_EXPIRE.run(redis, ScriptOutputType.INTEGER, new byte[][] {w.key()}, args));
      } else {
        Map<byte[], byte[]> map = new LinkedHashMap<>();
        for (int i = 0; i < w.fields().size(); i++) {
          map.put(w.fields().get(i), w.values().get(i));
        }
        acks.add(redis.hset(w.key(), map).toCompletableFuture());
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
