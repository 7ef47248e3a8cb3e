package io.inferis.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * The time to live of a key: {@linkplain #isMissing() missing}, {@linkplain #isPersistent()
 * persistent} (no TTL) or expiring after {@link #remaining()}. Immutable.
 */
public final class KeyTtl {

  private static final KeyTtl MISSING = new KeyTtl(-2);
  private static final KeyTtl PERSISTENT = new KeyTtl(-1);

  private final long millis;

  private KeyTtl(long millis) {
    this.millis = millis;
  }

  /** The key does not exist. */
  public static KeyTtl missing() {
    return MISSING;
  }

  /** The key exists and has no TTL. */
  public static KeyTtl persistent() {
    return PERSISTENT;
  }

  /** The key expires after {@code remainingMillis} (at least 0). */
  public static KeyTtl expiresIn(long remainingMillis) {
    if (remainingMillis < 0) {
      throw new IllegalArgumentException("remainingMillis must be >= 0, was " + remainingMillis);
    }
    return new KeyTtl(remainingMillis);
  }

  /** Maps Redis's {@code PTTL} reply: -2 missing, -1 persistent, else milliseconds left. */
  public static KeyTtl fromPttl(long pttl) {
    if (pttl == -2) {
      return MISSING;
    }
    if (pttl == -1) {
      return PERSISTENT;
    }
    return expiresIn(Math.max(0, pttl));
  }

  /** True if the key does not exist. */
  public boolean isMissing() {
    return millis == -2;
  }

  /** True if the key exists without a TTL. */
  public boolean isPersistent() {
    return millis == -1;
  }

  /** True if the key exists and will expire. */
  public boolean isExpiring() {
    return millis >= 0;
  }

  /**
   * Time left before expiry.
   *
   * @throws IllegalStateException if the key is missing or persistent
   */
  public Duration remaining() {
    if (!isExpiring()) {
      throw new IllegalStateException("no remaining time: key is " + this);
    }
    return Duration.ofMillis(millis);
  }

  /** Redis's {@code PTTL} encoding of this value. */
  public long toPttl() {
    return millis;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeyTtl k && k.millis == millis;
  }

  @Override
  public int hashCode() {
    return Objects.hashCode(millis);
  }

  @Override
  public String toString() {
    return isMissing() ? "missing" : isPersistent() ? "persistent" : "expires in " + millis + " ms";
  }
}
