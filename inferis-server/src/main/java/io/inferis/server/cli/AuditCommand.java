package io.inferis.server.cli;

import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import io.inferis.redis.internal.LettuceConnector;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inferis audit}: SCANs a Redis (every master of a cluster) for keys without a TTL — the
 * leak of the monitoring incident — and reports them and their memory by prefix, plus the largest
 * keys. With {@code --fix-ttl SECONDS --no-dry-run} it sets that TTL on the keys that have none; by
 * default ({@code --dry-run}) it only says what it would do.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "Find keys without a TTL (and the largest keys) in a Redis; optionally give them one.")
public final class AuditCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin RedisSecurityFlags redisSecurity;

  @Option(
      names = "--redis",
      required = true,
      defaultValue = "${env:INFERIS_REDIS_URL}",
      description = "Redis URL to audit (env INFERIS_REDIS_URL).")
  String redis;

  @Option(
      names = "--match",
      defaultValue = "*",
      description = "SCAN MATCH pattern (default ${DEFAULT-VALUE}).")
  String match;

  @Option(
      names = "--top",
      defaultValue = "10",
      description = "How many of the largest keys to list (default ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--fix-ttl",
      description = "Give keys without a TTL this TTL, in seconds (with --apply).")
  Long fixTtlSeconds;

  @Option(
      names = "--dry-run",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "With --fix-ttl, only say what would change (default); --no-dry-run applies it.")
  boolean dryRun;

  /** One key as the audit saw it. */
  private record KeyInfo(String name, String prefix, long bytes, long pttl) {}

  @Override
  public Integer call() throws Exception {
    if (top < 0 || top > 10_000) {
      throw new ParameterException(spec.commandLine(), "--top must be 0-10000, was " + top);
    }
    if (fixTtlSeconds != null && fixTtlSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--fix-ttl must be at least 1 second, was " + fixTtlSeconds);
    }
    boolean apply = !dryRun;
    if (apply && fixTtlSeconds == null) {
      throw new ParameterException(spec.commandLine(), "--no-dry-run needs --fix-ttl SECONDS");
    }
    RedisConnector connector =
        redisSecurity.connect(
            spec, redis, RedisOptions.builder().commandTimeout(Duration.ofSeconds(10)));
    PrintWriter out = spec.commandLine().getOut();
    try (connector) {
      RedisClusterAsyncCommands<byte[], byte[]> r = LettuceConnector.of(connector).async();
      List<KeyInfo> keys = new ArrayList<>();
      ScanCursor cursor = ScanCursor.INITIAL;
      ScanArgs args = ScanArgs.Builder.limit(1000).match(match.getBytes(StandardCharsets.UTF_8));
      do {
        KeyScanCursor<byte[]> page = r.scan(cursor, args).get(30, TimeUnit.SECONDS);
        for (byte[] key : page.getKeys()) {
          long pttl = r.pttl(key).get(10, TimeUnit.SECONDS);
          if (pttl == -2) {
            continue; // expired between SCAN and PTTL
          }
          Long bytes = r.memoryUsage(key).get(10, TimeUnit.SECONDS);
          String name = printable(key);
          keys.add(new KeyInfo(name, prefix(name), bytes == null ? 0 : bytes, pttl));
        }
        cursor = page;
      } while (!cursor.isFinished());

      List<KeyInfo> noTtl = keys.stream().filter(k -> k.pttl() == -1).toList();
      out.printf("scanned %d keys matching '%s' on %s%n", keys.size(), match, connector.endpoint());
      out.printf(
          "keys without a TTL: %d (%d bytes)%n",
          noTtl.size(), noTtl.stream().mapToLong(KeyInfo::bytes).sum());
      Map<String, long[]> byPrefix = new TreeMap<>();
      for (KeyInfo k : noTtl) {
        long[] agg = byPrefix.computeIfAbsent(k.prefix(), p -> new long[2]);
        agg[0]++;
        agg[1] += k.bytes();
      }
      if (!byPrefix.isEmpty()) {
        out.printf("%-40s %10s %14s%n", "prefix (no TTL)", "keys", "bytes");
        byPrefix.forEach((p, agg) -> out.printf("%-40s %10d %14d%n", p, agg[0], agg[1]));
      }
      if (top > 0 && !keys.isEmpty()) {
        out.printf("largest keys:%n%-60s %12s %12s%n", "key", "bytes", "ttl");
        keys.stream()
            .sorted(Comparator.comparingLong(KeyInfo::bytes).reversed())
            .limit(top)
            .forEach(
                k ->
                    out.printf(
                        "%-60s %12d %12s%n",
                        k.name(), k.bytes(), k.pttl() == -1 ? "none" : (k.pttl() / 1000) + "s"));
      }
      if (fixTtlSeconds != null) {
        if (!apply) {
          out.printf(
              "dry run: would set a TTL of %d s on %d keys (add --no-dry-run to do it)%n",
              fixTtlSeconds, noTtl.size());
        } else {
          int fixed = 0;
          ScanCursor again = ScanCursor.INITIAL;
          do {
            KeyScanCursor<byte[]> page = r.scan(again, args).get(30, TimeUnit.SECONDS);
            for (byte[] key : page.getKeys()) {
              // Only keys that still have no TTL: a key re-armed meanwhile keeps its own.
              if (r.pttl(key).get(10, TimeUnit.SECONDS) == -1
                  && r.expire(key, fixTtlSeconds).get(10, TimeUnit.SECONDS)) {
                fixed++;
              }
            }
            again = page;
          } while (!again.isFinished());
          out.printf("set a TTL of %d s on %d keys%n", fixTtlSeconds, fixed);
        }
      }
      out.flush();
      return 0;
    }
  }

  private static String printable(byte[] key) {
    StringBuilder sb = new StringBuilder();
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

  /** The first segment before ':', or "(binary)" for keys such as Feast's serialized ones. */
  private static String prefix(String printable) {
    if (printable.startsWith("\\x")) {
      return "(binary, e.g. Feast entity keys)";
    }
    int colon = printable.indexOf(':');
    return colon < 0 ? printable : printable.substring(0, colon + 1) + "*";
  }
}
