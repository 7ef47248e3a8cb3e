package io.inferis.audit;

import io.inferis.audit.AuditReport.KeyInfo;
import io.inferis.audit.AuditReport.PrefixStats;
import io.inferis.audit.internal.Keyspace;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.internal.RedisBackends;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Audits a Redis keyspace (every master of a cluster) for keys without a TTL, the leak of the
 * monitoring incident, and gives them one on request. Reads are pipelined per SCAN page; memory
 * held is bounded by the number of prefixes and {@link AuditOptions#top()}, not by the keyspace.
 * Thread-safe: each call works on its own state.
 */
public final class KeyAudit {

  private final Keyspace keyspace;

  private KeyAudit(Keyspace keyspace) {
    this.keyspace = keyspace;
  }

  /** An audit of the deployment {@code connector} reaches; the connector stays its owner's. */
  public static KeyAudit of(RedisConnector connector) {
    return new KeyAudit(RedisBackends.keyspace(Objects.requireNonNull(connector, "connector")));
  }

  /**
   * Scans every key matching {@code options.match()}.
   *
   * @throws io.inferis.redis.RedisUnavailableException if Redis cannot be reached or stops
   *     answering
   */
  public AuditReport scan(AuditOptions options) {
    Objects.requireNonNull(options, "options");
    long[] counts = new long[3]; // scanned, without TTL, their bytes
    SortedMap<String, long[]> byPrefix = new TreeMap<>();
    Comparator<KeyInfo> smallestFirst = Comparator.comparingLong(KeyInfo::bytes);
    PriorityQueue<KeyInfo> largest = new PriorityQueue<>(smallestFirst);
    keyspace.scan(
        options.match(),
        AuditOptions.PAGE_SIZE,
        page -> {
          for (Keyspace.KeyFacts f : page) {
            KeyInfo k = new KeyInfo(printable(f.key()), f.bytes(), f.pttlMillis());
            counts[0]++;
            if (k.ttlMillis() == -1) {
              counts[1]++;
              counts[2] += k.bytes();
              long[] agg = byPrefix.computeIfAbsent(k.prefix(), p -> new long[2]);
              agg[0]++;
              agg[1] += k.bytes();
            }
            if (options.top() > 0) {
              largest.add(k);
              if (largest.size() > options.top()) {
                largest.poll();
              }
            }
          }
        });
    SortedMap<String, PrefixStats> prefixes = new TreeMap<>();
    byPrefix.forEach((p, agg) -> prefixes.put(p, new PrefixStats(agg[0], agg[1])));
    List<KeyInfo> top = new ArrayList<>(largest);
    top.sort(smallestFirst.reversed());
    return new AuditReport(
        keyspace.endpoint(), options.match(), counts[0], counts[1], counts[2], prefixes, top);
  }

  /**
   * Gives every key matching {@code match} that has no TTL when it is reached a TTL of {@code ttl}
   * (whole seconds, at least 1); keys with a TTL keep theirs. Returns how many got one.
   */
  public long fixTtl(String match, Duration ttl) {
    AuditOptions checked = AuditOptions.builder().match(match).build();
    if (ttl.getSeconds() < 1) {
      throw new IllegalArgumentException("ttl must be at least 1 second, was " + ttl);
    }
    return keyspace.expireKeysWithoutTtl(checked.match(), AuditOptions.PAGE_SIZE, ttl.getSeconds());
  }

  /** {@code key} with bytes outside printable ASCII as {@code \xNN}. */
  static String printable(byte[] key) {
    StringBuilder sb = new StringBuilder(key.length);
    for (byte b : key) {
      int c = b & 0xff;
      if (c >= 0x20 && c < 0x7f) {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }
}
