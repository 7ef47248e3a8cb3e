package io.inferis.audit;

import java.util.List;
import java.util.SortedMap;

/**
 * What a {@link KeyAudit} found: how many keys matched, those without a TTL in all and by prefix,
 * and the largest keys (with or without a TTL), largest first. Immutable.
 *
 * @param endpoint the Redis scanned (no credentials)
 * @param match the pattern the keys matched
 * @param scanned keys found
 * @param withoutTtl keys found without a TTL
 * @param withoutTtlBytes their memory, by {@code MEMORY USAGE}
 * @param withoutTtlByPrefix keys without a TTL by {@link KeyInfo#prefix()}
 * @param largest the largest keys, at most {@link AuditOptions#top()}
 */
public record AuditReport(
    String endpoint,
    String match,
    long scanned,
    long withoutTtl,
    long withoutTtlBytes,
    SortedMap<String, PrefixStats> withoutTtlByPrefix,
    List<KeyInfo> largest) {

  /** Copies the collections. */
  public AuditReport {
    withoutTtlByPrefix =
        java.util.Collections.unmodifiableSortedMap(new java.util.TreeMap<>(withoutTtlByPrefix));
    largest = List.copyOf(largest);
  }

  /** Keys and bytes of one prefix. */
  public record PrefixStats(long keys, long bytes) {}

  /**
   * One key.
   *
   * @param name the key, printable: bytes outside ASCII 0x20-0x7e as {@code \xNN}
   * @param bytes its memory, by {@code MEMORY USAGE}
   * @param ttlMillis its TTL in milliseconds, or -1 for none
   */
  public record KeyInfo(String name, long bytes, long ttlMillis) {

    /**
     * The part before the first ':' followed by {@code :*}, the whole name without one, or {@code
     * (binary, e.g. Feast entity keys)} for names that start with a non-printable byte.
     */
    public String prefix() {
      if (name.startsWith("\\x")) {
        return "(binary, e.g. Feast entity keys)";
      }
      int colon = name.indexOf(':');
      return colon < 0 ? name : name.substring(0, colon + 1) + "*";
    }
  }
}
