package io.inferis.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The lookup harness's markdown table: a row per (topology, scenario, client) with its ratios to
 * the ceiling and to the naive client of the same scenario, and the medians that fold several
 * rounds into one row.
 */
final class ResultsTable {

  static final String CEILING = "ceiling (raw pipelined HMGET)";

  private ResultsTable() {}

  /**
   * One row per (topology, scenario, client), in first-seen order: the median of its rounds'
   * lookups/s, p50 and p99 and the largest connection count. Prints each round's ratio to the
   * ceiling of the same round.
   */
  static List<Row> medians(List<Row> rows) {
    Map<String, List<Row>> byClient = new LinkedHashMap<>();
    for (Row r : rows) {
      byClient
          .computeIfAbsent(
              r.topology() + "|" + r.scenario() + "|" + r.client(), k -> new ArrayList<>())
          .add(r);
    }
    List<Row> out = new ArrayList<>();
    for (List<Row> runs : byClient.values()) {
      Row first = runs.get(0);
      List<Row> ceilings =
          byClient.getOrDefault(
              first.topology() + "|" + first.scenario() + "|" + CEILING, List.of());
      if (ceilings.size() == runs.size()) {
        StringBuilder ratios = new StringBuilder();
        for (int i = 0; i < runs.size(); i++) {
          ratios.append(
              String.format(
                  " %.2f", runs.get(i).lookupsPerSecond() / ceilings.get(i).lookupsPerSecond()));
        }
        System.out.printf(
            "%s %s %s: per-round ratio to the ceiling%s%n",
            first.topology(), first.scenario(), first.client(), ratios);
      }
      out.add(Row.median(runs));
    }
    return out;
  }

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  static String table(List<Row> rows) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| topology | scenario | client | lookups/s | p50 ms | p99 ms | max conns/node | vs ceiling | vs naive |\n");
    sb.append("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    Map<String, List<Row>> groups =
        rows.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.topology() + "|" + r.scenario(),
                    LinkedHashMap::new,
                    Collectors.toList()));
    for (List<Row> g : groups.values()) {
      double ceiling = firstLookupsPerSecond(g, "ceiling");
      double naive = firstLookupsPerSecond(g, "naive");
      for (Row r : g) {
        sb.append(
            String.format(
                "| %s | %s | %s | %,.0f | %.2f | %.2f | %d | %s | %s |%n",
                r.topology(),
                r.scenario(),
                r.client(),
                r.lookupsPerSecond(),
                r.p50Ms(),
                r.p99Ms(),
                r.maxConnections(),
                ratio("%.2fx", r.lookupsPerSecond() / ceiling),
                ratio("%.1fx", r.lookupsPerSecond() / naive)));
      }
    }
    return sb.toString();
  }

  /** Lookups/s of the group's first client named {@code prefix}..., or NaN if none ran. */
  private static double firstLookupsPerSecond(List<Row> group, String prefix) {
    return group.stream()
        .filter(r -> r.client().startsWith(prefix))
        .mapToDouble(Row::lookupsPerSecond)
        .findFirst()
        .orElse(Double.NaN);
  }

  /** A ratio, or a dash where its baseline was not run. */
  private static String ratio(String format, double value) {
    return Double.isNaN(value) ? "–" : String.format(format, value);
  }
}
