package io.inferis.audit.internal;

import java.util.List;
import java.util.function.Consumer;

/**
 * The audit's port to a keyspace: every key that matches a pattern, a page at a time, with what the
 * audit needs to know of it; and the one change the audit makes. Implemented on Redis in {@code
 * io.inferis.redis.internal} (every master of a cluster). Not API.
 */
public interface Keyspace {

  /** One key as a scan found it. */
  record KeyFacts(byte[] key, long pttlMillis, long bytes) {}

  /**
   * Calls {@code page} with every key matching {@code match} (SCAN's glob), at most {@code
   * pageSize} at a time, skipping keys that expired while they were looked at.
   */
  void scan(String match, int pageSize, Consumer<List<KeyFacts>> page);

  /**
   * Gives every key matching {@code match} that has no TTL when it is looked at a TTL of {@code
   * seconds}; keys with a TTL keep theirs. Returns how many keys got one.
   */
  long expireKeysWithoutTtl(String match, int pageSize, long seconds);

  /** The endpoint, for reports (no credentials). */
  String endpoint();
}
