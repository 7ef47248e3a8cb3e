package io.inferis.audit.internal;

import java.util.List;
import java.util.function.Predicate;

/**
 * The audit's port to a keyspace: every key that matches a pattern, a page at a time, with what the
 * audit needs to know of it; and the one change the audit makes. Implemented on Redis in {@code
 * io.inferis.redis.internal} (every master of a cluster). Not API.
 */
public interface Keyspace {

  /**
   * One key as a scan found it.
   *
   * @param key the key's bytes
   * @param type its Redis type ({@code string}, {@code hash}, {@code zset}, ...)
   * @param pttlMillis its TTL in milliseconds, -1 for none
   * @param bytes its memory by {@code MEMORY USAGE}
   * @param idleSeconds seconds since it was last read or written ({@code OBJECT IDLETIME}), -1 when
   *     the server does not track it (an LFU eviction policy)
   * @param members its elements (fields, members, entries; a string's length), -1 if unknown
   */
  record KeyFacts(
      byte[] key, String type, long pttlMillis, long bytes, long idleSeconds, long members) {}

  /**
   * Calls {@code page} with every key matching {@code match} (SCAN's glob), at most {@code
   * pageSize} at a time, skipping keys that expired while they were looked at, until {@code page}
   * answers false. Masters of a cluster are scanned in parallel, at most {@code parallelism} at a
   * time (0: all); {@code page} is called by one thread at a time.
   */
  void scan(String match, int pageSize, int parallelism, Predicate<List<KeyFacts>> page);

  /**
   * Gives every key matching {@code match} that has no TTL a TTL of {@code seconds}, in one atomic
   * step per key that leaves a key with a TTL untouched (so a rerun, or a writer setting its own
   * TTL meanwhile, is never shortened). Returns how many keys got one.
   */
  long expireKeysWithoutTtl(String match, int pageSize, long seconds);

  /** Keys in the whole keyspace (every master), for progress; -1 if unknown. */
  long size();

  /** The endpoint, for reports (no credentials). */
  String endpoint();
}
