package io.inferis;

/**
 * A source of nanosecond time for measuring durations (deadlines, backoff, waits), as {@link
 * System#nanoTime()}: only the difference between two readings means anything. Injected through the
 * options of the component that measures, so tests can drive time by hand instead of sleeping.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface Ticker {

  /** Nanoseconds since an arbitrary, fixed origin. */
  long read();

  /** {@link System#nanoTime()}. */
  static Ticker system() {
    return SystemTicker.INSTANCE;
  }
}

/** {@link Ticker#system()}: a constant, so the JIT sees one implementation on the hot path. */
enum SystemTicker implements Ticker {
  INSTANCE;

  @Override
  public long read() {
    return System.nanoTime();
  }
}
