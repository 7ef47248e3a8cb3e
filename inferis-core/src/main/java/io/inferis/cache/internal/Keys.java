package io.inferis.cache.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by every backend, so both reject the same input the same way. */
public final class Keys {

  private Keys() {}

  /** {@code key}, checked: not null, not empty. */
  public static String requireKey(String key) {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    return key;
  }

  /** The TTL in milliseconds; at least 1 ms (Redis PX has millisecond precision). */
  public static long requireTtlMillis(Duration ttl) {
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
    }
    return ttl.toMillis();
  }
}
