package io.inferis.audit;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How far a {@link KeyAudit} scan has come.
 *
 * @param scanned keys looked at so far
 * @param keyspaceKeys keys in the whole keyspace (DBSIZE at the start), -1 if unknown
 * @param elapsed time since the scan started
 */
public record AuditProgress(long scanned, long keyspaceKeys, Duration elapsed) {

  /** Keys looked at per second so far. */
  public double keysPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds <= 0 ? 0 : scanned / seconds;
  }

  /**
   * Time left at the rate so far, or null when it cannot be told (no DBSIZE, no rate yet). With
   * {@code --match} it is an upper bound: DBSIZE counts the keys that do not match too.
   */
  public @Nullable Duration eta() {
    double rate = keysPerSecond();
    if (keyspaceKeys < 0 || rate <= 0) {
      return null;
    }
    return Duration.ofMillis((long) (Math.max(0, keyspaceKeys - scanned) / rate * 1000));
  }
}
