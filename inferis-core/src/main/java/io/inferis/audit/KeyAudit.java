package io.inferis.audit;

import io.inferis.audit.internal.Keyspace;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.internal.RedisBackends;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

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
   * Scans every key matching {@code options.match()} (or a sample of them).
   *
   * @throws io.inferis.redis.RedisUnavailableException if Redis cannot be reached or stops
   *     answering
   */
  public AuditReport scan(AuditOptions options) {
    return scan(options, progress -> {});
  }

  /**
   * As {@link #scan(AuditOptions)}, telling {@code progress} after each page.
   *
   * @throws IllegalArgumentException for a sample of some keys only ({@code match} other than
   *     {@code *}): the sample's share of the keyspace would be unknown
   */
  public AuditReport scan(AuditOptions options, Consumer<AuditProgress> progress) {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(progress, "progress");
    if (options.sample() > 0 && !options.match().equals(AuditOptions.DEFAULT_MATCH)) {
      throw new IllegalArgumentException("a sample needs every key (match '*')");
    }
    long start = System.nanoTime();
    long keyspaceKeys = keyspace.size();
    Tally tally = new Tally(options);
    keyspace.scan(
        options.match(),
        AuditOptions.PAGE_SIZE,
        options.parallelism(),
        page -> {
          page.forEach(tally::add);
          progress.accept(
              new AuditProgress(
                  tally.all.keys, keyspaceKeys, Duration.ofNanos(System.nanoTime() - start)));
          return options.sample() == 0 || tally.all.keys < options.sample();
        });
    return tally.report(
        keyspace.endpoint(), keyspaceKeys, Duration.ofNanos(System.nanoTime() - start));
  }

  /** The running totals of a scan: bounded by the options, whatever the keyspace holds. */
  private static final class Tally {
    private final AuditOptions options;
    private final byte[] delimiter;
    private final Totals all = new Totals();
    private final Map<String, Totals> byPrefix = new HashMap<>();
    private final Map<String, Totals> byType = new HashMap<>();
    private final Map<AuditReport.IdleAge, Totals> byIdle =
        new EnumMap<>(AuditReport.IdleAge.class);
    private final PriorityQueue<AuditReport.KeyInfo> largest =
        new PriorityQueue<>(Comparator.comparingLong(AuditReport.KeyInfo::bytes));

    Tally(AuditOptions options) {
      this.options = options;
      this.delimiter = options.delimiter().getBytes(StandardCharsets.UTF_8);
    }

    void add(Keyspace.KeyFacts f) {
      all.add(f);
      String prefix = prefix(f.key());
      Totals p = byPrefix.get(prefix);
      if (p == null) {
        p =
            byPrefix.size() < options.maxPrefixes()
                ? byPrefix.computeIfAbsent(prefix, k -> new Totals())
                : byPrefix.computeIfAbsent(AuditReport.OTHER, k -> new Totals());
      }
      p.add(f);
      // Module types are open-ended: bound them like prefixes.
      String type = byType.size() < 64 || byType.containsKey(f.type()) ? f.type() : "(other)";
      byType.computeIfAbsent(type, k -> new Totals()).add(f);
      byIdle.computeIfAbsent(AuditReport.IdleAge.of(f.idleSeconds()), k -> new Totals()).add(f);
      if (options.top() > 0
          && (largest.size() < options.top() || f.bytes() > largest.peek().bytes())) {
        largest.add(
            new AuditReport.KeyInfo(
                printable(f.key(), f.key().length),
                f.type(),
                f.bytes(),
                f.pttlMillis(),
                f.idleSeconds(),
                f.members()));
        if (largest.size() > options.top()) {
          largest.poll();
        }
      }
    }

    /** The first {@code depth} parts of {@code key} and {@code *}, or the whole name. */
    private String prefix(byte[] key) {
      if (key.length > 0 && (key[0] < 0x20 || key[0] >= 0x7f)) {
        return AuditReport.BINARY;
      }
      int parts = 0;
      for (int i = 0; i + delimiter.length <= key.length; i++) {
        if (matchesAt(key, i)) {
          if (++parts == options.depth()) {
            return printable(key, i + delimiter.length) + "*";
          }
          i += delimiter.length - 1;
        }
      }
      return printable(key, key.length);
    }

    private boolean matchesAt(byte[] key, int at) {
      for (int j = 0; j < delimiter.length; j++) {
        if (key[at + j] != delimiter[j]) {
          return false;
        }
      }
      return true;
    }

    AuditReport report(String endpoint, long keyspaceKeys, Duration elapsed) {
      List<AuditReport.KeyInfo> top = new ArrayList<>(largest);
      top.sort(Comparator.comparingLong(AuditReport.KeyInfo::bytes).reversed());
      Map<AuditReport.IdleAge, AuditReport.Group> idle = new EnumMap<>(AuditReport.IdleAge.class);
      byIdle.forEach((age, t) -> idle.put(age, t.group()));
      return new AuditReport(
          endpoint,
          options.match(),
          all.keys,
          keyspaceKeys,
          all.group(),
          largestFirst(byPrefix),
          largestFirst(byType),
          idle,
          top,
          sample(keyspaceKeys),
          elapsed);
    }

    private AuditReport.@Nullable Sample sample(long keyspaceKeys) {
      long n = all.keys;
      if (options.sample() == 0 || keyspaceKeys <= n || n == 0) {
        return null;
      }
      double p = (double) all.noTtl / n;
      double finite = Math.sqrt(1 - (double) n / keyspaceKeys);
      double margin = 1.96 * Math.sqrt(p * (1 - p) / n) * finite * keyspaceKeys;
      return new AuditReport.Sample(
          (double) n / keyspaceKeys, Math.round(p * keyspaceKeys), Math.round(Math.ceil(margin)));
    }

    private static Map<String, AuditReport.Group> largestFirst(Map<String, Totals> totals) {
      Map<String, AuditReport.Group> out = new LinkedHashMap<>();
      totals.entrySet().stream()
          .sorted(
              Comparator.comparingLong((Map.Entry<String, Totals> e) -> e.getValue().bytes)
                  .reversed()
                  .thenComparing(Map.Entry::getKey))
          .forEach(e -> out.put(e.getKey(), e.getValue().group()));
      return out;
    }
  }

  /** Counts of one group, as a scan adds keys. */
  private static final class Totals {
    long keys;
    long bytes;
    long noTtl;
    long noTtlBytes;
    long members;

    void add(Keyspace.KeyFacts f) {
      keys++;
      bytes += f.bytes();
      if (f.pttlMillis() == -1) {
        noTtl++;
        noTtlBytes += f.bytes();
      }
      members += Math.max(0, f.members());
    }

    AuditReport.Group group() {
      return new AuditReport.Group(keys, bytes, noTtl, noTtlBytes, members);
    }
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

  /**
   * The first {@code length} bytes of {@code key}, those outside printable ASCII as {@code \xNN}.
   */
  static String printable(byte[] key, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      int c = key[i] & 0xff;
      if (c >= 0x20 && c < 0x7f) {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    return sb.toString();
  }
}
