package io.inferis.monitoring;

import io.inferis.cache.Cache;
import io.inferis.cache.WindowAppend;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes: it drains the queue in batches (a full batch at once, a partial one
 * every flush interval) and writes each batch with {@link Cache#appendAll} — one pipelined round
 * trip per node — together with this server's registry entries: one {@code models} entry per model
 * in the batch and one {@code servers} entry, each at most once per flush interval (the registry is
 * two keys, so two slots, for the whole fleet: written with every batch, a 1,000-pod fleet
 * recording 4,000 inferences/s per pod sent 168,000 writes/s to one slot; once per second per
 * model, 21,000). When idle it refreshes the {@code servers} entry every heartbeat interval. Every
 * write is the cache's atomic window append, so every key is trimmed, capped and re-armed with a
 * TTL of one window.
 *
 * <p>Every failure is caught and counted; the thread ends only when stopped.
 */
final class Flusher {

  private static final Logger log = LoggerFactory.getLogger(Flusher.class);

  private final Cache cache;
  private final MonitorKeys keys;
  private final String serverId;
  private final RecordQueue queue;
  private final Counters counters;
  private final MonitorMetrics metrics;
  private final InstantSource clock;
  private final Duration window;
  private final int batchSize;
  private final int maxMembers;
  private final int registryMaxMembers;
  private final long flushNanos;
  private final long beatNanos;
  private final Thread thread;
  private final AtomicLong flushRequested = new AtomicLong();
  private final Object flushDone = new Object();
  private long flushCompleted; // guarded by flushDone
  private volatile boolean stopping;
  private boolean failing;

  /** When each model's registry entry was last written; cleared when it grows past a bound. */
  private final Map<String, Long> registeredAt = new HashMap<>();

  private @Nullable Long serverRegisteredAt;
  private final long registryRefreshMillis;

  Flusher(
      Cache cache,
      MonitorKeys keys,
      String serverId,
      MonitoringOptions options,
      RecordQueue queue,
      Counters counters,
      MonitorMetrics metrics) {
    this.cache = cache;
    this.keys = keys;
    this.serverId = serverId;
    this.queue = queue;
    this.counters = counters;
    this.metrics = metrics;
    this.clock = options.clock();
    this.window = options.window();
    this.batchSize = options.batchSize();
    this.maxMembers = options.maxMembersPerKey();
    this.registryMaxMembers = options.registryMaxMembers();
    this.flushNanos = options.flushInterval().toNanos();
    this.beatNanos = options.heartbeatInterval().toNanos();
    this.registryRefreshMillis = Math.max(1, options.flushInterval().toMillis());
    this.thread = new Thread(this::run, "inferis-monitor-flusher-" + serverId);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Waits until everything queued before the call has been written (or failed and counted). */
  boolean flush(Duration timeout) {
    long target = flushRequested.incrementAndGet();
    queue.wake();
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (flushDone) {
      while (flushCompleted < target) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || !thread.isAlive()) {
          return false;
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(flushDone, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /**
   * Writes what is queued and ends the thread, within {@code timeout}; a write still waiting on the
   * store then is interrupted. Returns true if the thread ended in time.
   */
  boolean stop(Duration timeout) {
    stopping = true;
    queue.wake();
    try {
      thread.join(Math.max(1, timeout.toMillis()));
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(1000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return !thread.isAlive();
  }

  private void run() {
    long nextFlush = System.nanoTime() + flushNanos;
    long nextBeat = System.nanoTime(); // register at once
    List<StoredRecord> batch = new ArrayList<>(batchSize);
    while (true) {
      try {
        boolean stop = stopping;
        long requested = flushRequested.get();
        long now = System.nanoTime();
        boolean flushDue =
            stop || requested > completed() || queue.size() >= batchSize || now - nextFlush >= 0;
        if (!flushDue && now - nextBeat < 0) {
          queue.awaitWork(Math.min(nextFlush - now, nextBeat - now));
          continue;
        }
        boolean wrote = false;
        if (flushDue) {
          // Bounded by what is queued now, so callers that keep recording cannot starve a flush.
          int batches = Math.max(1, (queue.size() + batchSize - 1) / batchSize);
          for (int i = 0; i < batches; i++) {
            batch.clear();
            if (queue.drainTo(batch, batchSize) == 0) {
              break;
            }
            write(batch);
            wrote = true;
          }
          batch.clear();
          nextFlush = System.nanoTime() + flushNanos;
          complete(requested);
        }
        if (!wrote && System.nanoTime() - nextBeat >= 0) {
          heartbeat();
          wrote = true;
        }
        if (wrote) {
          nextBeat = System.nanoTime() + beatNanos;
        }
        if (stop && queue.size() == 0) {
          return;
        }
      } catch (InterruptedException e) {
        if (stopping) {
          return;
        }
      } catch (Throwable t) {
        if (t instanceof VirtualMachineError) {
          throw (VirtualMachineError) t;
        }
        log.warn("monitoring flusher error (counted, continuing)", t);
        if (Thread.interrupted() && stopping) {
          return;
        }
      }
    }
  }

  private long completed() {
    synchronized (flushDone) {
      return flushCompleted;
    }
  }

  private void complete(long requested) {
    synchronized (flushDone) {
      if (requested > flushCompleted) {
        flushCompleted = requested;
        flushDone.notifyAll();
      }
    }
  }

  private void write(List<StoredRecord> batch) {
    long now = clock.millis();
    List<WindowAppend> appends = new ArrayList<>(batch.size() + 8);
    Set<String> models = new LinkedHashSet<>();
    int records = 0;
    for (StoredRecord r : batch) {
      try {
        String key =
            r.isError() ? keys.error(serverId, r.modelId()) : keys.inference(serverId, r.modelId());
        appends.add(
            WindowAppend.of(key, RecordCodec.encode(r), r.eventTimeMillis(), window)
                .withMaxMembers(maxMembers));
        models.add(r.modelId());
        records++;
      } catch (RuntimeException e) {
        lost(1, e);
      }
    }
    List<String> registering = new ArrayList<>(models.size());
    for (String model : models) {
      if (due(registeredAt.get(model), now)) {
        appends.add(registry(keys.models(), MonitorKeys.modelsMember(serverId, model), now));
        registering.add(model);
      }
    }
    boolean server = due(serverRegisteredAt, now);
    if (server) {
      appends.add(registry(keys.servers(), serverId, now));
    }
    try {
      cache.appendAll(appends);
      counters.written.addAndGet(records);
      if (registeredAt.size() > MAX_REGISTERED_MODELS) {
        registeredAt.clear(); // every model is written again once: harmless
      }
      for (String model : registering) {
        registeredAt.put(model, now);
      }
      if (server) {
        serverRegisteredAt = now;
      }
      recovered();
    } catch (RuntimeException e) {
      lost(records, e);
    }
  }

  /** Models whose last registry write is remembered at most. */
  private static final int MAX_REGISTERED_MODELS = 10_000;

  /** Whether an entry last written at {@code at} (null: never) is due again at {@code now}. */
  private boolean due(@Nullable Long at, long now) {
    return at == null || now - at >= registryRefreshMillis || now < at;
  }

  private void heartbeat() {
    try {
      cache.append(registry(keys.servers(), serverId, clock.millis()));
      recovered();
    } catch (RuntimeException e) {
      lost(0, e);
    }
  }

  private WindowAppend registry(String key, String member, long now) {
    return WindowAppend.of(key, member, now, window).withMaxMembers(registryMaxMembers);
  }

  private void lost(int records, RuntimeException e) {
    counters.failedRecords.addAndGet(records);
    metrics.droppedWriteFailed.increment(records);
    if (!failing) {
      failing = true;
      log.warn("monitoring writes failing, records are dropped and counted: {}", e.toString());
    } else {
      log.debug("monitoring write failed", e);
    }
  }

  private void recovered() {
    if (failing) {
      failing = false;
      log.info("monitoring writes recovered");
    }
  }
}
