package io.inferis.features;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The few hash operations Feast's layout needs, so one read/write path serves Redis and memory.
 * Keys, fields and values are raw bytes. Implementations are thread-safe and never block.
 */
interface HashStore extends AutoCloseable {

  /** One HMGET: the values of {@code fields} in order, null where absent. */
  CompletableFuture<List<byte @Nullable []>> hmget(byte[] key, List<byte[]> fields);

  /**
   * The same answer as {@link #hmget}, read with one HGETALL and picked client-side: on a small
   * (listpack) hash Redis scans the whole hash once per HMGET field, so when most of the hash is
   * wanted, HGETALL is several times cheaper for the server (docs/BENCHMARKS.md).
   */
  default CompletableFuture<List<byte @Nullable []>> hgetall(byte[] key, List<byte[]> fields) {
    return hmget(key, fields);
  }

  /**
   * The reads of one request, in order: {@link #hmget} or {@link #hgetall} each. The Redis store
   * sends them together, one write and flush per node. The default reads one by one.
   */
  default List<CompletableFuture<List<byte @Nullable []>>> readAll(List<? extends Read> reads) {
    List<CompletableFuture<List<byte @Nullable []>>> out = new java.util.ArrayList<>(reads.size());
    for (Read r : reads) {
      out.add(r.wholeHash() ? hgetall(r.key(), r.fields()) : hmget(r.key(), r.fields()));
    }
    return out;
  }

  /** One key's read: {@code fields} of {@code key}, by HGETALL when {@code wholeHash}. */
  interface Read {
    byte[] key();

    List<byte[]> fields();

    boolean wholeHash();
  }

  /**
   * Dispatches every write (HSET of its fields, then EXPIRE if {@code ttlSeconds > 0}) together and
   * completes when all are acknowledged.
   */
  CompletableFuture<Void> hset(List<HashWrite> writes, long ttlSeconds);

  /** The endpoint for error messages (no credentials). */
  String endpoint();

  @Override
  void close();

  /** One hash write: key and field → value pairs. */
  record HashWrite(byte[] key, List<byte[]> fields, List<byte[]> values) {}
}
