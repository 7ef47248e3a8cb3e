package io.inferis.testing;

import io.inferis.Ticker;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A clock tests move by hand, both as wall time ({@link InstantSource}) and as a nanosecond {@link
 * Ticker}; the two move together. Thread-safe.
 */
public final class FakeClock implements InstantSource, Ticker {

  private final AtomicLong nanos;

  /** A clock at {@code startMillis} epoch milliseconds. */
  public FakeClock(long startMillis) {
    this.nanos = new AtomicLong(Math.multiplyExact(startMillis, 1_000_000L));
  }

  /** Moves the clock forward. */
  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Override
  public Instant instant() {
    long n = nanos.get();
    return Instant.ofEpochSecond(
        Math.floorDiv(n, 1_000_000_000L), Math.floorMod(n, 1_000_000_000L));
  }

  @Override
  public long millis() {
    return Math.floorDiv(nanos.get(), 1_000_000L);
  }

  /** Nanoseconds since the epoch. */
  @Override
  public long read() {
    return nanos.get();
  }
}
