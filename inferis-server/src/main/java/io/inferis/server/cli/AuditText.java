package io.inferis.server.cli;

import io.inferis.audit.AuditReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An {@link AuditReport} as text for people and as a JSON tree for tools. */
final class AuditText {

  private AuditText() {}

  static void print(AuditReport r, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "scanned %d keys matching '%s' on %s in %.1f s%s%n",
        r.scanned(),
        r.match(),
        r.endpoint(),
        r.elapsed().toMillis() / 1000.0,
        r.keyspaceKeys() >= 0 ? " (DBSIZE " + r.keyspaceKeys() + ")" : "");
    out.printf(
        Locale.ROOT, "keys without a TTL: %d (%d bytes)%n", r.withoutTtl(), r.withoutTtlBytes());
    AuditReport.Sample sample = r.sample();
    if (sample != null) {
      out.printf(
          Locale.ROOT,
          "sampled %.2f%% of the keyspace: about %d keys without a TTL in all, ± %d (95%%)%n",
          100 * sample.fraction(),
          sample.withoutTtlEstimate(),
          sample.withoutTtlMargin());
    }
    table(out, "prefix", r.byPrefix());
    table(out, "type", r.byType());
    Map<String, AuditReport.Group> idle = new LinkedHashMap<>();
    r.byIdleAge().forEach((age, g) -> idle.put(age.label(), g));
    table(out, "idle (last access)", idle);
    if (!r.largest().isEmpty()) {
      out.printf(
          "largest keys:%n%-60s %-7s %12s %10s %10s %10s%n",
          "key", "type", "bytes", "members", "ttl", "idle");
      for (AuditReport.KeyInfo k : r.largest()) {
        out.printf(
            Locale.ROOT,
            "%-60s %-7s %12d %10s %10s %10s%n",
            k.name(),
            k.type(),
            k.bytes(),
            k.members() < 0 ? "-" : Long.toString(k.members()),
            k.ttlMillis() == -1 ? "none" : (k.ttlMillis() / 1000) + "s",
            k.idleSeconds() < 0 ? "unavailable" : k.idleSeconds() + "s");
      }
    }
  }

  private static void table(PrintWriter out, String what, Map<String, AuditReport.Group> groups) {
    if (groups.isEmpty()) {
      return;
    }
    out.printf("%-40s %10s %14s %10s %14s%n", what, "keys", "bytes", "no TTL", "no-TTL bytes");
    groups.forEach(
        (name, g) ->
            out.printf(
                Locale.ROOT,
                "%-40s %10d %14d %10d %14d%n",
                name,
                g.keys(),
                g.bytes(),
                g.withoutTtl(),
                g.withoutTtlBytes()));
  }

  /** The report as maps and lists, for Jackson. */
  static Map<String, Object> json(AuditReport r) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("endpoint", r.endpoint());
    doc.put("match", r.match());
    doc.put("scanned", r.scanned());
    doc.put("keyspace_keys", r.keyspaceKeys());
    doc.put("elapsed_ms", r.elapsed().toMillis());
    doc.put("all", group(r.all()));
    doc.put("by_prefix", groups(r.byPrefix()));
    doc.put("by_type", groups(r.byType()));
    Map<String, Object> idle = new LinkedHashMap<>();
    r.byIdleAge().forEach((age, g) -> idle.put(age.name().toLowerCase(Locale.ROOT), group(g)));
    doc.put("by_idle_age", idle);
    List<Map<String, Object>> largest = new ArrayList<>();
    for (AuditReport.KeyInfo k : r.largest()) {
      Map<String, Object> key = new LinkedHashMap<>();
      key.put("name", k.name());
      key.put("type", k.type());
      key.put("bytes", k.bytes());
      key.put("members", k.members());
      key.put("ttl_ms", k.ttlMillis());
      key.put("idle_seconds", k.idleSeconds());
      largest.add(key);
    }
    doc.put("largest", largest);
    AuditReport.Sample sample = r.sample();
    if (sample != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("fraction", sample.fraction());
      s.put("without_ttl_estimate", sample.withoutTtlEstimate());
      s.put("without_ttl_margin_95", sample.withoutTtlMargin());
      doc.put("sample", s);
    }
    return doc;
  }

  private static Map<String, Object> groups(Map<String, AuditReport.Group> groups) {
    Map<String, Object> out = new LinkedHashMap<>();
    groups.forEach((name, g) -> out.put(name, group(g)));
    return out;
  }

  private static Map<String, Object> group(AuditReport.Group g) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("keys", g.keys());
    out.put("bytes", g.bytes());
    out.put("without_ttl", g.withoutTtl());
    out.put("without_ttl_bytes", g.withoutTtlBytes());
    out.put("members", g.members());
    return out;
  }
}
