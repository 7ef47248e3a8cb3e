package io.inferis.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Recorder;

/** What a load loop shares with its measurement: latencies, phase flags and counters. */
final class Load {
  final Recorder recorder = new Recorder(3);
  final AtomicBoolean measuring = new AtomicBoolean(false);
  final AtomicBoolean running = new AtomicBoolean(true);
  final AtomicLong done = new AtomicLong();
  final AtomicLong errors = new AtomicLong();
  final AtomicReference<Throwable> firstError = new AtomicReference<>();
  final Scenario sc;
  private final int hotEntities;

  /** Requests draw their entities from the first {@code hotEntities} of the data set. */
  Load(Scenario sc, int hotEntities) {
    this.sc = sc;
    this.hotEntities = hotEntities;
  }

  /** A request's random entities. */
  List<Integer> entities() {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    List<Integer> entities = new ArrayList<>(sc.entities());
    for (int i = 0; i < sc.entities(); i++) {
      entities.add(rnd.nextInt(hotEntities));
    }
    return entities;
  }

  /** Counts one finished request that started at {@code start}. */
  void count(long start, Throwable error) {
    if (error != null) {
      errors.incrementAndGet();
      firstError.compareAndSet(null, error);
    } else if (measuring.get()) {
      recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1000));
      done.incrementAndGet();
    }
  }
}
