package io.inferis.monitoring;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "pingback": every report interval, on the scheduler, aggregates the trailing window and POSTs
 * it to the report URL.
 *
 * <ul>
 *   <li>Windows end on multiples of the interval (epoch-aligned), so a report's id — {@code
 *       <server>:<window start>} — names its window, and a receiver drops duplicates by id. A late
 *       run also builds the windows it missed.
 *   <li>Reports wait in a bounded spool (oldest dropped and counted when full) and are sent in
 *       order; the head is retried with jittered, doubling backoff before anything after it.
 *   <li>2xx is delivered; a 4xx other than 408/425/429 is a permanent rejection (dropped and
 *       counted, so one bad report cannot block the spool); everything else is retried.
 *   <li>A run that finds the previous one still running is skipped and counted; every failure is
 *       caught and counted, so the scheduled task is never cancelled by an exception.
 * </ul>
 */
final class Reporter {

  private static final Logger log = LoggerFactory.getLogger(Reporter.class);

  private final Aggregator aggregator;
  private final String serverId;
  private final URI url;
  private final Scope scope;
  private final long intervalMillis;
  private final long windowMillis;
  private final Duration timeout;
  private final long retryBaseMillis;
  private final long retryMaxMillis;
  private final int spoolCapacity;
  private final InstantSource clock;
  private final ScheduledExecutorService scheduler;
  private final Counters counters;
  private final MonitorMetrics metrics;
  private final Supplier<MonitorStats> stats;
  private final HttpClient http;
  private final ReentrantLock running = new ReentrantLock();
  private final ArrayDeque<Report> spool = new ArrayDeque<>(); // guarded by itself
  private volatile boolean closed;
  private long lastWindowEnd = -1; // guarded by running
  private @Nullable String lastId; // guarded by running
  private int failuresInRow; // guarded by running
  private boolean retryPending; // guarded by running
  private @Nullable ScheduledFuture<?> ticks;

  private record Report(String id, byte[] body) {}

  private enum Outcome {
    SENT,
    REJECTED,
    FAILED
  }

  Reporter(
      Aggregator aggregator,
      String serverId,
      MonitoringOptions o,
      ScheduledExecutorService scheduler,
      Counters counters,
      MonitorMetrics metrics,
      Supplier<MonitorStats> stats) {
    this.aggregator = aggregator;
    this.serverId = serverId;
    this.url = Args.notNull(o.reportUrl(), "reportUrl");
    this.scope = o.reportScope();
    this.intervalMillis = o.reportInterval().toMillis();
    this.windowMillis = o.window().toMillis();
    this.timeout = o.reportTimeout();
    this.retryBaseMillis = o.retryBaseDelay().toMillis();
    this.retryMaxMillis = o.retryMaxDelay().toMillis();
    this.spoolCapacity = o.spoolCapacity();
    this.clock = o.clock();
    this.scheduler = scheduler;
    this.counters = counters;
    this.metrics = metrics;
    this.stats = stats;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** Schedules the runs at the interval, the first at the next window boundary. */
  void start() {
    long delay = intervalMillis - Math.floorMod(clock.millis(), intervalMillis);
    ticks = scheduler.scheduleAtFixedRate(this::tick, delay, intervalMillis, TimeUnit.MILLISECONDS);
  }

  int spooled() {
    synchronized (spool) {
      return spool.size();
    }
  }

  /** One scheduled run: build the windows due, then send the spool unless a retry is pending. */
  void tick() {
    if (!running.tryLock()) {
      counters.reportRunsSkipped.incrementAndGet();
      return;
    }
    try {
      long end = Math.floorDiv(clock.millis(), intervalMillis) * intervalMillis;
      long first = lastWindowEnd < 0 ? end : lastWindowEnd + intervalMillis;
      first = Math.max(first, end - (spoolCapacity - 1L) * intervalMillis);
      for (long e = first; e <= end; e += intervalMillis) {
        spoolReport(e - windowMillis, e, false);
        lastWindowEnd = e;
      }
      if (!retryPending) {
        deliver();
      }
    } catch (Throwable t) {
      failed("report run failed (counted; next run continues)", t);
    } finally {
      running.unlock();
    }
  }

  private void retry() {
    if (!running.tryLock()) {
      scheduleRetry(retryBaseMillis); // a run is going on (multi-threaded scheduler): try later
      return;
    }
    try {
      retryPending = false;
      if (!closed) {
        deliver();
      }
    } catch (Throwable t) {
      failed("report retry failed (counted)", t);
    } finally {
      running.unlock();
    }
  }

  private void spoolReport(long from, long to, boolean isFinal) {
    String id = ReportJson.id(serverId, from);
    if (id.equals(lastId)) {
      return;
    }
    MonitoringSummary summary = aggregator.summarize(scope, from, to);
    byte[] body = ReportJson.encode(id, serverId, summary, clock.millis(), isFinal, stats.get());
    lastId = id;
    synchronized (spool) {
      if (spool.size() >= spoolCapacity) {
        Report dropped = spool.pollFirst();
        counters.reportsDropped.incrementAndGet();
        metrics.reportsDropped.increment();
        log.warn("report spool full: dropped report {}", dropped == null ? "?" : dropped.id());
      }
      spool.addLast(new Report(id, body));
    }
  }

  /** Sends the spool in order until it is empty or the head fails (then a retry is scheduled). */
  private void deliver() {
    while (!closed) {
      if (!sendHead()) {
        failuresInRow++;
        retryPending = true;
        scheduleRetry(backoffMillis(failuresInRow));
        return;
      }
      if (spooled() == 0) {
        return;
      }
    }
  }

  /** Tries the head once; true if the spool may go on (sent, rejected, or empty). */
  private boolean sendHead() {
    Report head;
    synchronized (spool) {
      head = spool.peekFirst();
    }
    if (head == null) {
      return true;
    }
    Outcome outcome = post(head);
    if (outcome == Outcome.FAILED) {
      counters.reportFailures.incrementAndGet();
      metrics.reportFailures.increment();
      return false;
    }
    synchronized (spool) {
      if (spool.peekFirst() == head) {
        spool.pollFirst();
      }
    }
    failuresInRow = 0;
    if (outcome == Outcome.SENT) {
      counters.reportsSent.incrementAndGet();
      metrics.reportsSent.increment();
    } else {
      counters.reportsDropped.incrementAndGet();
      metrics.reportsDropped.increment();
    }
    return true;
  }

  private Outcome post(Report r) {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", r.id())
            .POST(HttpRequest.BodyPublishers.ofByteArray(r.body()))
            .build();
    try {
      int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status >= 200 && status < 300) {
        return Outcome.SENT;
      }
      if (status >= 400 && status < 500 && status != 408 && status != 425 && status != 429) {
        log.warn("report {} rejected by {} with HTTP {}: dropped", r.id(), url, status);
        return Outcome.REJECTED;
      }
      log.debug("report {} got HTTP {} from {}: will retry", r.id(), status, url);
      return Outcome.FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.FAILED;
    } catch (Exception e) {
      log.debug("report {} to {} failed: {}", r.id(), url, e.toString());
      return Outcome.FAILED;
    }
  }

  /** Doubling ceiling capped at the max; half of it fixed, half drawn at random. */
  private long backoffMillis(int failures) {
    long ceiling = retryBaseMillis << Math.min(failures - 1, 20);
    ceiling = Math.min(Math.max(ceiling, retryBaseMillis), retryMaxMillis);
    long half = ceiling / 2;
    return half + ThreadLocalRandom.current().nextLong(ceiling - half + 1);
  }

  private void scheduleRetry(long delayMillis) {
    if (closed) {
      return;
    }
    try {
      scheduler.schedule(this::retry, delayMillis, TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      failed("cannot schedule a report retry", e); // the next run sends the spool
      retryPending = false;
    }
  }

  private void failed(String what, Throwable t) {
    if (t instanceof VirtualMachineError) {
      throw (VirtualMachineError) t;
    }
    counters.reportFailures.incrementAndGet();
    metrics.reportFailures.increment();
    log.warn(what, t);
  }

  /**
   * Stops the runs, then (on the calling thread) builds a final report of the window ending now and
   * tries each spooled report once, in order, until one fails or the deadline passes.
   */
  void close(long deadlineNanos) {
    if (ticks != null) {
      ticks.cancel(false);
    }
    closed = true;
    // Wait for a run in progress to end; it sends nothing more once closed is set.
    try {
      if (!running.tryLock(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        closeHttp();
        return;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeHttp();
      return;
    }
    try {
      long end = clock.millis() + 1; // records stamped this millisecond are in
      spoolReport(end - windowMillis, end, true);
      while (spooled() > 0 && System.nanoTime() - deadlineNanos < 0) {
        if (!sendHead()) {
          break;
        }
      }
    } catch (Throwable t) {
      failed("final report failed (counted)", t);
    } finally {
      running.unlock();
      closeHttp();
    }
  }

  private void closeHttp() {
    // HttpClient is AutoCloseable from Java 21 on; on 17 its threads are daemons that idle out.
    Object client = http;
    if (client instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        log.debug("closing the report HTTP client", e);
      }
    }
  }
}
