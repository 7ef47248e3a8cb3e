package io.inferis.bench;

import io.inferis.testing.RedisNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.HdrHistogram.Histogram;

/**
 * How the loops measure their loads: a warm-up (a long one the first time a client runs in this
 * JVM), then the measured interval with connection sampling and CPU figures, then a row per load.
 */
final class Measurement {

  /** Warm-up of a client that has run before in this JVM. */
  private static final long LATER_WARM_UP_MILLIS = 2_000;

  private final double firstWarmUpSeconds;
  private final int hotEntities;

  /** Clients (by name) that have had their first, long warm-up. */
  private final Set<String> warmed = ConcurrentHashMap.newKeySet();

  /**
   * @param firstWarmUpSeconds the warm-up of a client's first run
   * @param hotEntities requests draw their entities from the first this many of the data set
   */
  Measurement(double firstWarmUpSeconds, int hotEntities) {
    this.firstWarmUpSeconds = firstWarmUpSeconds;
    this.hotEntities = hotEntities;
  }

  /** A new load of {@code sc}: running, not yet measuring. */
  Load load(Scenario sc) {
    return new Load(sc, hotEntities);
  }

  /**
   * Warm-up, then the measured interval with connection sampling; stops the loads; a row per load.
   * Loads measured together share the CPU figures, which are printed once for all of them.
   *
   * @param awaitStopped returns once the stopped loads' requests are done
   */
  List<Row> measure(
      String topology,
      List<String> names,
      List<RedisNode> masters,
      double seconds,
      List<Load> loads,
      Runnable awaitStopped)
      throws InterruptedException {
    // The harness's own thread sleeps while the load runs, so it takes no CPU from the clients.
    // A client's first run warms the JIT for longer: C2 compiles for 15-25 s on this machine, and
    // a 2 s warm-up measured whichever client ran first at a fraction of its speed.
    boolean first = false;
    for (String name : names) {
      first |= warmed.add(name);
    }
    Thread.sleep(first ? (long) (firstWarmUpSeconds * 1000) : LATER_WARM_UP_MILLIS);
    for (Load load : loads) {
      load.recorder.reset();
      load.measuring.set(true);
    }
    Cpu cpu = Cpu.start(masters);
    long start = System.nanoTime();
    long end = start + (long) (seconds * 1e9);
    int maxConns = 0;
    while (System.nanoTime() < end) {
      for (RedisNode m : masters) {
        maxConns = Math.max(maxConns, m.connectedClients());
      }
      Thread.sleep(250); // sampling pace; each sample costs Redis a connection
    }
    loads.forEach(load -> load.measuring.set(false));
    double elapsed = (System.nanoTime() - start) / 1e9;
    cpu.print(
        String.join(" + ", names), loads.stream().mapToLong(l -> l.done.get()).sum(), "client");
    loads.forEach(load -> load.running.set(false));
    awaitStopped.run();
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < loads.size(); i++) {
      Load load = loads.get(i);
      Histogram h = load.recorder.getIntervalHistogram();
      if (load.errors.get() > 0) {
        System.out.println(
            names.get(i)
                + ": "
                + load.errors.get()
                + " errors, the first: "
                + load.firstError.get());
      }
      rows.add(
          new Row(
              topology,
              load.sc.name(),
              names.get(i),
              load.done.get() / elapsed,
              h.getValueAtPercentile(50) / 1000.0,
              h.getValueAtPercentile(99) / 1000.0,
              maxConns));
    }
    return rows;
  }
}
