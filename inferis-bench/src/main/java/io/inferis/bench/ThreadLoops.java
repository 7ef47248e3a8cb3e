package io.inferis.bench;

import io.inferis.testing.RedisNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The loops of {@link BlockingClient}s: each client gets {@code concurrency} threads of its own,
 * each with one request in flight, either closed loop (flat out) or paced at a total rate. Paced
 * clients can run together, and then each round's ratio of their p99s is kept as a paired
 * comparison.
 */
final class ThreadLoops {

  private final Measurement measurement;
  private final int concurrency;
  private final double seconds;
  private final int rate;
  private final boolean together;

  /**
   * Per pair of clients measured together, each counted round's ratio of their p99s (the last
   * client's p99 below): a paired comparison, summed up at the end by its median.
   */
  private final Map<String, List<Double>> pairedP99 = new LinkedHashMap<>();

  /**
   * @param rate lookups/s all threads of a client offer together; 0 runs closed loop
   * @param together with a rate, run the clients at the same time
   */
  ThreadLoops(
      Measurement measurement, int concurrency, double seconds, int rate, boolean together) {
    this.measurement = measurement;
    this.concurrency = concurrency;
    this.seconds = seconds;
    this.rate = rate;
    this.together = together;
  }

  /**
   * Runs the clients, all at once when paced together, else one after the other, and hands each row
   * to {@code sink} as soon as its client is done.
   *
   * @param counted false in warm-up rounds, whose p99 ratios are not kept
   */
  void run(
      String topology,
      Scenario sc,
      Map<String, BlockingClient.Factory> factories,
      List<RedisNode> masters,
      boolean counted,
      Consumer<Row> sink)
      throws Exception {
    if (factories.isEmpty()) {
      return;
    }
    if (together && rate > 0) {
      group(topology, sc, factories, masters, counted).forEach(sink);
    } else {
      for (Map.Entry<String, BlockingClient.Factory> c : factories.entrySet()) {
        group(topology, sc, Map.of(c.getKey(), c.getValue()), masters, counted).forEach(sink);
      }
    }
  }

  /** Prints, per pair measured together, the median of its rounds' p99 ratios. */
  void printPairs() {
    pairedP99.forEach(
        (pair, ratios) -> {
          long below = ratios.stream().filter(r -> r <= 1).count();
          System.out.printf(
              "%s: median %.2f over %d rounds, %d at or below 1, rounds %s%n",
              pair,
              ResultsTable.median(ratios.stream().mapToDouble(Double::doubleValue).toArray()),
              ratios.size(),
              below,
              ratios.stream().map(r -> String.format("%.2f", r)).toList());
        });
  }

  /** Runs {@code factories}' clients at the same time; one row per client. */
  private List<Row> group(
      String topology,
      Scenario sc,
      Map<String, BlockingClient.Factory> factories,
      List<RedisNode> masters,
      boolean counted)
      throws Exception {
    List<BlockingClient> made = new ArrayList<>();
    try {
      for (BlockingClient.Factory f : factories.values()) {
        made.add(f.make());
      }
      List<Load> loads = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (BlockingClient client : made) {
        Load load = measurement.load(sc);
        loads.add(load);
        threads.addAll(startThreads(client, load));
      }
      List<String> shown =
          factories.keySet().stream()
              .map(n -> rate > 0 ? String.format("%s @ %,d/s", n, rate) : n)
              .map(n -> together && factories.size() > 1 ? n + " (together)" : n)
              .toList();
      List<Row> rows =
          measurement.measure(topology, shown, masters, seconds, loads, () -> joinAll(threads));
      for (int i = 0; i + 1 < rows.size(); i++) {
        Row a = rows.get(i);
        Row b = rows.get(rows.size() - 1);
        double ratio = a.p99Ms() / b.p99Ms();
        String pair = topology + " " + sc.name() + ": p99 of " + a.client() + " / " + b.client();
        if (counted) {
          pairedP99.computeIfAbsent(pair, k -> new ArrayList<>()).add(ratio);
        }
        System.out.printf("%s = %.2f%n", pair, ratio);
      }
      return rows;
    } finally {
      for (BlockingClient c : made) {
        c.close();
      }
    }
  }

  private List<Thread> startThreads(BlockingClient client, Load load) {
    List<Thread> threads = new ArrayList<>();
    // Paced: each thread starts a request every `period`, staggered, and a request's latency runs
    // from when it was due, so a client that falls behind is charged for the wait (no coordinated
    // omission).
    long period = rate > 0 ? (long) (concurrency * 1e9 / rate) : 0;
    long origin = System.nanoTime();
    for (int t = 0; t < concurrency; t++) {
      long firstDue = origin + period * t / concurrency;
      Thread th =
          new Thread(
              () -> {
                long due = firstDue;
                while (load.running.get()) {
                  List<Integer> entities = load.entities();
                  long start = System.nanoTime();
                  if (period > 0) {
                    if (due > start) {
                      LockSupport.parkNanos(due - start);
                    }
                    start = due;
                    due += period;
                  }
                  Throwable failure = null;
                  try {
                    client.lookup(entities);
                  } catch (Exception e) {
                    failure = e;
                  }
                  load.count(start, failure);
                }
              },
              "load-" + t);
      th.setDaemon(true);
      th.start();
      threads.add(th);
    }
    return threads;
  }

  private static void joinAll(List<Thread> threads) {
    for (Thread th : threads) {
      try {
        th.join(60_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
