package io.inferis.audit;

import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link KeyAudit} found: the keys that matched, in all and grouped by prefix, by type and
 * by idle age, with how many of each have no TTL; and the largest keys. Its size is bounded by the
 * options (prefix groups, top keys), not by the keyspace. Immutable.
 *
 * @param endpoint the Redis scanned (no credentials)
 * @param match the pattern the keys matched
 * @param scanned keys found (and looked at)
 * @param keyspaceKeys keys in the whole keyspace when the scan started (DBSIZE), -1 if unknown
 * @param all every key found
 * @param byPrefix by prefix, largest first; keys beyond the prefix limit under {@link #OTHER}
 * @param byType by Redis type, largest first
 * @param byIdleAge by time since last access, youngest first; {@link IdleAge#UNAVAILABLE} when the
 *     server does not track it (an LFU eviction policy)
 * @param largest the largest keys, largest first, at most {@link AuditOptions#top()}
 * @param sample how far a sampled scan's figures can be off; null when every key was scanned
 * @param elapsed how long the scan took
 */
public record AuditReport(
    String endpoint,
    String match,
    long scanned,
    long keyspaceKeys,
    Group all,
    Map<String, Group> byPrefix,
    Map<String, Group> byType,
    Map<IdleAge, Group> byIdleAge,
    List<KeyInfo> largest,
    @Nullable Sample sample,
    Duration elapsed) {

  /** The group of keys whose prefix came after the prefix limit was reached. */
  public static final String OTHER = "(other prefixes)";

  /** The group of names that start with a byte outside printable ASCII, such as Feast's keys. */
  public static final String BINARY = "(binary, e.g. Feast entity keys)";

  /** Copies the collections, keeping their order. */
  public AuditReport {
    byPrefix = Collections.unmodifiableMap(new LinkedHashMap<>(byPrefix));
    byType = Collections.unmodifiableMap(new LinkedHashMap<>(byType));
    byIdleAge =
        Collections.unmodifiableMap(
            byIdleAge.isEmpty() ? new EnumMap<>(IdleAge.class) : new EnumMap<>(byIdleAge));
    largest = List.copyOf(largest);
  }

  /** Keys found without a TTL. */
  public long withoutTtl() {
    return all.withoutTtl();
  }

  /** Their memory, by {@code MEMORY USAGE}. */
  public long withoutTtlBytes() {
    return all.withoutTtlBytes();
  }

  /**
   * A group of keys.
   *
   * @param keys how many
   * @param bytes their memory, by {@code MEMORY USAGE}
   * @param withoutTtl how many have no TTL
   * @param withoutTtlBytes the memory of those
   * @param members their elements (fields, members, entries; a string's bytes)
   */
  public record Group(long keys, long bytes, long withoutTtl, long withoutTtlBytes, long members) {}

  /** Time since a key was last read or written, in buckets. */
  public enum IdleAge {
    UNDER_1_HOUR("< 1 h", 3_600),
    UNDER_1_DAY("1 h - 1 d", 86_400),
    UNDER_7_DAYS("1 - 7 d", 7 * 86_400),
    UNDER_30_DAYS("7 - 30 d", 30 * 86_400),
    OVER_30_DAYS(">= 30 d", Long.MAX_VALUE),
    UNAVAILABLE("unavailable", -1);

    private final String label;
    private final long belowSeconds;

    IdleAge(String label, long belowSeconds) {
      this.label = label;
      this.belowSeconds = belowSeconds;
    }

    /** How a report shows it. */
    public String label() {
      return label;
    }

    /** The bucket of {@code idleSeconds}; -1 means not tracked. */
    public static IdleAge of(long idleSeconds) {
      if (idleSeconds < 0) {
        return UNAVAILABLE;
      }
      for (IdleAge a : values()) {
        if (idleSeconds < a.belowSeconds) {
          return a;
        }
      }
      return OVER_30_DAYS;
    }
  }

  /**
   * One key.
   *
   * @param name the key, printable: bytes outside ASCII 0x20-0x7e as {@code \xNN}
   * @param type its Redis type
   * @param bytes its memory, by {@code MEMORY USAGE}
   * @param ttlMillis its TTL in milliseconds, or -1 for none
   * @param idleSeconds seconds since last access, or -1 when not tracked
   * @param members its elements (a string's bytes), -1 if unknown
   */
  public record KeyInfo(
      String name, String type, long bytes, long ttlMillis, long idleSeconds, long members) {}

  /**
   * How far a sampled scan's figures can be off. SCAN visits keys in hash-table order, which is
   * unrelated to their names, so the first keys it returns are treated as a random sample: a share
   * {@code p} seen in {@code n} keys is {@code p ± 1.96·sqrt(p(1-p)/n)} with 95% confidence (no
   * better than that if keys that hash close together are alike).
   *
   * @param fraction the share of the keyspace scanned
   * @param withoutTtlEstimate keys without a TTL in the whole keyspace, estimated
   * @param withoutTtlMargin the 95% margin of that estimate, in keys
   */
  public record Sample(double fraction, long withoutTtlEstimate, long withoutTtlMargin) {}
}
