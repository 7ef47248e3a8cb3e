package io.inferis.server.cli;

import io.inferis.audit.AuditOptions;
import io.inferis.audit.AuditReport;
import io.inferis.audit.KeyAudit;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
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
      description = "Give keys without a TTL this TTL, in seconds (a dry run unless --no-dry-run).")
  Long fixTtlSeconds;

  @Option(
      names = "--dry-run",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "With --fix-ttl, only say what would change (default); --no-dry-run applies it.")
  boolean dryRun;

  @Override
  public Integer call() {
    AuditOptions options;
    try {
      options = AuditOptions.builder().match(match).top(top).build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
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
      KeyAudit audit = KeyAudit.of(connector);
      AuditReport report = audit.scan(options);
      print(report, out);
      if (fixTtlSeconds != null) {
        if (!apply) {
          out.printf(
              "dry run: would set a TTL of %d s on %d keys (add --no-dry-run to do it)%n",
              fixTtlSeconds, report.withoutTtl());
        } else {
          long fixed = audit.fixTtl(match, Duration.ofSeconds(fixTtlSeconds));
          out.printf("set a TTL of %d s on %d keys%n", fixTtlSeconds, fixed);
        }
      }
      out.flush();
      return 0;
    }
  }

  private static void print(AuditReport report, PrintWriter out) {
    out.printf(
        "scanned %d keys matching '%s' on %s%n",
        report.scanned(), report.match(), report.endpoint());
    out.printf(
        "keys without a TTL: %d (%d bytes)%n", report.withoutTtl(), report.withoutTtlBytes());
    if (!report.withoutTtlByPrefix().isEmpty()) {
      out.printf("%-40s %10s %14s%n", "prefix (no TTL)", "keys", "bytes");
      report
          .withoutTtlByPrefix()
          .forEach((p, s) -> out.printf("%-40s %10d %14d%n", p, s.keys(), s.bytes()));
    }
    if (!report.largest().isEmpty()) {
      out.printf("largest keys:%n%-60s %12s %12s%n", "key", "bytes", "ttl");
      for (AuditReport.KeyInfo k : report.largest()) {
        out.printf(
            "%-60s %12d %12s%n",
            k.name(), k.bytes(), k.ttlMillis() == -1 ? "none" : (k.ttlMillis() / 1000) + "s");
      }
    }
  }
}
