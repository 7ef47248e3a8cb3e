package io.inferis.features.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The storage port of the feature store: the few hash operations Feast's layout needs, so one read
 * and write path serves Redis and memory. Keys, fields and values are raw bytes.
 *
 * <p>Every operation takes the request's deadline explicitly: {@code deadlineNanos} on the store's
 * {@link io.inferis.Ticker} (the one in its {@code FeatureStoreOptions}); a store may stop waiting
 * for an answer then. Implementations are thread-safe and never block the caller.
 */
public interface HashStore extends AutoCloseable {

  /**
   * The field names of one request shape, prepared by this store once and reused by every read of
   * that shape: an opaque handle whose form only the store that made it knows (the Redis store
   * keeps the names encoded as command arguments). Two reads of the same handle are reads of the
   * same fields, so a handle's identity can stand for its field list.
   */
  interface Fields {

    /** The field names, in the order answers come back. */
    List<byte[]> names();
  }

  /** Prepares {@code names} for reads; see {@link Fields}. */
  Fields prepare(List<byte[]> names);

  /** One key's read: its prepared fields, by HGETALL when {@code wholeHash}, else by HMGET. */
  interface Read {
    byte[] key();

    Fields fields();

    /**
     * Read with one HGETALL and pick the fields client-side: on a small (listpack) hash Redis scans
     * the whole hash once per HMGET field, so when most of the hash is wanted HGETALL is several
     * times cheaper for the server (docs/DESIGN.md). The answer is the same.
     */
    boolean wholeHash();
  }

  /** One read: the values of its fields in order, null where absent. */
  CompletableFuture<List<byte @Nullable []>> read(Read read, long deadlineNanos);

  /**
   * The reads of one request, answered in order. The Redis store sends them together, one write and
   * flush per node; the default reads one by one.
   */
  default List<CompletableFuture<List<byte @Nullable []>>> readAll(
      List<? extends Read> reads, long deadlineNanos) {
    List<CompletableFuture<List<byte @Nullable []>>> out = new ArrayList<>(reads.size());
    for (Read r : reads) {
      out.add(read(r, deadlineNanos));
    }
    return out;
  }

  /**
   * Writes every hash (its fields, and a TTL of {@code ttlSeconds} on the key when positive, in the
   * same atomic step) together; completes when all are acknowledged.
   */
  CompletableFuture<Void> write(List<HashWrite> writes, long ttlSeconds, long deadlineNanos);

  /** The endpoint, for error messages (no credentials). */
  String endpoint();

  /** Releases what the store holds; a store over a shared connector leaves the connector open. */
  @Override
  void close();

  /** One hash write: {@code fields.get(i)} is set to {@code values.get(i)}. */
  record HashWrite(byte[] key, List<byte[]> fields, List<byte[]> values) {}

  /** A {@link Fields} that is only its names: for stores that need no prepared form. */
  record PlainFields(List<byte[]> names) implements Fields {
    public PlainFields {
      names = List.copyOf(names);
    }
  }
}
