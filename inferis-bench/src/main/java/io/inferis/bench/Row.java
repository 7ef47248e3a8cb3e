package io.inferis.bench;

import java.util.List;

/** One measured client of one scenario on one topology: a row of the results table. */
record Row(
    String topology,
    String scenario,
    String client,
    double lookupsPerSecond,
    double p50Ms,
    double p99Ms,
    int maxConnections) {

  /**
   * The runs of one client as one row: the median of their lookups/s, p50 and p99 and the largest
   * connection count.
   */
  static Row median(List<Row> runs) {
    Row first = runs.get(0);
    return new Row(
        first.topology(),
        first.scenario(),
        first.client(),
        ResultsTable.median(runs.stream().mapToDouble(Row::lookupsPerSecond).toArray()),
        ResultsTable.median(runs.stream().mapToDouble(Row::p50Ms).toArray()),
        ResultsTable.median(runs.stream().mapToDouble(Row::p99Ms).toArray()),
        runs.stream().mapToInt(Row::maxConnections).max().orElse(0));
  }

  /** Prints the row at once, so a long run shows its progress. */
  void print() {
    System.out.printf(
        "%s %s %-32s %12.0f lookups/s p50 %.2f ms p99 %.2f ms conns %d%n",
        topology, scenario, client, lookupsPerSecond, p50Ms, p99Ms, maxConnections);
  }
}
