package io.inferis.server.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.inferis.audit.AuditOptions;
import io.inferis.audit.AuditProgress;
import io.inferis.audit.AuditReport;
import io.inferis.audit.KeyAudit;
import io.inferis.redis.RedisConnector;
import io.inferis.redis.RedisOptions;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code inferis audit}: SCANs a Redis (every master of a cluster, in parallel) and reports its
 * keys by prefix, type and idle age, the keys without a TTL (the leak of the monitoring incident)
 * and the largest keys, as text or JSON; progress goes to stderr. With {@code --fix-ttl SECONDS
 * --no-dry-run} it gives that TTL to the matching keys that have none; by default ({@code
 * --dry-run}) it only says what it would do.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description =
        "Find keys without a TTL, the largest keys and idle ones in a Redis; optionally give"
            + " the keys without a TTL one.")
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
      names = "--delimiter",
      defaultValue = ":",
      description = "What splits key names into parts for prefixes (default ${DEFAULT-VALUE}).")
  String delimiter;

  @Option(
      names = "--depth",
      defaultValue = "1",
      description = "Parts in a prefix, 1-16 (default ${DEFAULT-VALUE}: inferis:*).")
  int depth;

  @Option(
      names = "--max-prefixes",
      defaultValue = "1000",
      description =
          "Prefix groups kept; keys of further prefixes are counted as '(other prefixes)'"
              + " (default ${DEFAULT-VALUE}).")
  int maxPrefixes;

  @Option(
      names = "--sample",
      defaultValue = "0",
      description =
          "Stop after this many keys (at least 1000) and estimate the whole keyspace, with a 95%"
              + " margin (needs --match '*'; default 0: every key).")
  long sample;

  @Option(
      names = "--parallel",
      defaultValue = "0",
      description =
          "Masters of a cluster scanned at once (default 0: all of them; 1: one after another,"
              + " the least load at any moment).")
  int parallel;

  @Option(names = "--json", description = "Print the report as JSON.")
  boolean json;

  @Option(
      names = "--progress",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description = "Report progress on stderr about once a second (default); --no-progress not.")
  boolean progress;

  @Option(
      names = "--fix-ttl",
      description =
          "Give matching keys without a TTL this TTL, in seconds (a dry run unless --no-dry-run)."
              + " Keys with a TTL keep theirs.")
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
  public Integer call() throws Exception {
    AuditOptions options;
    try {
      options =
          AuditOptions.builder()
              .match(match)
              .top(top)
              .delimiter(delimiter)
              .depth(depth)
              .maxPrefixes(maxPrefixes)
              .sample(sample)
              .parallelism(parallel)
              .build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
    }
    if (sample > 0 && !match.equals(AuditOptions.DEFAULT_MATCH)) {
      throw new ParameterException(spec.commandLine(), "--sample needs --match '*'");
    }
    if (fixTtlSeconds != null && fixTtlSeconds < 1) {
      throw new ParameterException(
          spec.commandLine(), "--fix-ttl must be at least 1 second, was " + fixTtlSeconds);
    }
    if (fixTtlSeconds != null && sample > 0) {
      throw new ParameterException(spec.commandLine(), "--fix-ttl cannot be used with --sample");
    }
    boolean apply = !dryRun;
    if (apply && fixTtlSeconds == null) {
      throw new ParameterException(spec.commandLine(), "--no-dry-run needs --fix-ttl SECONDS");
    }
    RedisConnector connector =
        redisSecurity.connect(
            spec, redis, RedisOptions.builder().commandTimeout(Duration.ofSeconds(10)));
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (connector) {
      KeyAudit audit = KeyAudit.of(connector);
      AuditReport report = audit.scan(options, progress ? progressTo(err) : p -> {});
      if (!json) {
        AuditText.print(report, out);
        out.flush(); // the report before a fix that may take a while
      }
      Map<String, Object> fix = new LinkedHashMap<>();
      if (fixTtlSeconds != null) {
        fix.put("ttl_seconds", fixTtlSeconds);
        fix.put("dry_run", !apply);
        if (apply) {
          fix.put("changed", audit.fixTtl(match, Duration.ofSeconds(fixTtlSeconds)));
        } else {
          fix.put("would_change", report.withoutTtl());
        }
      }
      if (json) {
        Map<String, Object> doc = AuditText.json(report);
        if (!fix.isEmpty()) {
          doc.put("fix_ttl", fix);
        }
        out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
      } else if (fixTtlSeconds != null) {
        if (!apply) {
          out.printf(
              "dry run: would set a TTL of %d s on %d keys (add --no-dry-run to do it)%n",
              fixTtlSeconds, report.withoutTtl());
        } else {
          out.printf("set a TTL of %d s on %d keys%n", fixTtlSeconds, fix.get("changed"));
        }
      }
      out.flush();
      return 0;
    }
  }

  /** Progress lines on {@code err}, at most one a second. */
  private static Consumer<AuditProgress> progressTo(PrintWriter err) {
    long[] last = {System.nanoTime()};
    return p -> {
      long now = System.nanoTime();
      if (now - last[0] < 1_000_000_000L) {
        return;
      }
      last[0] = now;
      Duration eta = p.eta();
      err.printf(
          Locale.ROOT,
          "audit: %,d keys%s, %,.0f keys/s%s%n",
          p.scanned(),
          p.keyspaceKeys() >= 0 ? String.format(Locale.ROOT, " of %,d", p.keyspaceKeys()) : "",
          p.keysPerSecond(),
          eta == null ? "" : ", about " + eta.toSeconds() + " s left");
      err.flush();
    };
  }
}
