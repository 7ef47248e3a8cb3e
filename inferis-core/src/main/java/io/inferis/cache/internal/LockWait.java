package io.inferis.cache.internal;

import io.inferis.cache.Cache;
import io.inferis.cache.Lock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The bounded wait of {@link Cache#tryLock}: attempts until success or the wait timeout, sleeping a
 * jittered, growing delay (1 ms up to 50 ms) between attempts so waiters do not stampede.
 */
public final class LockWait {

  private static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private LockWait() {}

  /** Checks {@link Cache#tryLock}'s arguments as every backend does. */
  public static void validate(String key, Duration ttl, Duration waitTimeout) {
    Keys.requireKey(key);
    if (ttl == null || ttl.toMillis() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 ms, was " + ttl);
    }
    if (waitTimeout == null || waitTimeout.isNegative()) {
      throw new IllegalArgumentException("waitTimeout must be >= 0, was " + waitTimeout);
    }
  }

  /** Runs {@code attempt} until it takes the lock or {@code waitTimeout} has passed. */
  public static Optional<Lock> await(Duration waitTimeout, Supplier<Optional<Lock>> attempt) {
    long deadline = System.nanoTime() + waitTimeout.toNanos();
    long backoff = TimeUnit.MILLISECONDS.toNanos(1);
    while (true) {
      Optional<Lock> lock = attempt.get();
      long left = deadline - System.nanoTime();
      if (lock.isPresent() || left <= 0) {
        return lock;
      }
      long sleep = Math.min(left, ThreadLocalRandom.current().nextLong(backoff / 2, backoff + 1));
      try {
        TimeUnit.NANOSECONDS.sleep(sleep);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      }
      backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
    }
  }
}
