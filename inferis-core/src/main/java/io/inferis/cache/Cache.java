package io.inferis.cache;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Keys with byte values and TTLs, time-windowed sorted sets whose bounds are enforced by the store
 * in the same atomic step as each write, and owner-token locks.
 *
 * <p>Two backends share these semantics exactly (one contract test kit runs on both): {@link
 * Caches#memory()} and {@link Caches#redis}. Implementations are thread-safe.
 *
 * <p><b>Time windows.</b> A window key is a sorted set of members scored by event time in epoch
 * milliseconds. {@link #append} adds a member, removes every member scored before <i>store now −
 * window</i>, drops the oldest beyond {@code maxMembers}, and sets the key's TTL to the window —
 * atomically, in one round trip. No in-process state is needed for these bounds to hold: a writer
 * killed at any moment leaves a key that expires one window after its last write, and a key written
 * forever keeps only the members of its last window (at most {@code maxMembers}).
 *
 * <p><b>Errors.</b> Invalid arguments throw {@link IllegalArgumentException} naming the argument.
 * An unreachable or slow store throws {@link io.inferis.redis.RedisUnavailableException} (or its
 * subclass {@link io.inferis.redis.RedisTimeoutException}) naming the endpoint, within the
 * configured command timeout. A key of the wrong type throws {@link WrongTypeException}. A miss is
 * a value ({@link Optional#empty()}, {@link KeyTtl#missing()}, an empty list, 0), never an
 * exception.
 */
public interface Cache extends AutoCloseable {

  /** The value of {@code key}, or empty if it does not exist (or has expired). */
  Optional<byte[]> get(String key);

  /** Sets {@code key} to {@code value} with no TTL, replacing any value and TTL. */
  void set(String key, byte[] value);

  /**
   * Sets {@code key} to {@code value}, expiring after {@code ttl} (millisecond precision).
   *
   * @throws IllegalArgumentException if {@code ttl} is not positive
   */
  void set(String key, byte[] value, Duration ttl);

  /** Deletes {@code key} of any type; returns whether it existed. */
  boolean delete(String key);

  /** The remaining time to live of {@code key}. */
  KeyTtl ttl(String key);

  /**
   * Appends one member to a time window; see the class comment.
   *
   * @return the number of members in the window after the append
   */
  long append(WindowAppend append);

  /** {@code append(WindowAppend.of(key, member, eventTimeMillis, window))}. */
  default long append(String key, String member, long eventTimeMillis, Duration window) {
    return append(WindowAppend.of(key, member, eventTimeMillis, window));
  }

  /** {@code append(WindowAppend.of(key, member, eventTimeMillis, window).maxMembers(max))}. */
  default long append(
      String key, String member, long eventTimeMillis, Duration window, int maxMembers) {
    return append(WindowAppend.of(key, member, eventTimeMillis, window).withMaxMembers(maxMembers));
  }

  /**
   * Many appends, to any keys, in one pipelined round trip per node. Each append is atomic on its
   * own; the batch is not a transaction.
   *
   * @return the window sizes after each append, in order
   */
  List<Long> appendAll(List<WindowAppend> appends);

  /**
   * The members of window {@code key} scored between {@code fromMillis} and {@code toMillis} (both
   * inclusive), in score order; members with equal scores in byte order of the member.
   */
  List<ScoredMember> range(String key, long fromMillis, long toMillis);

  /** Removes members scored before {@code beforeMillis}; returns how many were removed. */
  long trim(String key, long beforeMillis);

  /** The number of members in window {@code key} (0 if it does not exist). */
  long size(String key);

  /**
   * Tries to take the lock {@code key} for {@code ttl}, waiting up to {@code waitTimeout} (zero:
   * one attempt) while another owner holds it.
   *
   * @return the held lock, or empty if it was still held by another owner when the wait ended
   * @throws IllegalArgumentException if {@code ttl} is not positive or {@code waitTimeout} negative
   */
  Optional<Lock> tryLock(String key, Duration ttl, Duration waitTimeout);

  /**
   * The store's clock in epoch milliseconds: Redis's {@code TIME} for Redis, the injected clock for
   * memory. Windows are trimmed against this clock.
   */
  long nowMillis();

  /**
   * Releases what this cache owns. A cache built on a shared {@link
   * io.inferis.redis.RedisConnector} leaves the connector open.
   */
  @Override
  void close();
}
