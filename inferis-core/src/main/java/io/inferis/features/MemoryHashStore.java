package io.inferis.features;

import io.inferis.features.internal.HashStore;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Hashes in memory with the layout bytes Redis would hold, so the memory store answers exactly as
 * Redis does. Whole-key TTL on the injected clock, enforced on access. Thread-safe: each key's hash
 * is replaced or updated inside {@link ConcurrentHashMap#compute}.
 */
final class MemoryHashStore implements HashStore {

  private final ConcurrentHashMap<ByteBuffer, Hash> hashes = new ConcurrentHashMap<>();
  private final InstantSource clock;

  MemoryHashStore(InstantSource clock) {
    this.clock = clock;
  }

  @Override
  public Fields prepare(List<byte[]> names) {
    return new PlainFields(names);
  }

  /** Answers at once: a memory read cannot miss a deadline. */
  @Override
  public CompletableFuture<List<byte @Nullable []>> read(Read read, long deadlineNanos) {
    byte[] key = read.key();
    List<byte[]> fields = read.fields().names();
    long now = clock.millis();
    Hash h = hashes.get(ByteBuffer.wrap(key));
    List<byte @Nullable []> out = new ArrayList<>(fields.size());
    if (h != null && h.expireAt <= now) {
      hashes.remove(ByteBuffer.wrap(key), h);
      h = null;
    }
    for (byte[] f : fields) {
      byte[] v = h == null ? null : h.fields.get(ByteBuffer.wrap(f));
      out.add(v == null ? null : v.clone());
    }
    return CompletableFuture.completedFuture(out);
  }

  @Override
  public CompletableFuture<Void> write(
      List<HashWrite> writes, long ttlSeconds, long deadlineNanos) {
    long now = clock.millis();
    for (HashWrite w : writes) {
      hashes.compute(
          ByteBuffer.wrap(w.key().clone()),
          (k, h) -> {
            Hash next = h == null || h.expireAt <= now ? new Hash() : h;
            for (int i = 0; i < w.fields().size(); i++) {
              next.fields.put(
                  ByteBuffer.wrap(w.fields().get(i).clone()), w.values().get(i).clone());
            }
            if (ttlSeconds > 0) {
              next.expireAt = now + ttlSeconds * 1000;
            }
            return next;
          });
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public String endpoint() {
    return "memory";
  }

  @Override
  public void close() {
    hashes.clear();
  }

  /** Number of keys held (tests). */
  int size() {
    return hashes.size();
  }

  private static final class Hash {
    final ConcurrentHashMap<ByteBuffer, byte[]> fields = new ConcurrentHashMap<>();
    volatile long expireAt = Long.MAX_VALUE;
  }
}
