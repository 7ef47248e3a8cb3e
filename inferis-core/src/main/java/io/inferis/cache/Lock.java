package io.inferis.cache;

import java.time.Duration;

/**
 * A held lock. Only its owner (the holder of {@link #token()}) can release or extend it; a lock
 * whose owner died is free once its TTL passes. Thread-safe.
 */
public interface Lock extends AutoCloseable {

  /** The lock's key. */
  String key();

  /** The random owner token stored as the lock's value. */
  String token();

  /**
   * Releases the lock if this owner still holds it (compare-and-delete).
   *
   * @return false if the lock had expired or was taken by another owner
   */
  boolean release();

  /**
   * Resets the TTL to {@code ttl} if this owner still holds the lock.
   *
   * @return false if the lock had expired or was taken by another owner
   */
  boolean extend(Duration ttl);

  /** {@link #release()}, ignoring the result. */
  @Override
  default void close() {
    release();
  }
}
