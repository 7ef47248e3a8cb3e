package io.inferis.features;

import io.inferis.features.internal.HashStore;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Reads of a key that is already being read the same way share that read: one command answers every
 * request that asked while it was in flight ({@link FeatureStoreOptions#coalesceReads}). A hot
 * entity asked for by many requests at once then costs Redis one read per round trip, not one per
 * request.
 *
 * <p>Only reads of the same key, the same request shape's fields (the {@link HashStore.Fields}
 * handle, compared by identity) and the same HMGET/HGETALL choice are shared. A request joins a
 * read only when that read's deadline is no later than its own, so no request waits past its
 * deadline for somebody else's read; otherwise it sends its own. The shared answer may predate a
 * write that finished after the read was sent and before the joining request began: a reader that
 * must see its own writes leaves this off (the default).
 */
final class CoalescingHashStore implements HashStore {

  private final HashStore inner;
  private final ConcurrentHashMap<ReadKey, InFlight> inFlight = new ConcurrentHashMap<>();

  CoalescingHashStore(HashStore inner) {
    this.inner = inner;
  }

  /** A read in flight and the deadline its command carries. */
  private record InFlight(CompletableFuture<List<byte @Nullable []>> reply, long deadlineNanos) {}

  /** Key bytes by content; fields by identity (one request shape's list). */
  private static final class ReadKey {
    final ByteBuffer key;
    final Fields fields;
    final boolean wholeHash;
    final int hash;

    ReadKey(byte[] key, Fields fields, boolean wholeHash) {
      this.key = ByteBuffer.wrap(key);
      this.fields = fields;
      this.wholeHash = wholeHash;
      this.hash =
          (this.key.hashCode() * 31 + System.identityHashCode(fields)) * 2 + (wholeHash ? 1 : 0);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof ReadKey k
          && k.hash == hash
          && k.fields == fields
          && k.wholeHash == wholeHash
          && k.key.equals(key);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  @Override
  public Fields prepare(List<byte[]> names) {
    return inner.prepare(names);
  }

  @Override
  public CompletableFuture<List<byte @Nullable []>> read(Read read, long deadlineNanos) {
    ReadKey k = new ReadKey(read.key(), read.fields(), read.wholeHash());
    CompletableFuture<List<byte @Nullable []>> shared = joinable(k, deadlineNanos);
    if (shared != null) {
      return shared;
    }
    CompletableFuture<List<byte @Nullable []>> reply = inner.read(read, deadlineNanos);
    register(k, reply, deadlineNanos);
    return reply;
  }

  /**
   * The reads not in flight go to the inner store together (its one write per node); the others
   * share the reads in flight.
   */
  @Override
  public List<CompletableFuture<List<byte @Nullable []>>> readAll(
      List<? extends Read> reads, long deadlineNanos) {
    // Null where a read still has to be sent, filled in below.
    List<CompletableFuture<List<byte @Nullable []>>> out = new ArrayList<>(reads.size());
    List<Read> toSend = new ArrayList<>(reads.size());
    List<ReadKey> keys = new ArrayList<>(reads.size());
    for (Read r : reads) {
      ReadKey k = new ReadKey(r.key(), r.fields(), r.wholeHash());
      CompletableFuture<List<byte @Nullable []>> shared = joinable(k, deadlineNanos);
      out.add(shared);
      if (shared == null) {
        toSend.add(r);
        keys.add(k);
      }
    }
    if (!toSend.isEmpty()) {
      List<CompletableFuture<List<byte @Nullable []>>> sent = inner.readAll(toSend, deadlineNanos);
      int next = 0;
      for (int i = 0; i < out.size(); i++) {
        if (out.get(i) == null) {
          CompletableFuture<List<byte @Nullable []>> reply = sent.get(next);
          register(keys.get(next++), reply, deadlineNanos);
          out.set(i, reply);
        }
      }
    }
    return out;
  }

  /** A copy of the in-flight read of {@code k} when it ends no later than {@code deadline}. */
  private @Nullable CompletableFuture<List<byte @Nullable []>> joinable(ReadKey k, long deadline) {
    InFlight f = inFlight.get(k);
    if (f == null || f.reply().isDone() || f.deadlineNanos() - deadline > 0) {
      return null;
    }
    // A copy: a caller that completes or cancels its future cannot touch the others'.
    return f.reply().copy();
  }

  /** Offers {@code reply} to later reads of {@code k} until it completes. */
  private void register(
      ReadKey k, CompletableFuture<List<byte @Nullable []>> reply, long deadline) {
    if (reply.isDone()) {
      return;
    }
    InFlight f = new InFlight(reply, deadline);
    if (inFlight.putIfAbsent(k, f) == null) {
      // Registered after the put: runs at once if the reply came meanwhile, so nothing stays.
      reply.whenComplete((v, e) -> inFlight.remove(k, f));
    }
  }

  /** Reads in flight that later reads can share: for tests. */
  int inFlight() {
    return inFlight.size();
  }

  @Override
  public CompletableFuture<Void> write(
      List<HashWrite> writes, long ttlSeconds, long deadlineNanos) {
    return inner.write(writes, ttlSeconds, deadlineNanos);
  }

  @Override
  public String endpoint() {
    return inner.endpoint();
  }

  @Override
  public void close() {
    inner.close();
  }
}
