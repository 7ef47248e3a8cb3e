package io.inferis.bench;

import io.inferis.testing.RedisNode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The closed loop of an {@link AsyncClient}: {@code concurrency} requests kept in flight without a
 * thread per request, each completion issuing the next request, as an event-driven server does.
 */
final class AsyncLoop {

  private final Measurement measurement;

  AsyncLoop(Measurement measurement) {
    this.measurement = measurement;
  }

  /** Runs {@code client} (and closes it) and measures it as {@code name}. */
  Row run(
      String topology,
      Scenario sc,
      String name,
      AsyncClient client,
      List<RedisNode> masters,
      int concurrency,
      double seconds)
      throws Exception {
    try (client) {
      Load load = measurement.load(sc);
      CountDownLatch stopped = new CountDownLatch(concurrency);
      for (int u = 0; u < concurrency; u++) {
        new VirtualUser(client, load, stopped).next();
      }
      return measurement
          .measure(
              topology, List.of(name), masters, seconds, List.of(load), () -> awaitQuietly(stopped))
          .get(0);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One in-flight request slot of the loop. */
  private record VirtualUser(AsyncClient client, Load load, CountDownLatch stopped) {

    /** Issues requests until one completes later; ones that complete at once loop, not recurse. */
    void next() {
      while (true) {
        if (!load.running.get()) {
          stopped.countDown();
          return;
        }
        long start = System.nanoTime();
        CompletableFuture<?> f = client.lookup(load.entities()).toCompletableFuture();
        if (!f.isDone()) {
          f.whenComplete(
              (v, e) -> {
                load.count(start, e);
                next();
              });
          return;
        }
        load.count(start, f.isCompletedExceptionally() ? f.handle((v, e) -> e).join() : null);
      }
    }
  }
}
